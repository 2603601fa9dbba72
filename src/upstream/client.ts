import ky, { HTTPError, type KyInstance, TimeoutError } from 'ky';
import { type Dispatcher, Pool } from 'undici';
import { type Endpoint, ENDPOINTS } from './endpoints.js';
import { unwrapEnvelope } from './envelope.js';
import { type UpstreamGuard, UpstreamShedError } from './guard.js';
import { UpstreamError, UpstreamHttpError, UpstreamNetworkError, UpstreamRejectedError, UpstreamTimeoutError } from './errors.js';

export interface UpstreamClientOptions {
  /** Base URL of the stamp API, e.g. `https://vivoldi.com`. */
  baseUrl: string;
  apiKey: string;
  /** Bound on one attempt of one call. @default 10000 */
  timeoutMs: number;
  /** The real service blocks generic User-Agents with HTTP 403. */
  userAgent: string;
  /** Calls in flight at once; the rest wait their turn. @default 32 */
  maxInFlight?: number;
  /** Extra attempts for calls that are safe to repeat (validate, update). @default 2 */
  retryLimit?: number;
  /** Quota shaping, circuit breaker and retry budget; none when omitted. */
  guard?: UpstreamGuard;
  /** Told about every call once it has ended (logs, metrics). */
  onCall?: (record: UpstreamCallRecord & { requestId?: string }) => void;
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
  /** Epoch ms by which the caller needs an answer; each attempt's timeout is cut to fit. */
  deadline?: number;
  /** Told about the call once it has ended, successfully or not. */
  onDone?: (record: UpstreamCallRecord) => void;
}

export interface UpstreamClient {
  /** Calls an endpoint and returns the envelope's `result`. Throws only UpstreamError subclasses. */
  call(endpoint: Endpoint, options: CallOptions): Promise<unknown>;
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
 * A fetch for ky backed by the undici Pool: the same keep-alive connections the reads use.
 * Failures are raised as fetch raises them (TypeError with the cause), so ky's retries and our
 * mapping see the same errors.
 */
function poolFetch(pool: Pool): typeof fetch {
  return async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => (headers[name] = value));
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
      return new Response(res.statusCode === 204 || res.statusCode === 304 ? null : body, { status: res.statusCode, headers: responseHeaders });
    } catch (error) {
      if ((error as Error).name === 'AbortError' || request.signal.aborted) throw error;
      throw new TypeError('fetch failed', { cause: error });
    }
  };
}

// The retry policy of the calls that are safe to repeat, for ky and the direct reads alike.
const RETRY_STATUSES = [408, 429, 500, 502, 503, 504];
// Statuses whose Retry-After is obeyed (ky's afterStatusCodes).
const RETRY_AFTER_STATUSES = new Set([413, 429, 503]);
const BACKOFF_LIMIT_MS = 2_000;
/** ky's backoff: 0.3 s, 0.6 s, 1.2 s ... up to the limit. */
const backoffMs = (retry: number) => Math.min(BACKOFF_LIMIT_MS, 300 * 2 ** (retry - 1));
/** A 2xx answer's status and body. */
interface Answer {
  status: number;
  text: string;
}
const headerValue = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? null;

/**
 * One GET over the pool with a bound on the whole attempt. A read is the hot path of the gateway:
 * ky builds a WHATWG Request, Response and AbortController around every call, which costs ~190 µs of
 * CPU per call against ~55 µs for the pool's own request (measured; see the README's benchmark).
 * Throws UpstreamHttpError, UpstreamTimeoutError, or a network failure shaped as fetch raises it.
 */
async function getOnce(pool: Pool, endpoint: Endpoint, path: string, headers: Record<string, string>, timeoutMs: number): Promise<Answer> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const res = await pool.request({ path, method: 'GET', headers, signal: controller.signal });
    const text = await res.body.text();
    if (res.statusCode < 200 || res.statusCode > 299) {
      throw new UpstreamHttpError(endpoint, res.statusCode, retryAfterSeconds(headerValue(res.headers['retry-after'])));
    }
    return { status: res.statusCode, text };
  } catch (error) {
    if (error instanceof UpstreamError) throw error;
    if (controller.signal.aborted) throw new UpstreamTimeoutError(endpoint, timeoutMs, { cause: error });
    throw new TypeError('fetch failed', { cause: error });
  } finally {
    clearTimeout(timer);
  }
}

/** Turns whatever ky or fetch threw into the upstream error family, keeping the original as `cause`. */
function toUpstreamError(endpoint: Endpoint, error: unknown, timeoutMs: number): UpstreamError {
  if (error instanceof UpstreamError) return error;
  if (error instanceof HTTPError) {
    return new UpstreamHttpError(endpoint, error.response.status, retryAfterSeconds(error.response.headers.get('retry-after')), { cause: error });
  }
  if (error instanceof TimeoutError) return new UpstreamTimeoutError(endpoint, timeoutMs, { cause: error });
  const codes = networkCodes(error);
  const beforeSending = codes.length > 0 && codes.every((c) => BEFORE_SENDING.has(c));
  return new UpstreamNetworkError(endpoint, beforeSending, codes.join(', ') || (error as Error).message, { cause: error });
}

