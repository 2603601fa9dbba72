import { asGatewayError, errors, type GatewayError } from '../errors.js';
import type { Stamp } from '../upstream/mapping.js';
import { redactInput, type HistoryOutcome } from './history.js';
import { claimOrWait, replay, requestHash, storedFailure } from './idempotency.js';
import type { StampSession } from './session.js';

/** What a mutation learns about the stamp while it runs, for the change history. */
export interface Trace {
  before?: Stamp | null;
  after?: Stamp | null;
}

export type MutationName =
  | 'createStamp'
  | 'updateStamp'
  | 'addStamp'
  | 'removeStamp'
  | 'adjustStampCount'
  | 'redeemStamp'
  | 'redeemAndReissue'
  | 'resolveParkedReissue'
  | 'resetStampPin'
  | 'deleteStamp';

export interface MutationSpec<P> {
  operation: MutationName;
  /** The stamp it changes (locked and recorded); null when there is none yet (create). */
  stampIdx: number | null;
  /** The input as given: recorded (secrets removed) and hashed for the idempotency key. */
  input: Record<string, unknown>;
  /** The caller's idempotency key (input field or header), if any. */
  idempotencyKey: string | null;
  /** Read the resulting stamp after the change into this payload field (the client asked for it). */
  readBack?: { field: keyof P & string; stampIdx: (payload: P) => number } | null;
  /** Keep an UNKNOWN-outcome error under the key (default). Off where the operation has durable steps of its own. */
  rememberErrors?: boolean;
}

/** A changed stamp's id, and the stamp as it is now when the client asked for it (null: not shown). */
export interface StampPayload {
  stampIdx: number;
  stamp?: Stamp | null;
}

export interface MutationOptions {
  idempotencyKey: string | null;
  /** Read the resulting stamp back into the payload (the client selected it). */
  readBack: boolean;
}

/** runMutation's `readBack` for a StampPayload, when the client asked for the stamp. */
export function stampReadBack(options: MutationOptions) {
  return options.readBack ? { field: 'stamp' as const, stampIdx: (payload: StampPayload) => payload.stampIdx } : null;
}

// Operations a customer's visit drives, limited per stamp too: a stuck button or a script cannot burn a card.
const PER_STAMP = new Set<MutationName>(['addStamp', 'removeStamp', 'redeemStamp', 'redeemAndReissue']);

/** Seconds to wait when the caller is over a mutation limit, else 0. */
function overLimit(s: StampSession, spec: { operation: MutationName; stampIdx: number | null }): number {
  const { limiter, limits } = s.deps;
  const perCaller = limiter.hit(`caller:${s.caller.id}`, limits.perCaller);
  if (perCaller) return perCaller;
  if (spec.stampIdx === null || !PER_STAMP.has(spec.operation)) return 0;
  return limiter.hit(`stamp:${s.caller.id}:${spec.stampIdx}:${spec.operation}`, limits.perCallerAndStamp);
}

function failure(thrown: unknown): GatewayError {
  const error = asGatewayError(thrown, { mutation: true });
  if (!error) throw thrown;
  return error;
}

/**
 * Runs one change of a stamp safely, the same way for every mutation: the caller's mutation limits,
 * its idempotency key (replay, conflict, wait), the stamp's lock (across processes on PostgreSQL),
 * failures mapped with their outcome, and every attempt appended to the change history.
 */
export async function runMutation<P extends object>(s: StampSession, spec: MutationSpec<P>, work: (trace: Trace) => Promise<P>): Promise<P> {
  const { store, locks, leaseMs } = s.deps;
  const key = spec.idempotencyKey;
  const recorded = redactInput(spec.input);
  const history = (outcome: HistoryOutcome, trace: Trace, callsFrom: number, error?: GatewayError, payload?: object) =>
    store.appendHistory({
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

  const wait = overLimit(s, spec);
  if (wait) {
    const error = errors.rateLimited(`Too many ${spec.operation} requests from this caller; try again in ${wait} s`, wait);
    await history('NOT_APPLIED', {}, s.api.calls.length, error);
    throw error;
  }

  if (key) {
    const rememberErrors = spec.rememberErrors ?? true;
    const existing = await claimOrWait(store, { caller: s.caller.id, key, operation: spec.operation, hash: requestHash(spec.operation, recorded), leaseMs, rememberErrors });
    if (existing) {
      const replayed = replay(existing) as P;
      await history('REPLAYED', {}, s.api.calls.length, undefined, replayed);
      return replayed;
    }
  }

  const trace: Trace = {};
  const callsFrom = s.api.calls.length;
  const execute = async () => {
    const payload = await work(trace);
    if (spec.readBack) {
      const idx = spec.readBack.stampIdx(payload);
      s.forget(idx);
      const after = await s.loader.load(idx).catch(() => null);
      (payload as Record<string, unknown>)[spec.readBack.field] = after;
      trace.after = after;
    }
    return payload;
  };
  try {
    const payload = spec.stampIdx === null ? await execute() : await locks.withLock(spec.stampIdx, execute);
    if (spec.stampIdx !== null) s.forget(spec.stampIdx);
    await history('APPLIED', trace, callsFrom, undefined, payload);
    if (key) await store.finishKey(s.caller.id, key, { ok: true, payload });
    return payload;
  } catch (thrown) {
    if (spec.stampIdx !== null) s.forget(spec.stampIdx);
    const error = failure(thrown);
    const outcome = error.outcome === 'UNKNOWN' ? 'UNKNOWN' : 'NOT_APPLIED';
    await history(outcome, trace, callsFrom, error);
    if (key) {
      // A retry after a failure that changed nothing should run again; after an unknown outcome it
      // must not: the client hears the same answer and decides, with a new key, after reading the stamp.
      if (outcome === 'UNKNOWN' && (spec.rememberErrors ?? true)) await store.finishKey(s.caller.id, key, storedFailure(error));
      else await store.releaseKey(s.caller.id, key);
    }
    throw error;
  }
}
