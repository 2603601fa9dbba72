import { canSee, hiddenStamp, isCustomer } from '../auth/visibility.js';
import { errors, type GatewayError } from '../errors.js';
import type { StampChange } from './changes.js';
import { readStamp } from './read.js';
import type { StampSession } from './session.js';

/** Ids one subscription may follow. */
export const MAX_FOLLOWED_STAMPS = 100;

/** setTimeout's longest delay; a later expiry is waited for in steps. */
const MAX_TIMER_MS = 2_147_483_647;

/** Where a subscription's changes go: each change in order, then at most one end. */
export interface ChangeSink {
  change(change: StampChange): void;
  /** The stream ends: with an error to show (the token expired, the stamp is no longer the caller's), or quietly. */
  end(error?: GatewayError): void;
}

/**
 * Follows stamps for a caller: the same scopes and visibility as reads (a customer may follow only its
 * own stamps and gets, for anyone else's, the answer of a stamp that does not exist), bounded per
 * caller and per instance, ended when the caller's token expires. Returns what stops it.
 */
export async function followStamps(s: StampSession, stampIdxs: readonly number[], sink: ChangeSink): Promise<() => void> {
  const { changes, subscriptionLimits } = s.deps;
  const ids = [...new Set(stampIdxs)];
  const customer = isCustomer(s.caller);
  // A customer's stamps are read first (through the cache): not theirs, or not there, fails alike.
  if (customer) await Promise.all(ids.map((idx) => readStamp(s, idx)));
  if (changes.size >= subscriptionLimits.perInstance) {
    throw errors.tooManySubscriptions(`This instance has ${subscriptionLimits.perInstance} open subscriptions, its limit: try again later`);
  }
  if (changes.countOf(s.caller.id) >= subscriptionLimits.perCaller) {
    throw errors.tooManySubscriptions(
      `This caller has ${subscriptionLimits.perCaller} open subscriptions here, its limit: close one first`,
    );
  }

  let ended = false;
  let timer: NodeJS.Timeout | undefined;
  const end = (error?: GatewayError) => {
    if (ended) return;
    ended = true;
    clearTimeout(timer);
    unfollow();
    sink.end(error);
  };
  // A customer's changes are delivered in order, each after its (shared) read shows the stamp is still theirs.
  let delivered: Promise<void> = Promise.resolve();
  const listener = (change: StampChange) => {
    if (ended) return;
    if (!customer) return sink.change(change);
    delivered = delivered.then(async () => {
      const stamp = await change.stamp().catch(() => null);
      if (ended) return;
      if (stamp && !canSee(s.caller, stamp)) return end(hiddenStamp(change.stampIdx));
      sink.change(change);
    });
  };
  const unfollow = changes.follow(ids, s.caller.id, listener, () => end());

  const { expiresAt } = s.caller;
  if (expiresAt !== undefined) {
    const arm = () => {
      const left = expiresAt - Date.now();
      if (left <= 0) return end(errors.unauthenticated('The token has expired: subscribe again with a new one'));
      timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
      timer.unref();
    };
    arm();
  }
  return () => end();
}
