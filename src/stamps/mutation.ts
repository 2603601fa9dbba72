import { randomUUID } from 'node:crypto';
import { asGatewayError, errors, GatewayError } from '../errors.js';
import { LockTimeoutError, StateError } from '../store/database.js';
import type { HistoryOutcome, KeyOutcome, NewHistoryEntry } from '../store/store.js';
import type { Endpoint } from '../upstream/endpoints.js';
import type { Stamp } from '../upstream/mapping.js';
import type { ChangeGate } from '../upstream/stamp-api.js';
import { ACTION_OF, type MutationName } from './changes.js';
import { redactInput } from './history.js';
import { claimOrWait, replay, requestHash, storedFailure } from './idempotency.js';
import { readStamp } from './read.js';
import { attemptEntryKey } from './recovery.js';
import type { StampSession } from './session.js';

/** What a mutation learns about the stamp while it runs, for the change history. */
export interface Trace {
  before?: Stamp | null;
  after?: Stamp | null;
}

export type { MutationName } from './changes.js';

/** A changed stamp's id, and the stamp as it is now when the client asked for it (null: not shown, and why). */
export interface StampPayload {
  stampIdx: number;
  stamp?: Stamp | null;
  /** Why `stamp` is null: the stamp API's reason for not showing it (e.g. its window has not started). */
  stampUnavailableReason?: string | null;
}

export interface MutationOptions {
  idempotencyKey: string | null;
  /** Read the resulting stamp back into the payload (the client selected it). */
  readBack: boolean;
}

export interface MutationSpec<P> {
  operation: MutationName;
  /** The stamp it changes (locked and recorded); null when there is none yet (create). */
  stampIdx: number | null;
  /** The input as given: recorded (secrets removed) and hashed for the idempotency key. */
  input: Record<string, unknown>;
  /** The caller's idempotency key (input field or header), if any. */
  idempotencyKey: string | null;
  /** Read the resulting stamp after the change into this payload field (the client asked for it). */
  readBack?: { field: keyof P & string; reasonField?: keyof P & string; stampIdx: (payload: P) => number } | null;
  /** Keep an UNKNOWN-outcome error under the key (default). Off where the operation has durable steps of its own. */
  rememberErrors?: boolean;
}

/** runMutation's `readBack` for a StampPayload, when the client asked for the stamp. */
export function stampReadBack(options: MutationOptions) {
  return options.readBack
    ? { field: 'stamp' as const, reasonField: 'stampUnavailableReason' as const, stampIdx: (payload: StampPayload) => payload.stampIdx }
    : null;
}

// Operations a customer's visit drives, limited per stamp too: a stuck button or a script cannot burn a card.
const PER_STAMP = new Set<MutationName>(['addStamp', 'removeStamp', 'redeemStamp', 'redeemAndReissue']);

/** Seconds to wait when the caller is over a mutation limit, else 0. */
async function overLimit(s: StampSession, spec: { operation: MutationName; stampIdx: number | null }): Promise<number> {
  const { limiter, limits } = s.deps;
  const perCaller = await limiter.hit(`caller:${s.caller.id}`, limits.perCaller);
  if (perCaller) return perCaller;
  if (spec.stampIdx === null || !PER_STAMP.has(spec.operation)) return 0;
  return limiter.hit(`stamp:${s.caller.id}:${spec.stampIdx}:${spec.operation}`, limits.perCallerAndStamp);
}

const NOTHING_SENT = 'nothing was sent to the stamp API, so it is safe to try again';

/**
 * The write-ahead gate of one attempt: before each change call its attempt row is marked as sending
 * (if that cannot be recorded, the call is not sent), and whether any change may have been applied is
 * remembered, so that no later failure can be reported as NOT_APPLIED.
 */
class AttemptGate implements ChangeGate {
  mayHaveApplied = false;

  constructor(
    private readonly s: StampSession,
    private readonly attemptId: string,
  ) {}

  async beforeChange(endpoint: Endpoint): Promise<void> {
    let ours: boolean;
    try {
      ours = await this.s.deps.store.markSending(this.attemptId, endpoint, this.s.stateBound());
    } catch (error) {
      throw errors.stateUnavailable(`${endpoint} was not sent; ${NOTHING_SENT}`, (error as StateError).reason ?? String(error));
    }
    if (!ours) throw errors.stateUnavailable(`${endpoint} was not sent; ${NOTHING_SENT}`, 'this attempt was taken over by recovery');
  }

