import DataLoader from 'dataloader';
import type { GraphQLError } from 'graphql';
import type { KeyedMutex } from './safety/keyed-mutex.js';
import type { UpstreamClient } from './upstream/client.js';
import { UpstreamError, UpstreamRejectedError } from './upstream/errors.js';
import type { Stamp } from './upstream/mapping.js';
import { StampApi } from './upstream/stamps.js';
import { ErrorCode, gatewayError, upstreamToGraphQL } from './schema/errors.js';

/** What lives as long as the gateway and is shared by every request. */
export interface GatewayShared {
  client: UpstreamClient;
  /** Serialises read-then-write changes per stampIdx. */
  locks: KeyedMutex<number>;
}

export interface GatewayContext {
  requestId: string;
  locks: KeyedMutex<number>;
  api: StampApi;
  /** Reads of stamps, de-duplicated and batched within one request. */
  stampLoader: DataLoader<number, Stamp>;
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

export function createContext({ client, locks }: GatewayShared, requestId: string): GatewayContext {
  const api = new StampApi(client, requestId);
  return {
    requestId,
    locks,
    api,
    // Same order and length as the keys; one Error per failed key, never a failed batch.
    stampLoader: new DataLoader<number, Stamp>(
      (idxs) =>
        Promise.all(
          idxs.map((idx) =>
            readStamp(api, idx).catch((error: unknown) =>
              error instanceof UpstreamError ? upstreamToGraphQL(error, { mutation: false }) : (error as Error),
            ),
          ),
        ),
      { maxBatchSize: 100 },
    ),
  };
}
