import type { Stamp } from '../upstream/mapping.js';
import { assertRedeemable, readForWrite } from './checks.js';
import { runMutation } from './mutation.js';
import type { StampSession } from './session.js';

export interface RedeemPayload {
  stampIdx: number;
  /** When the gateway had the redemption confirmed. */
  redeemedAt: string;
  /** The stamp as read just before it was redeemed: the stamp service no longer shows it. */
  lastKnown: Stamp;
}

/**
 * Marks the reward of a full stamp as used, after checking, before sending, that the card is full and
 * the on-site password (when the card needs one) is right. Irreversible.
 */
export function redeemStamp(
  s: StampSession,
  input: { stampIdx: number; onsitePassword?: string | null; idempotencyKey?: string | null },
  options: { idempotencyKey: string | null },
): Promise<RedeemPayload> {
  return runMutation<RedeemPayload>(
    s,
    { operation: 'redeemStamp', stampIdx: input.stampIdx, input: { ...input }, idempotencyKey: options.idempotencyKey },
    async (trace) => {
      const lastKnown = await readForWrite(s, input.stampIdx);
      trace.before = lastKnown;
      assertRedeemable(lastKnown, input.onsitePassword);
      await s.api.redeem(lastKnown.stampIdx, lastKnown.onsiteApproval ? input.onsitePassword : undefined);
      s.forget(lastKnown.stampIdx);
      return { stampIdx: input.stampIdx, redeemedAt: new Date().toISOString(), lastKnown };
    },
  );
}
