import { createHash, timingSafeEqual } from 'node:crypto';
import { errors, type GatewayError } from '../errors.js';
import { UpstreamRejectedError } from '../upstream/errors.js';
import type { Stamp } from '../upstream/mapping.js';
import { fetchStamp } from './read.js';
import type { StampSession } from './session.js';

/** The checks a change makes on the stamp it is about to change, before and after sending. */

const NOT_APPLIED = { outcome: 'NOT_APPLIED' } as const;

/** A fresh read before a read-then-write (never the cache); an unusable stamp is STAMP_UNAVAILABLE, nothing applied. */
export function readForWrite(s: StampSession, stampIdx: number): Promise<Stamp> {
  return fetchStamp(s.api, stampIdx, NOT_APPLIED);
}

function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** Checks, before anything is sent, that the reward can be redeemed with what the caller gave. */
export function assertRedeemable(stamp: Stamp, onsitePassword: string | null | undefined): void {
  if (stamp.stamps < stamp.maxStamps) {
    throw errors.conflict(`Stamp ${stamp.stampIdx} is not complete yet (${stamp.stamps} of ${stamp.maxStamps} stamps)`, {
      stamps: stamp.stamps,
      maxStamps: stamp.maxStamps,
    });
  }
  if (!stamp.onsiteApproval) return;
  if (!onsitePassword) {
    throw errors.badUserInput([
      { path: 'input.onsitePassword', message: 'is required: this card needs the staff password entered on site' },
    ]);
  }
  if (stamp.onsitePassword === null || !sameSecret(onsitePassword, stamp.onsitePassword)) {
    throw errors.badUserInput([{ path: 'input.onsitePassword', message: 'is not the on-site password of this card' }]);
  }
}

/**
 * The stamp API refused a change without saying why in a way we may rely on (its codes are
 * undocumented). One read tells the client what happened: the stamp is unusable, the change breaks a
 * bound (`check`), or else the refusal as it came.
 */
async function explainRefusal(
  s: StampSession,
  stampIdx: number,
  refusal: UpstreamRejectedError,
  check?: (stamp: Stamp) => GatewayError | undefined,
): Promise<GatewayError> {
  try {
    const stamp = await s.api.validate(stampIdx);
    return check?.(stamp) ?? errors.upstream(refusal, { mutation: true });
  } catch (error) {
    if (error instanceof UpstreamRejectedError) return errors.stampUnavailable(stampIdx, error.upstreamMessage, NOT_APPLIED);
    return errors.upstream(refusal, { mutation: true });
  }
}

/** Sends a change; a refusal is explained (see explainRefusal), everything else passes through. */
export async function sendChange(
  s: StampSession,
  stampIdx: number,
  change: () => Promise<void>,
  check?: (stamp: Stamp) => GatewayError | undefined,
): Promise<void> {
  try {
    await change();
  } catch (error) {
    if (error instanceof UpstreamRejectedError) throw await explainRefusal(s, stampIdx, error, check);
    throw error;
  } finally {
    s.forget(stampIdx);
  }
}