  afterChange(_endpoint: Endpoint, outcome: 'APPLIED' | 'NOT_APPLIED' | 'UNKNOWN'): void {
    if (outcome !== 'NOT_APPLIED') this.mayHaveApplied = true;
  }
}

/**
 * Any failure of a mutation, on the table, with the outcome it may honestly claim. Never throws: even a
 * fault of the gateway's own answers with an outcome, so a client knows whether a change may have happened.
 */
function failure(s: StampSession, thrown: unknown, mayHaveApplied: boolean): GatewayError {
  let error = asGatewayError(thrown, { mutation: true });
  if (!error && thrown instanceof LockTimeoutError) {
    error = errors.conflict('Another change of this stamp is still running; try again in a moment');
  }
  if (!error && thrown instanceof StateError)
    error = errors.stateUnavailable(mayHaveApplied ? 'the change may have been applied' : NOTHING_SENT, thrown.reason);
  if (!error) {
    s.deps.log?.error(
      { requestId: s.requestId, error: (thrown as Error)?.name, message: (thrown as Error)?.message },
      'unexpected failure in a mutation',
    );
    error = errors.internal(mayHaveApplied ? 'UNKNOWN' : 'NOT_APPLIED');
  }
  // A call's outcome is that of its most uncertain step: once a change may have been applied, no later
  // refusal makes it certain that nothing was.
  if (mayHaveApplied && error.outcome !== 'UNKNOWN') {
    return error.with(
      { outcome: 'UNKNOWN' },
      `${error.message}; an earlier step may have applied a change: read the stamp before trying again`,
    );
  }
  return error;
}

/**
 * Runs one change of a stamp safely, the same way for every mutation:
 * 1. the caller's mutation limits;
 * 2. its idempotency key (replay, conflict, wait; a dead process's key settled at once);
 * 3. the attempt recorded durably before anything is sent (write-ahead), and each change call marked
 *    before it is sent: if the database cannot record it, the mutation is refused (STATE_UNAVAILABLE,
 *    NOT_APPLIED) and nothing is sent;
 * 4. the stamp's lock (across processes on PostgreSQL), within the request's deadline;
 * 5. the history entry, the end of the attempt and the key's answer in one transaction; when the
 *    database does not take it in time, the answer goes out anyway and the write waits in the outbox.
 */