/**
 * The one HTTP client of the stamp API: auth, identification, timeout and the retry policy.
 * Changes go through ky; reads (GET validate, the hot path) go straight to the same undici Pool with
 * the same headers, timeout and retry policy, without ky's per-call WHATWG objects.
 */
export function createUpstreamClient(options: UpstreamClientOptions): UpstreamClient {
  const limit = new InFlightLimit(options.maxInFlight ?? 32);
  const retryLimit = options.retryLimit ?? 2;
  const guard = options.guard;
  const pool = new Pool(new URL(options.baseUrl).origin, { connections: options.maxInFlight ?? 32, keepAliveTimeout: 30_000 });
  const basePath = new URL(options.baseUrl).pathname.replace(/\/?$/, '/');
  const headers = {
    authorization: `APIKey ${options.apiKey}`,
    'user-agent': options.userAgent,
    'accept-language': 'en',
    accept: 'application/json',
  };
  const http: KyInstance = ky.create({
    prefixUrl: options.baseUrl,
    timeout: options.timeoutMs,
    headers,
    // ky retries PUT and DELETE by default; create, add, remove and redeem must never be repeated blindly.
    retry: 0,
    hooks: {
      beforeRetry: [
        ({ error }) => {
          // A retry spends quota: within the retry budget and a free slot only.
          if (guard && !guard.allowRetry()) throw error;
        },
      ],
    },
    fetch: poolFetch(pool),
  });

  /** A change through ky; retried only when the endpoint is safe to repeat. */
  async function send(endpoint: Endpoint, call: CallOptions, timeout: number, onRetry: () => void): Promise<Answer> {
    const def = ENDPOINTS[endpoint];
    const response = await http(def.path, {
      timeout,
      method: def.method,
      searchParams: call.searchParams,
      json: call.json,
      // Never `headers: undefined`: ky then drops the instance's headers (auth, User-Agent).
      ...(call.requestId ? { headers: { 'x-request-id': call.requestId } } : {}),
      retry: def.retrySafe ? { limit: retryLimit, methods: [def.method], statusCodes: RETRY_STATUSES, backoffLimit: BACKOFF_LIMIT_MS } : 0,
      hooks: { beforeRetry: [onRetry] },
    });
    return { status: response.status, text: await response.text() };
  }

  /** A read over the pool, with ky's retry policy: statuses, backoff, Retry-After, no retry after a timeout. */
  async function read(endpoint: Endpoint, call: CallOptions, until: number, onRetry: () => void): Promise<Answer> {
    const query = new URLSearchParams(call.searchParams as Record<string, string>).toString();
    const path = `${basePath}${ENDPOINTS[endpoint].path}${query ? `?${query}` : ''}`;
    const sent = call.requestId ? { ...headers, 'x-request-id': call.requestId } : headers;
    for (let retry = 1; ; retry++) {
      const timeout = Math.max(1, Math.min(options.timeoutMs, until - Date.now()));
      try {
        return await getOnce(pool, endpoint, path, sent, timeout);
      } catch (error) {
        const retryable = error instanceof UpstreamHttpError ? RETRY_STATUSES.includes(error.status) : !(error instanceof UpstreamTimeoutError);
        if (!retryable || retry > retryLimit) throw error;
        const wait =
          error instanceof UpstreamHttpError && error.retryAfter !== undefined && RETRY_AFTER_STATUSES.has(error.status)
            ? error.retryAfter * 1000
            : backoffMs(retry);
        // Neither past the caller's deadline nor beyond the retry budget and the quota.
        if (Date.now() + wait >= until || (guard && !guard.allowRetry())) throw error;
        await new Promise((resolve) => setTimeout(resolve, wait));
        onRetry();
      }
    }
  }

  return {
    call(endpoint, call) {
      const until = call.deadline ?? Date.now() + options.timeoutMs * (retryLimit + 1);
      return limit.run(async () => {
        const started = performance.now();
        let attempts = 1;
        let status: number | undefined;
        const done = (extra: Partial<UpstreamCallRecord>) => {
          const record = { endpoint, status, attempts, durationMs: Math.round((performance.now() - started) * 10) / 10, ...extra };
          call.onDone?.(record);
          options.onCall?.({ ...record, requestId: call.requestId });
        };
        const onRetry = () => void attempts++;
        try {
          if (guard) await guard.acquire(endpoint, until);
          const answer =
            ENDPOINTS[endpoint].method === 'get'
              ? await read(endpoint, call, until, onRetry)
              : // What is left of the request's deadline bounds this call, never more than the timeout.
                await send(endpoint, call, Math.max(1, Math.min(options.timeoutMs, until - Date.now())), onRetry);
          status = answer.status;
          const result = unwrapEnvelope(endpoint, answer.text);
          guard?.record(null);
          done({ code: 0 });
          return result;
        } catch (error) {
          const mapped = toUpstreamError(endpoint, error, options.timeoutMs);
          if (mapped instanceof UpstreamHttpError) status = mapped.status;
          if (!(mapped instanceof UpstreamShedError)) guard?.record(mapped);
          done({ error: mapped.name, ...(mapped instanceof UpstreamRejectedError ? { code: mapped.code } : {}) });
          throw mapped;
        }
      });
    },
  };
}
