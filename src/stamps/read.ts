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
 * The read behind the cache. A state the stamp API confirmed within the TTL, kept in the state store
 * (another instance's read, on PostgreSQL; an earlier run's), is not fetched again. Else the stamp
 * API: a stamp never seen (or changed since) with the caller's own quota; a stamp whose known state
 * only aged past the TTL (no change announced since) is a refresh, from the small share of the quota
 * kept for refreshes (STAMP_API_REFRESH_SHARE). When no quota is left for the call, the last state
 * the stamp API confirmed answers, its `asOf` saying how old it is. Mutations never act on such state:
 * they read with readForWrite.
 */
async function confirmedRead(s: StampSession, stampIdx: number): Promise<Stamp> {
  const { cache, store } = s.deps;
  // A stamp this request changed is read from the stamp API: its change is announced only when the request ends.
  const changedHere = s.changed.has(stampIdx);
  const stored = s.deps.sharedStates && !changedHere;
  let known: Stamp | undefined;
  if (stored) {
    const state = await store.knownState(stampIdx, { timeoutMs: 250 }).catch(() => undefined);
    if (state) {
      known = { ...state.stamp, asOf: state.confirmedAt.toISOString() };
      if (Date.now() - state.confirmedAt.getTime() < cache.options.ttlMs) {
        s.deps.userIndex.seen(known);
        return known;
      }
    }
  }
  if (!changedHere) {
    const local = cache.lastConfirmed(stampIdx);
    if (local && (!known || Date.parse(local.asOf ?? '') >= Date.parse(known.asOf ?? ''))) known = local;
  }
  const started = new Date();
  try {
    const stamp = await fetchStamp(known ? s.refreshApi() : s.api, stampIdx);
    cache.confirm(stamp);
    s.deps.userIndex.seen(stamp);
    if (stored) void store.saveKnownState(stamp, started, { timeoutMs: 1_000 }).catch(() => undefined);
    return stamp;
  } catch (error) {
    if (known && error instanceof UpstreamShedError && (error.reason === 'quota' || error.reason === 'share')) return known;
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
