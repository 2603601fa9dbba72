import { createHash } from 'node:crypto';
import { errors, GatewayError } from '../errors.js';
import type { GatewayStore, StoredResponse } from '../store/store.js';

/** How long a key is remembered. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;
const WAIT_POLL_MS = 20;

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined && v !== null);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The hash a key is bound to: the operation and its input, the key itself left out. */
export function requestHash(operation: string, input: Record<string, unknown>): string {
  const { idempotencyKey: _key, ...rest } = input;
  return createHash('sha256').update(`${operation}\n${canonical(rest)}`).digest('hex');
}

/** A stored answer, given again: the payload, or the error with `replayed: true`. */
export function replay(response: StoredResponse): unknown {
  if (response.ok) return response.payload;
  const { code, ...details } = response.extensions as { code: GatewayError['code'] } & Record<string, unknown>;
  throw new GatewayError(code, response.message, { ...details, replayed: true });
}

/** What to store for an answer that must be replayed. */
export function storedFailure(error: GatewayError): StoredResponse {
  return { ok: false, message: error.message, extensions: { code: error.code, ...error.details } };
}

export interface KeyClaim {
  caller: string;
  key: string;
  operation: string;
  hash: string;
  leaseMs: number;
  /** Keep an UNKNOWN-outcome failure under the key; off where the operation keeps durable steps of its own. */
  rememberErrors: boolean;
}

/**
 * Claims the key for this attempt (returns undefined), or returns the stored response to replay. The
 * same key with other input is a CONFLICT; one still running is waited for.
 */
export async function claimOrWait(store: GatewayStore, args: KeyClaim): Promise<StoredResponse | undefined> {
  const deadline = Date.now() + args.leaseMs + 5_000;
  for (;;) {
    const claim = await store.claimKey({
      caller: args.caller,
      key: args.key,
      operation: args.operation,
      requestHash: args.hash,
      leaseMs: args.leaseMs,
      ttlMs: IDEMPOTENCY_TTL_MS,
    });
    if (claim.claimed) return undefined;
    const row = claim.existing;
    if (row.requestHash !== args.hash || row.operation !== args.operation) {
      throw errors.conflict(`The idempotency key "${args.key}" was already used with a different input`, { idempotencyKey: args.key });
    }
    if (row.state === 'done' && row.response) return row.response;
    if (store.heldByDeadProcess(row)) {
      if (!args.rememberErrors) {
        // The operation keeps durable steps of its own: release the key and let them decide.
        await store.releaseKey(args.caller, args.key);
        continue;
      }
      const response: StoredResponse = {
        ok: false,
        message: `An earlier attempt with idempotency key "${args.key}" did not finish (the gateway stopped); the change may have been applied: read the stamp before trying again with a new key`,
        extensions: { code: 'UPSTREAM_UNAVAILABLE', outcome: 'UNKNOWN', idempotencyKey: args.key },
      };
      await store.finishKey(args.caller, args.key, response);
      return response;
    }
    if (Date.now() > deadline) {
      throw new GatewayError('CONFLICT', `An attempt with idempotency key "${args.key}" is still running; try again later`, {
        outcome: 'UNKNOWN',
        idempotencyKey: args.key,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
  }
}
