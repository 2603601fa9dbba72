import { createHash } from 'node:crypto';
import { errors, GatewayError } from '../errors.js';
import type { StoredResponse } from '../store/store.js';
import { resolveInterrupted } from './recovery.js';
import type { StampSession } from './session.js';

/** How long a key is remembered. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;
const WAIT_POLL_MS = 20;

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined && v !== null);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The hash a key is bound to: the operation and its input, the key itself left out. */
export function requestHash(operation: string, input: Record<string, unknown>): string {
  const { idempotencyKey: _key, ...rest } = input;
  return createHash('sha256')
    .update(`${operation}\n${canonical(rest)}`)
    .digest('hex');
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
  key: string;
  operation: string;
  hash: string;
  /** Keep an UNKNOWN-outcome failure under the key; off where the operation keeps durable steps of its own. */
  rememberErrors: boolean;
}

/**
 * Claims the key for this attempt (returns undefined), or returns the stored response to replay. The
 * same key with other input is a CONFLICT. A key held by a process that is gone is settled at once from
 * its write-ahead record: answered UNKNOWN when its change may have been sent, freed when not. One still
 * running elsewhere is waited for, until this request's deadline.
 */
export async function claimOrWait(s: StampSession, args: KeyClaim): Promise<StoredResponse | undefined> {
  const { store, leaseMs } = s.deps;
  const caller = s.caller.id;
  for (;;) {
    const claim = await store.claimKey(
      { caller, key: args.key, operation: args.operation, requestHash: args.hash, leaseMs, ttlMs: IDEMPOTENCY_TTL_MS },
      s.stateBound(),
    );
    if (claim.claimed) return undefined;
    const row = claim.existing;
    if (row.requestHash !== args.hash || row.operation !== args.operation) {
      throw errors.conflict(`The idempotency key "${args.key}" was already used with a different input`, { idempotencyKey: args.key });
    }
    if (row.state === 'done' && row.response) return row.response;
    // Settled in this process, its record still on its way to the database.
    const pending = s.deps.outbox.answerFor(caller, args.key);
    if (pending) return pending;
    if (await store.ownerGone(row.owner)) {
      const attempt = await store.attemptOfKey(caller, args.key, s.stateBound());
      if (attempt) {
        const answer = await resolveInterrupted(store, attempt, { keepKey: args.rememberErrors }, s.stateBound());
        if (answer) return answer;
      } else {
        await store.releaseKey(caller, args.key, s.stateBound());
      }
      continue;
    }
    if (Date.now() + WAIT_POLL_MS >= s.deadline) {
      throw new GatewayError('CONFLICT', `An attempt with idempotency key "${args.key}" is still running; try again later`, {
        outcome: 'UNKNOWN',
        idempotencyKey: args.key,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
  }
}
