import { createHash } from 'node:crypto';
import {
  getDirectiveValues,
  GraphQLError,
  GraphQLIncludeDirective,
  type GraphQLResolveInfo,
  GraphQLSkipDirective,
  Kind,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import type { GatewayContext } from '../context.js';
import { badUserInput, ErrorCode, gatewayError, upstreamToGraphQL } from '../schema/errors.js';
import type { StoredResponse } from '../store/store.js';
import { UpstreamError } from '../upstream/errors.js';
import type { Stamp } from '../upstream/mapping.js';

export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;
const WAIT_POLL_MS = 20;

/** What a mutation learns about the stamp while it runs, for the change history. */
export interface Trace {
  before?: Stamp | null;
  after?: Stamp | null;
}

export interface MutationSpec {
  /** The mutation's name, as in the schema. */
  operation: string;
  /** The stamp it changes (locked and recorded); null when there is none yet (create). */
  stampIdx: number | null;
  input: { idempotencyKey?: string | null } & Record<string, unknown>;
  /** Payload field holding the resulting stamp, read after the change when the client asked for it. */
  after?: { field: string; stampIdx: (payload: any) => number };
  /** Keep an UNKNOWN-outcome error under the key (default). Off where the operation has durable steps of its own. */
  rememberErrors?: boolean;
}

/** Input as recorded in the history and hashed for idempotency: secrets removed. */
export function redactInput(input: Record<string, unknown>): Record<string, unknown> {
  const { onsitePassword, ...rest } = input;
  return onsitePassword ? { ...rest, onsitePassword: '[redacted]' } : rest;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined && v !== null);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function requestHash(operation: string, input: Record<string, unknown>): string {
  const { idempotencyKey: _key, ...rest } = input;
  return createHash('sha256').update(`${operation}\n${canonical(rest)}`).digest('hex');
}

/** Whether the client's selection of this mutation field includes `field` (fragments count as yes). */
export function selects(info: GraphQLResolveInfo, field: string): boolean {
  const visit = (set: SelectionSetNode | undefined): boolean =>
    !!set?.selections.some((s) => (s.kind === Kind.FIELD ? s.name.value === field : true));
  return info.fieldNodes.some((node) => visit(node.selectionSet));
}

/**
 * The root fields the operation will execute, by response key: fragments spread and inlined,
 * @skip/@include applied, as graphql-js collects them.
 */
export function executedRootFields(info: GraphQLResolveInfo): Set<string> {
  const keys = new Set<string>();
  const seen = new Set<string>();
  const included = (node: SelectionNode) =>
    getDirectiveValues(GraphQLSkipDirective, node, info.variableValues)?.if !== true &&
    getDirectiveValues(GraphQLIncludeDirective, node, info.variableValues)?.if !== false;
  const visit = (set: SelectionSetNode) => {
    for (const node of set.selections) {
      if (!included(node)) continue;
      if (node.kind === Kind.FIELD) keys.add(node.alias?.value ?? node.name.value);
      else if (node.kind === Kind.INLINE_FRAGMENT) visit(node.selectionSet);
      else if (!seen.has(node.name.value)) {
        seen.add(node.name.value);
        const fragment = info.fragments[node.name.value];
        if (fragment) visit(fragment.selectionSet);
      }
    }
  };
  visit(info.operation.selectionSet);
  return keys;
}

function toGraphQLError(error: unknown): GraphQLError {
  if (error instanceof GraphQLError) return error;
  if (error instanceof UpstreamError) return upstreamToGraphQL(error, { mutation: true });
  throw error;
}

function outcomeOf(error: GraphQLError): 'NOT_APPLIED' | 'UNKNOWN' {
  return error.extensions.outcome === 'UNKNOWN' ? 'UNKNOWN' : 'NOT_APPLIED';
}

function replay(response: StoredResponse): unknown {
  if (response.ok) return response.payload;
  throw new GraphQLError(response.message, { extensions: { ...response.extensions, replayed: true } });
}

/**
 * Runs one mutation safely: honours its idempotency key (replay, conflict, wait), serialises it with
 * every other change of the same stamp (across processes on PostgreSQL), maps upstream failures with
 * their outcome, and appends every attempt to the change history.
 */
export async function runMutation<P extends object>(
  ctx: GatewayContext,
  info: GraphQLResolveInfo,
  spec: MutationSpec,
  work: (trace: Trace) => Promise<P>,
): Promise<P> {
  const key = spec.input.idempotencyKey ?? ctx.idempotencyKeyHeader ?? null;
  if (!spec.input.idempotencyKey && ctx.idempotencyKeyHeader && executedRootFields(info).size > 1) {
    throw badUserInput([{ path: 'Idempotency-Key', message: 'applies to one mutation per request; give each input its own idempotencyKey' }]);
  }
  const recorded = redactInput(spec.input);
  const history = (
    outcome: 'APPLIED' | 'NOT_APPLIED' | 'UNKNOWN' | 'REPLAYED',
    trace: Trace,
    callsFrom: number,
    error?: GraphQLError,
    payload?: object,
  ) =>
    ctx.store.appendHistory({
      requestId: ctx.requestId,
      caller: ctx.caller.id,
      operation: spec.operation,
      // A create has no stamp until it succeeds: its entry belongs to the stamp it issued.
      stampIdx: spec.stampIdx ?? (payload as { stampIdx?: number } | undefined)?.stampIdx ?? trace.after?.stampIdx ?? null,
      input: recorded,
      before: trace.before ?? null,
      after: trace.after ?? null,
      upstreamCalls: ctx.api.calls.slice(callsFrom),
      outcome,
      errorCode: error ? String(error.extensions.code ?? 'INTERNAL_SERVER_ERROR') : null,
      errorMessage: error?.message ?? null,
      idempotencyKey: key,
    });

  const wait = overLimit(ctx, spec);
  if (wait) {
    const error = gatewayError(ErrorCode.RATE_LIMITED, `Too many ${spec.operation} requests from this caller; try again in ${wait} s`, {
      outcome: 'NOT_APPLIED',
      retryAfter: wait,
    });
    await history('NOT_APPLIED', {}, ctx.api.calls.length, error);
    throw error;
  }

  if (key) {
    const hash = requestHash(spec.operation, recorded);
    const existing = await claimOrWait(ctx, { key, operation: spec.operation, hash, rememberErrors: spec.rememberErrors ?? true });
    if (existing) {
      const replayed = replay(existing) as P;
      await history('REPLAYED', {}, ctx.api.calls.length, undefined, replayed);
      return replayed;
    }
  }

  const trace: Trace = {};
  const callsFrom = ctx.api.calls.length;
  const execute = async () => {
    const payload = await work(trace);
    if (spec.after && selects(info, spec.after.field)) {
      const idx = spec.after.stampIdx(payload);
      ctx.forget(idx);
      const after = await ctx.stampLoader.load(idx).catch(() => null);
      (payload as Record<string, unknown>)[spec.after.field] = after;
      trace.after = after;
    }
    return payload;
  };
  try {
    const payload = spec.stampIdx === null ? await execute() : await ctx.store.withStampLock(spec.stampIdx, execute);
    if (spec.stampIdx !== null) ctx.forget(spec.stampIdx);
    await history('APPLIED', trace, callsFrom, undefined, payload);
    if (key) await ctx.store.finishKey(ctx.caller.id, key, { ok: true, payload });
    return payload;
  } catch (thrown) {
    if (spec.stampIdx !== null) ctx.forget(spec.stampIdx);
    const error = toGraphQLError(thrown);
    const outcome = outcomeOf(error);
    await history(outcome, trace, callsFrom, error);
    if (key) {
      // A retry after a failure that changed nothing should run again; after an unknown outcome it
      // must not: the client hears the same answer and decides, with a new key, after reading the stamp.
      if (outcome === 'UNKNOWN' && (spec.rememberErrors ?? true)) {
        await ctx.store.finishKey(ctx.caller.id, key, { ok: false, message: error.message, extensions: { ...error.extensions } });
      } else {
        await ctx.store.releaseKey(ctx.caller.id, key);
      }
    }
    throw error;
  }
}

// Operations a customer's visit drives, limited per stamp too: a stuck button or a script cannot burn a card.
const PER_STAMP = new Set(['addStamp', 'removeStamp', 'redeemStamp', 'redeemAndReissue']);

/** Seconds to wait when the caller is over a mutation limit, else 0. */
function overLimit(ctx: GatewayContext, spec: MutationSpec): number {
  const perCaller = ctx.limiter.hit(`caller:${ctx.caller.id}`, ctx.limits.perCaller);
  if (perCaller) return perCaller;
  if (spec.stampIdx === null || !PER_STAMP.has(spec.operation)) return 0;
  return ctx.limiter.hit(`stamp:${ctx.caller.id}:${spec.stampIdx}:${spec.operation}`, ctx.limits.perCallerAndStamp);
}

/**
 * Claims the key for this attempt (returns undefined), or returns the stored response to replay. The
 * same key with other input is a CONFLICT; one still running is waited for.
 */
async function claimOrWait(
  ctx: GatewayContext,
  args: { key: string; operation: string; hash: string; rememberErrors: boolean },
): Promise<StoredResponse | undefined> {
  const deadline = Date.now() + ctx.leaseMs + 5_000;
  for (;;) {
    const claim = await ctx.store.claimKey({
      caller: ctx.caller.id,
      key: args.key,
      operation: args.operation,
      requestHash: args.hash,
      leaseMs: ctx.leaseMs,
      ttlMs: IDEMPOTENCY_TTL_MS,
    });
    if (claim.claimed) return undefined;
    const row = claim.existing;
    if (row.requestHash !== args.hash || row.operation !== args.operation) {
      throw gatewayError(ErrorCode.CONFLICT, `The idempotency key "${args.key}" was already used with a different input`, {
        outcome: 'NOT_APPLIED',
        idempotencyKey: args.key,
      });
    }
    if (row.state === 'done' && row.response) return row.response;
    if (ctx.store.heldByDeadProcess(row)) {
      if (!args.rememberErrors) {
        // The operation keeps durable steps of its own: release the key and let them decide.
        await ctx.store.releaseKey(ctx.caller.id, args.key);
        continue;
      }
      const response: StoredResponse = {
        ok: false,
        message: `An earlier attempt with idempotency key "${args.key}" did not finish (the gateway stopped); the change may have been applied: read the stamp before trying again with a new key`,
        extensions: { code: ErrorCode.UPSTREAM_UNAVAILABLE, outcome: 'UNKNOWN', idempotencyKey: args.key },
      };
      await ctx.store.finishKey(ctx.caller.id, args.key, response);
      return response;
    }
    if (Date.now() > deadline) {
      throw gatewayError(ErrorCode.CONFLICT, `An attempt with idempotency key "${args.key}" is still running; try again later`, {
        outcome: 'UNKNOWN',
        idempotencyKey: args.key,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
  }
}
