import { EventEmitter } from 'node:events';
import ky, { HTTPError, type KyInstance, TimeoutError } from 'ky';
import { type Dispatcher, Pool } from 'undici';
import type { CircuitBreaker } from './breaker.js';
import { type Endpoint, ENDPOINTS } from './endpoints.js';
import { unwrapEnvelope } from './envelope.js';
import {
  UpstreamError,
  UpstreamHttpError,
  UpstreamNetworkError,
  UpstreamRejectedError,
  UpstreamShedError,
  UpstreamTimeoutError,
} from './errors.js';
import type { Quota } from './quota.js';
import { withRetries } from './retry-policy.js';

export interface UpstreamClientOptions {
  /** Base URL of the stamp API, e.g. `https://vivoldi.com`. */
  baseUrl: string;
  apiKey: string;
  /** Bound on one attempt of one call. @default 10000 */
  timeoutMs: number;
  /** The real service blocks generic User-Agents with HTTP 403. */
  userAgent: string;
  /** Calls in flight at once; the rest wait their turn (UPSTREAM_MAX_IN_FLIGHT). */
  maxInFlight: number;
  /** Retries of calls that are safe to repeat (UPSTREAM_RETRIES). */
  retryLimit: number;
  /** The plan's quota, shaped; none when omitted. */
  quota?: Quota;
  /** The circuit breaker; none when omitted. */
  breaker?: CircuitBreaker;
  /** Told about every call once it has ended (logs, metrics); `reported` when its caller logs it. */
  onCall?: (record: UpstreamCallRecord, call: Pick<CallOptions, 'requestId' | 'reported'>) => void;
}

/** What one call did: for the change history, logs and metrics. */
export interface UpstreamCallRecord {
  endpoint: Endpoint;
  /** HTTP status of the last attempt, when one answered. */
  status?: number;
  /** The envelope's code, when there was an envelope. */
  code?: number;
  durationMs: number;
  /** Attempts made (more than 1 only for calls that are safe to repeat). */
  attempts: number;
  /** The error's name, when the call failed. */
  error?: string;
}

export interface CallOptions {
  searchParams?: Record<string, string | number>;
  json?: Record<string, unknown>;
  requestId?: string;
  /** Who the call is for: each caller may spend its share of the quota, no more. */
  caller?: { id: string; share?: number };
  /** Epoch ms by which the caller needs an answer; each attempt's timeout is cut to fit. */
  deadline?: number;
  /** Told about the call once it has ended, successfully or not. */
  onDone?: (record: UpstreamCallRecord) => void;
  /** The caller writes this call into a log line of its own (a GraphQL operation's line). */
  reported?: boolean;
}

export interface UpstreamClient {
  /**
   * Calls an endpoint and returns the envelope's `result`. Throws only UpstreamError subclasses; their
   * `outcome` is that of the most uncertain attempt.
   */
  call(endpoint: Endpoint, options: CallOptions): Promise<unknown>;
  /** Closes the kept-alive connections. */
  close(): Promise<void>;
}

// Errors raised before a byte of the request could reach the upstream.
const BEFORE_SENDING = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

function networkCodes(error: unknown): string[] {
  const cause = (error as { cause?: unknown }).cause as { code?: string; errors?: unknown[] } | undefined;
  if (!cause) return [];
  if (Array.isArray(cause.errors)) return cause.errors.map((e) => (e as { code?: string }).code ?? 'UNKNOWN');
  return [cause.code ?? 'UNKNOWN'];
}

