import DataLoader from 'dataloader';
import { canSee, hiddenStamp, isCustomer } from '../auth/visibility.js';
import { errors, GatewayError } from '../errors.js';
import { UpstreamError, UpstreamRejectedError, UpstreamShedError } from '../upstream/errors.js';
import type { Stamp } from '../upstream/mapping.js';
import type { StampApi } from '../upstream/stamp-api.js';
import type { StampSession } from './session.js';

/** Reads one stamp from the stamp API; its refusal is STAMP_UNAVAILABLE with the reason it gave. */
export async function fetchStamp(api: StampApi, stampIdx: number, details: Record<string, unknown> = {}): Promise<Stamp> {
  try {
    return await api.validate(stampIdx);
  } catch (error) {
    if (error instanceof UpstreamRejectedError) throw errors.stampUnavailable(stampIdx, error.upstreamMessage, details);
    throw error;
  }
}

/**
 * The read behind the cache: what another instance confirmed within the TTL (shared through
 * PostgreSQL, so a stamp is not fetched again by each instance), else the stamp API. When no quota is
 * left for the call, the last state the stamp API confirmed, if no change has been announced since
 * (its `asOf` says how old it is). Mutations never act on such state: they read with readForWrite.
 */
async function confirmedRead(s: StampSession, stampIdx: number): Promise<Stamp> {
  const { cache, store } = s.deps;
  // A stamp this request changed is read from the stamp API: its change is announced only when the request ends.
  const sharedStates = s.deps.sharedStates && !s.changed.has(stampIdx);
  const shared = () => store.knownState(stampIdx, { timeoutMs: 250 }).catch(() => undefined);
  if (sharedStates) {
    const known = await shared();
    if (known && Date.now() - known.confirmedAt.getTime() < cache.options.ttlMs)
      return { ...known.stamp, asOf: known.confirmedAt.toISOString() };
  }
  const started = new Date();
  try {
    const stamp = await fetchStamp(s.api, stampIdx);
    cache.confirm(stamp);
    if (sharedStates) void store.saveKnownState(stamp, started, { timeoutMs: 1_000 }).catch(() => undefined);
    return stamp;
  } catch (error) {
    if (error instanceof UpstreamShedError && (error.reason === 'quota' || error.reason === 'share')) {
      const local = cache.lastConfirmed(stampIdx);
      if (local) return local;
      const known = sharedStates ? await shared() : undefined;
      if (known) return { ...known.stamp, asOf: known.confirmedAt.toISOString() };
    }
    throw error;
  }
}

/** One stamp as this caller may see it, through the shared cache; a customer sees only its own. */
async function readVisible(s: StampSession, stampIdx: number): Promise<Stamp> {
  const read = () => s.deps.cache.read(stampIdx, () => confirmedRead(s, stampIdx));
  if (!isCustomer(s.caller)) return read();
  let stamp: Stamp;
  try {
    stamp = await read();
  } catch (error) {
    if (error instanceof GatewayError && error.code === 'STAMP_UNAVAILABLE') throw hiddenStamp(stampIdx);
    throw error;
  }
  if (!canSee(s.caller, stamp)) throw hiddenStamp(stampIdx);
  return stamp;
}

/** The batch function of the request's loader: same order and length as the ids, one Error per failed id. */
export function loadStamps(s: StampSession, idxs: readonly number[]): Promise<Array<Stamp | Error>> {
  return Promise.all(
    idxs.map((idx) =>
      readVisible(s, idx).catch((error: unknown) =>
        error instanceof UpstreamError ? errors.upstream(error, { mutation: false }) : (error as Error),
      ),
    ),
  );
}

/** This request's loader: one upstream call per distinct stamp, a failed id failing alone. */
export function stampLoader(s: StampSession): DataLoader<number, Stamp> {
  // Same order and length as the keys; one Error per failed key, never a failed batch.
  s.stampLoader ??= new DataLoader((idxs) => loadStamps(s, idxs), { maxBatchSize: 100 });
  return s.stampLoader;
}

/** One stamp as this caller may see it, batched with the request's other reads. */
export function readStamp(s: StampSession, stampIdx: number): Promise<Stamp> {
  return stampLoader(s).load(stampIdx);
}

/** A stamp, or null when the stamp API does not show it (any other failure is thrown). */
export async function readStampOrNull(s: StampSession, stampIdx: number): Promise<Stamp | null> {
  try {
    return await readStamp(s, stampIdx);
  } catch (error) {
    if (error instanceof GatewayError && error.code === 'STAMP_UNAVAILABLE') return null;
    throw error;
  }
}

export interface Validation {
  stampIdx: number;
  valid: boolean;
  reason: string | null;
  stamp: Stamp | null;
}

/** Whether a stamp can be used now: an unusable stamp is an answer, not an error. */
export async function validateStamp(s: StampSession, stampIdx: number): Promise<Validation> {
  try {
    return { stampIdx, valid: true, reason: null, stamp: await readStamp(s, stampIdx) };
  } catch (error) {
    if (!(error instanceof GatewayError) || error.code !== 'STAMP_UNAVAILABLE') throw error;
    return { stampIdx, valid: false, reason: String(error.details.reason ?? error.message), stamp: null };
  }
}
