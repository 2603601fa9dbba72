import type { Logger } from 'pino';
import type { AttemptRow, Bound, GatewayStore, KeyOutcome, NewHistoryEntry, StoredResponse } from '../store/store.js';
import { ACTION_OF, type MutationName } from './changes.js';

/** The history entry key of an attempt: written once, by whoever ends the attempt first. */
export const attemptEntryKey = (attemptId: string) => `attempt:${attemptId}`;

/**
 * What is known of an attempt whose process died: if it had started sending a change, the change may
 * have been applied (UNKNOWN, and its key answers so); if not, nothing was sent (NOT_APPLIED, and its
 * key is freed for a retry).
 */
export function interruptedAttempt(
  a: AttemptRow,
  options: { keepKey: boolean },
): { entry: NewHistoryEntry; key: KeyOutcome | null; response?: StoredResponse } {
  const base = {
    entryKey: attemptEntryKey(a.id),
    requestId: a.requestId,
    caller: a.caller,
    operation: a.operation,
    stampIdx: a.stampIdx,
    input: a.input,
    before: null,
    after: null,
    idempotencyKey: a.idempotencyKey,
  };
  if (a.state === 'sending') {
    const message = `The gateway stopped while ${a.endpoint} was being sent to the stamp API; the change may have been applied: read the stamp before trying again with a new key`;
    const response: StoredResponse = {
      ok: false,
      message,
      extensions: {
        code: 'UPSTREAM_UNAVAILABLE',
        outcome: 'UNKNOWN',
        interruptedCall: a.endpoint,
        ...(a.idempotencyKey ? { idempotencyKey: a.idempotencyKey } : {}),
      },
    };
    return {
      entry: {
        ...base,
        upstreamCalls: [{ endpoint: a.endpoint as never, durationMs: 0, attempts: 1, error: 'GatewayStopped' }],
        outcome: 'UNKNOWN',
        errorCode: 'UPSTREAM_UNAVAILABLE',
        errorMessage: message,
      },
      key: a.idempotencyKey
        ? options.keepKey
          ? { caller: a.caller, key: a.idempotencyKey, finish: response }
          : { caller: a.caller, key: a.idempotencyKey, release: true }
        : null,
      response,
    };
  }
  return {
    entry: {
      ...base,
      upstreamCalls: [],
      outcome: 'NOT_APPLIED',
      errorCode: null,
      errorMessage: 'The gateway stopped before sending anything to the stamp API',
    },
    key: a.idempotencyKey ? { caller: a.caller, key: a.idempotencyKey, release: true } : null,
  };
}

/** Ends a dead process's attempt: its history entry written and its key settled. Returns the key's answer, if any. */
export async function resolveInterrupted(
  store: GatewayStore,
  a: AttemptRow,
  options: { keepKey: boolean },
  bound: Bound = {},
): Promise<StoredResponse | undefined> {
  const { entry, key, response } = interruptedAttempt(a, options);
  // A change that may have been sent may have changed the stamp: every instance hears of it.
  const action = ACTION_OF[a.operation as MutationName];
  const change = a.state === 'sending' && action ? { stampIdx: a.stampIdx, action, source: 'GATEWAY' as const } : undefined;
  await store.completeAttempt(a.id, entry, key, bound, change);
  return key && 'finish' in key ? response : undefined;
}

/**
 * Resolves the attempts that processes now gone left behind: at start-up for a crash of this gateway,
 * and periodically for other instances sharing the database. Every change that may have reached the
 * stamp API gets its history entry; keys are answered or freed.
 */
export async function recoverAttempts(store: GatewayStore, log?: Pick<Logger, 'warn'>): Promise<{ unknown: number; notSent: number }> {
  const counts = { unknown: 0, notSent: 0 };
  const gone = new Map<string, boolean>();
  for (const attempt of await store.foreignAttempts()) {
    if (!gone.has(attempt.owner)) gone.set(attempt.owner, await store.ownerGone(attempt.owner));
    if (!gone.get(attempt.owner)) continue;
    // Redeem-and-reissue keeps durable steps of its own: its key is freed, and the steps decide.
    await resolveInterrupted(store, attempt, { keepKey: attempt.operation !== 'redeemAndReissue' });
    if (attempt.state === 'sending') counts.unknown++;
    else counts.notSent++;
  }
  if (counts.unknown || counts.notSent)
    log?.warn(
      counts,
      'mutation attempts left by a stopped gateway: recorded in the history (UNKNOWN where a change may have been sent), keys answered or freed',
    );
  return counts;
}