function retryAfterSeconds(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/** Turns whatever ky, undici or fetch threw into the upstream error family, keeping the original as `cause`. */
function toUpstreamError(endpoint: Endpoint, error: unknown, timeoutMs: number): UpstreamError {
  if (error instanceof UpstreamError) return error;
  if (error instanceof HTTPError) {
    return new UpstreamHttpError(endpoint, error.response.status, retryAfterSeconds(error.response.headers.get('retry-after')), {
      cause: error,
    });
  }
  if (error instanceof TimeoutError) return new UpstreamTimeoutError(endpoint, timeoutMs, { cause: error });
  const codes = networkCodes(error);
  const beforeSending = codes.length > 0 && codes.every((c) => BEFORE_SENDING.has(c));
  return new UpstreamNetworkError(endpoint, beforeSending, codes.join(', ') || (error as Error).message, { cause: error });
}

/** A counting semaphore: at most `limit` calls in flight, the rest queue in arrival order. */
class InFlightLimit {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

/**
 * A fetch for ky backed by the undici Pool: the same keep-alive connections the reads use. Failures
 * are raised as fetch raises them (TypeError with the cause), so the mapping sees the same errors.
 */
function poolFetch(pool: Pool): typeof fetch {
  return async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    try {
      const res = await pool.request({
        path: url.pathname + url.search,
        method: request.method as Dispatcher.HttpMethod,
        headers,
        body: request.body ? await request.text() : null,
        signal: request.signal,
      });
      const body = await res.body.text();
      const responseHeaders = new Headers();
      for (const [name, value] of Object.entries(res.headers)) {
        if (value !== undefined) responseHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
      }
      return new Response(res.statusCode === 204 || res.statusCode === 304 ? null : body, {
        status: res.statusCode,
        headers: responseHeaders,
      });
    } catch (error) {
      if ((error as Error).name === 'AbortError' || request.signal.aborted) throw error;
      throw new TypeError('fetch failed', { cause: error });
    }
  };
}

const headerValue = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? null;

/** Fires 'abort' once its time has come; undici takes an EventEmitter as a request's signal. */
class TimeoutSlot extends EventEmitter {
  aborted = false;
  constructor() {
    super();
    this.setMaxListeners(0);
  }
}

/**
 * The time bounds of the reads' attempts: every attempt due to end within the same 10 ms shares one
 * signal and one timer, instead of an AbortController, an EventTarget and a timer of its own (together
 * a visible share of a read's CPU; see the README's benchmark). An attempt ends up to 10 ms before its
 * bound, never after it.
 */
class AttemptBounds {
  private readonly slots = new Map<number, TimeoutSlot>();

  signal(timeoutMs: number): TimeoutSlot {
    const now = Date.now();
    const at = Math.floor((now + timeoutMs) / SLOT_MS) * SLOT_MS;
    let slot = this.slots.get(at);
    if (!slot) {
      const created = new TimeoutSlot();
      this.slots.set(at, created);
      // Unref'd: a call in flight keeps the process up by its socket, an ended one needs no timer.
      setTimeout(() => {
        this.slots.delete(at);
        created.aborted = true;
        created.emit('abort');
      }, at - now).unref();
      slot = created;
    }
    return slot;
  }
}
const SLOT_MS = 10;

/**
 * One GET over the pool with a bound on the attempt. Reads are the gateway's hot path: ky builds a
 * WHATWG Request, Response and AbortController around every call, several times the CPU of the pool's
 * own request (the README's benchmark has the figures). Same headers and retry policy as ky's path.
 */
async function getOnce(
  pool: Pool,
  bounds: AttemptBounds,
  endpoint: Endpoint,
  path: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<string> {
  const signal = bounds.signal(timeoutMs);
  try {
    const res = await pool.request({ path, method: 'GET', headers, signal });
    const text = await res.body.text();
    if (res.statusCode < 200 || res.statusCode > 299) {
      throw new UpstreamHttpError(endpoint, res.statusCode, retryAfterSeconds(headerValue(res.headers['retry-after'])));
    }
    return text;
  } catch (error) {
    if (error instanceof UpstreamError) throw error;
    if (signal.aborted) throw new UpstreamTimeoutError(endpoint, timeoutMs, { cause: error });
    throw new TypeError('fetch failed', { cause: error });
  }
}

/**
 * The one HTTP client of the stamp API: auth, identification, timeouts, the quota and the breaker,
 * and one retry policy (retry-policy.ts) for every call. Changes are sent with ky; reads (GET validate,
 * the hot path) go straight to the same undici Pool with the same headers.
 */
export function createUpstreamClient(options: UpstreamClientOptions): UpstreamClient {
  const limit = new InFlightLimit(options.maxInFlight);
  const bounds = new AttemptBounds();
  const { quota, breaker } = options;
  const retryLimit = options.retryLimit;
  const pool = new Pool(new URL(options.baseUrl).origin, { connections: options.maxInFlight, keepAliveTimeout: 30_000 });
  const basePath = new URL(options.baseUrl).pathname.replace(/\/?$/, '/');
  const headers = {
    authorization: `APIKey ${options.apiKey}`,
    'user-agent': options.userAgent,
    'accept-language': 'en',
    accept: 'application/json',
  };
  // Retries are ours (retry-policy.ts), for reads and changes alike: ky only sends.
  const http: KyInstance = ky.create({ prefixUrl: options.baseUrl, headers, retry: 0, fetch: poolFetch(pool) });

  /** One attempt of a change through ky. */
  async function sendOnce(endpoint: Endpoint, call: CallOptions, timeout: number): Promise<string> {
    const def = ENDPOINTS[endpoint];
    const response = await http(def.path, {
      timeout,
      method: def.method,
      searchParams: call.searchParams,
      json: call.json,
      // Never `headers: undefined`: ky then drops the instance's headers (auth, User-Agent).
      ...(call.requestId ? { headers: { 'x-request-id': call.requestId } } : {}),
    });
    return response.text();
  }

  return {
    call(endpoint, call) {
      const until = call.deadline ?? Date.now() + options.timeoutMs * (retryLimit + 1);
      const def = ENDPOINTS[endpoint];
      const readPath =
        def.method === 'get'
          ? `${basePath}${def.path}${call.searchParams ? `?${new URLSearchParams(call.searchParams as Record<string, string>)}` : ''}`
          : '';
      const readHeaders = call.requestId ? { ...headers, 'x-request-id': call.requestId } : headers;
      return limit.run(async () => {
        const started = performance.now();
        let attempts = 1;
        let status: number | undefined;
        const done = (code: number | undefined, error?: string) => {
          const record: UpstreamCallRecord = {
            endpoint,
            status,
            attempts,
            durationMs: Math.round((performance.now() - started) * 10) / 10,
          };
          if (code !== undefined) record.code = code;
          if (error !== undefined) record.error = error;
          call.onDone?.(record);
          options.onCall?.(record, call);
        };
        const attempt = async () => {
          // What is left of the request's deadline bounds each attempt, never more than the timeout.
          const timeout = Math.max(1, Math.min(options.timeoutMs, until - Date.now()));
          let text: string;
          try {
            text =
              def.method === 'get'
                ? await getOnce(pool, bounds, endpoint, readPath, readHeaders, timeout)
                : await sendOnce(endpoint, call, timeout);
          } catch (error) {
            const mapped = toUpstreamError(endpoint, error, timeout);
            status = mapped instanceof UpstreamHttpError ? mapped.status : undefined;
            throw mapped;
          }
          status = 200;
          return unwrapEnvelope(endpoint, text);
        };
        try {
          breaker?.admit(endpoint);
          try {
            await quota?.acquire(endpoint, until, call.caller);
          } catch (error) {
            breaker?.release();
            throw error;
          }
          const result = await withRetries(attempt, {
            retrySafe: def.retrySafe,
            limit: retryLimit,
            until,
            allowRetry: () => (quota ? quota.allowRetry() : true),
            onAttemptFailed: (error) => quota?.record(error),
            onRetry: () => void attempts++,
          });
          breaker?.record(null);
          done(0);
          return result;
        } catch (error) {
          const mapped = toUpstreamError(endpoint, error, options.timeoutMs);
          if (!(mapped instanceof UpstreamShedError)) breaker?.record(mapped);
          done(mapped instanceof UpstreamRejectedError ? mapped.code : undefined, mapped.name);
          throw mapped;
        }
      });
    },
    close: () => pool.close(),
  };
}
