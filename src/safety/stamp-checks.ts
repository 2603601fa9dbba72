import { createHash, timingSafeEqual } from 'node:crypto';
import type { GraphQLError } from 'graphql';
import { type GatewayContext, stampUnavailable } from '../context.js';
import { badUserInput, ErrorCode, gatewayError } from '../schema/errors.js';
import { UpstreamRejectedError } from '../upstream/errors.js';
import type { Stamp as StampShape } from '../upstream/mapping.js';

/** The checks a change makes on the stamp it is about to change, shared by mutations and reissue. */

const NOT_APPLIED = { outcome: 'NOT_APPLIED' } as const;

/** A fresh read before a read-then-write; an unusable stamp is STAMP_UNAVAILABLE, nothing applied. */
export async function readForWrite(ctx: GatewayContext, stampIdx: number): Promise<StampShape> {
  try {
    return await ctx.api.validate(stampIdx);
  } catch (error) {
    if (error instanceof UpstreamRejectedError) throw stampUnavailable(stampIdx, error.upstreamMessage, NOT_APPLIED);
    throw error;
  }
}

export function conflict(message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return gatewayError(ErrorCode.CONFLICT, message, { ...NOT_APPLIED, ...extensions });
}

function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** Checks, before anything is sent, that the reward can be redeemed with what the caller gave. */
export function assertRedeemable(stamp: StampShape, onsitePassword: string | null | undefined): void {
  if (stamp.stamps < stamp.maxStamps) {
    throw conflict(`Stamp ${stamp.stampIdx} is not complete yet (${stamp.stamps} of ${stamp.maxStamps} stamps)`, {
      stamps: stamp.stamps,
      maxStamps: stamp.maxStamps,
    });
  }
  if (!stamp.onsiteApproval) return;
  if (!onsitePassword) {
    throw badUserInput([{ path: 'input.onsitePassword', message: 'is required: this card needs the staff password entered on site' }]);
  }
  if (stamp.onsitePassword === null || !sameSecret(onsitePassword, stamp.onsitePassword)) {
    throw badUserInput([{ path: 'input.onsitePassword', message: 'is not the on-site password of this card' }]);
  }
}

