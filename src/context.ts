import DataLoader from 'dataloader';
import type { GraphQLError } from 'graphql';
import { ErrorCode, gatewayError, upstreamToGraphQL } from './schema/errors.js';
import type { GatewayStore } from './store/store.js';
import type { UpstreamClient } from './upstream/client.js';
import { UpstreamError, UpstreamRejectedError } from './upstream/errors.js';
import type { Stamp } from './upstream/mapping.js';
import type { StampCache } from './upstream/stamp-cache.js';
import { StampApi } from './upstream/stamps.js';

import type { Caller } from './auth/callers.js';
import type { SlidingWindowLimiter } from './auth/rate-limit.js';

export type { Caller };

export interface MutationLimits {
  /** Mutations per minute per caller. */
  perCaller: number;
  /** addStamp, removeStamp, redeemStamp, redeemAndReissue per minute per caller and stamp. */
  perCallerAndStamp: number;
}

/** What lives as long as the gateway and is shared by every request. */
export interface GatewayShared {
  client: UpstreamClient;
  store: GatewayStore;
  /** How long a running mutation holds its idempotency key before it counts as abandoned. */
  leaseMs: number;
  limiter: SlidingWindowLimiter;
  limits: MutationLimits;
  cache: StampCache;
  /** How long one GraphQL request may take in all; upstream calls get what is left. */
  deadlineMs: number;
}

export interface GatewayContext {
  requestId: string;
  caller: Caller;
  /** The request's `Idempotency-Key` header, for a request with one mutation. */
  idempotencyKeyHeader: string | null;
  api: StampApi;
  store: GatewayStore;
  leaseMs: number;
  limiter: SlidingWindowLimiter;
  limits: MutationLimits;
  /** Reads of stamps, de-duplicated and batched within one request. */
  stampLoader: DataLoader<number, Stamp>;
  /** Forgets everything read about a stamp (loader and cache): it changed, or may have. */
  forget(stampIdx: number): void;
}

/** The error a read gets when the upstream refuses to validate the stamp. */
export function stampUnavailable(stampIdx: number, reason: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return gatewayError(ErrorCode.STAMP_UNAVAILABLE, `Stamp ${stampIdx} is unavailable: ${reason || 'the stamp API refused it'}`, {
    stampIdx,
    reason,
    ...extensions,
  });
}

/** Reads one stamp; the refusal and transport failures become the error table's GraphQL errors. */
export async function readStamp(api: StampApi, stampIdx: number): Promise<Stamp> {
  try {
    return await api.validate(stampIdx);
  } catch (error) {
    if (error instanceof UpstreamRejectedError) throw stampUnavailable(stampIdx, error.upstreamMessage);
    throw error;
  }
}

/**
 * A customer sees only stamps whose user.id is its own; any other stamp answers exactly as a stamp
 * that does not exist, with no upstream reason, so ids cannot be probed.
 */
function hiddenFromCustomer(stampIdx: number): GraphQLError {
  return gatewayError(ErrorCode.STAMP_UNAVAILABLE, `Stamp ${stampIdx} is unavailable`, { stampIdx, reason: 'The stamp is not available.' });
}

function readFor(api: StampApi, caller: Caller, cache: StampCache) {
  const customer = caller.customerUserId;
  const cached = (idx: number) => cache.read(idx, () => readStamp(api, idx));
  if (customer === null) return cached;
  return async (idx: number) => {
    let stamp: Stamp;
    try {
      stamp = await cached(idx);
    } catch (error) {
      if ((error as GraphQLError).extensions?.code === ErrorCode.STAMP_UNAVAILABLE) throw hiddenFromCustomer(idx);
      throw error;
    }
    if (stamp.user.id !== customer) throw hiddenFromCustomer(idx);
    return stamp;
  };
}

export function createContext(
  { client, store, leaseMs, limiter, limits, cache, deadlineMs }: GatewayShared,
  request: { requestId: string; caller: Caller; idempotencyKeyHeader: string | null },
): GatewayContext {
  const api = new StampApi(client, request.requestId, Date.now() + deadlineMs);
  const read = readFor(api, request.caller, cache);
  let stampLoader: DataLoader<number, Stamp>;
  return {
    ...request,
    api,
    store,
    leaseMs,
    limiter,
    limits,
    forget(stampIdx) {
      stampLoader.clear(stampIdx);
      cache.invalidate(stampIdx);
    },
    // Same order and length as the keys; one Error per failed key, never a failed batch.
    stampLoader: (stampLoader = new DataLoader<number, Stamp>(
      (idxs) =>
        Promise.all(
          idxs.map((idx) =>
            read(idx).catch((error: unknown) => (error instanceof UpstreamError ? upstreamToGraphQL(error, { mutation: false }) : (error as Error))),
          ),
        ),
      { maxBatchSize: 100 },
    )),
  };
}