export async function runMutation<P extends object>(
  s: StampSession,
  spec: MutationSpec<P>,
  work: (trace: Trace) => Promise<P>,
): Promise<P> {
  const { store, locks, outbox } = s.deps;
  const key = spec.idempotencyKey;
  const recorded = redactInput(spec.input);
  const entry = (
    entryKey: string,
    outcome: HistoryOutcome,
    trace: Trace,
    callsFrom: number,
    error?: GatewayError,
    payload?: object,
  ): NewHistoryEntry => ({
    entryKey,
    requestId: s.requestId,
    caller: s.caller.id,
    operation: spec.operation,
    // A create has no stamp until it succeeds: its entry belongs to the stamp it issued.
    stampIdx: spec.stampIdx ?? (payload as { stampIdx?: number } | undefined)?.stampIdx ?? trace.after?.stampIdx ?? null,
    input: recorded,
    before: trace.before ?? null,
    after: trace.after ?? null,
    upstreamCalls: s.api.calls.slice(callsFrom),
    outcome,
    errorCode: error?.code ?? null,
    errorMessage: error?.message ?? null,
    idempotencyKey: key,
  });
  /** Writes now within the bound, or leaves it to the outbox: an answer never waits past its deadline for it. */
  const write = async (what: string, fn: (bound: { timeoutMs?: number }) => Promise<void>, keyAnswer?: KeyOutcome) => {
    try {
      await fn(s.stateBound());
    } catch {
      outbox.enqueue(
        what,
        fn,
        keyAnswer && 'finish' in keyAnswer ? { caller: keyAnswer.caller, key: keyAnswer.key, answer: keyAnswer.finish } : undefined,
      );
    }
  };

  const wait = await overLimit(s, spec);
  if (wait) {
    const error = errors.rateLimited(`Too many ${spec.operation} requests from this caller; try again in ${wait} s`, wait);
    await write(`history of a refused ${spec.operation}`, (bound) =>
      store.appendHistory(entry(randomUUID(), 'NOT_APPLIED', {}, s.api.calls.length, error), bound),
    );
    throw error;
  }

  const rememberErrors = spec.rememberErrors ?? true;
  if (key) {
    let existing: Awaited<ReturnType<typeof claimOrWait>>;
    try {
      existing = await claimOrWait(s, { key, operation: spec.operation, hash: requestHash(spec.operation, recorded), rememberErrors });
    } catch (error) {
      throw failure(s, error, false);
    }
    if (existing) {
      const replayed = replay(existing) as P;
      await write(`history of a replayed ${spec.operation}`, (bound) =>
        store.appendHistory(entry(randomUUID(), 'REPLAYED', {}, s.api.calls.length, undefined, replayed), bound),
      );
      return replayed;
    }
  }

  let attemptId: string;
  try {
    attemptId = await store.beginAttempt(
      {
        requestId: s.requestId,
        caller: s.caller.id,
        operation: spec.operation,
        stampIdx: spec.stampIdx,
        input: recorded,
        idempotencyKey: key,
      },
      s.stateBound(),
    );
  } catch (error) {
    if (key) await write(`release of key ${key}`, (bound) => store.releaseKey(s.caller.id, key, bound));
    throw failure(s, error, false);
  }

  const gate = new AttemptGate(s, attemptId);
  const trace: Trace = {};
  const callsFrom = s.api.calls.length;
  const execute = async () => {
    const payload = await work(trace);
    if (spec.readBack) {
      const idx = spec.readBack.stampIdx(payload);
      s.forget(idx);
      const result = payload as Record<string, unknown>;
      result[spec.readBack.field] = await readStamp(s, idx).then(
        (after) => (trace.after = after),
        (error: unknown) => {
          // The change stands whatever the read says: a stamp the API does not show is null, with its reason.
          if (spec.readBack?.reasonField && error instanceof GatewayError && error.code === 'STAMP_UNAVAILABLE') {
            result[spec.readBack.reasonField] = String(error.details.reason ?? error.message);
          }
          return null;
        },
      );
    }
    return payload;
  };
  const finish = (outcome: HistoryOutcome, error?: GatewayError, payload?: object) => {
    const keyOutcome: KeyOutcome | null = !key
      ? null
      : payload
        ? { caller: s.caller.id, key, finish: { ok: true, payload } }
        : outcome === 'UNKNOWN' && rememberErrors
          ? { caller: s.caller.id, key, finish: storedFailure(error!) }
          : // A failure that changed nothing frees the key, so a retry runs again.
            { caller: s.caller.id, key, release: true };
    // Whose stamp it is, as the states around the change say (myStamps, stampsOfUser).
    s.deps.userIndex.seen(trace.before);
    s.deps.userIndex.seen(trace.after);
    const ended = entry(attemptEntryKey(attemptId), outcome, trace, callsFrom, error, payload);
    // A change that happened, or may have, is announced to every instance with its history entry.
    const change =
      outcome === 'NOT_APPLIED' ? undefined : { stampIdx: ended.stampIdx, action: ACTION_OF[spec.operation], source: 'GATEWAY' as const };
    return write(
      `history of ${spec.operation} attempt ${attemptId}`,
      (bound) => store.completeAttempt(attemptId, ended, keyOutcome, bound, change),
      keyOutcome ?? undefined,
    );
  };

  s.api.gate = gate;
  try {
    const payload = spec.stampIdx === null ? await execute() : await locks.withLock(spec.stampIdx, execute, s.deadline);
    if (spec.stampIdx !== null) s.forget(spec.stampIdx);
    await finish('APPLIED', undefined, payload);
    return payload;
  } catch (thrown) {
    if (spec.stampIdx !== null) s.forget(spec.stampIdx);
    const error = failure(s, thrown, gate.mayHaveApplied);
    await finish(error.outcome === 'UNKNOWN' ? 'UNKNOWN' : 'NOT_APPLIED', error);
    throw error;
  } finally {
    s.api.gate = undefined;
  }
}
