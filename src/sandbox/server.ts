import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ZodError } from 'zod';
import { addDays, isCalendarDate, seoulTimestamp } from '../dates.js';
import { type Endpoint, type Fault, FaultRegistry } from './faults.js';
import { SandboxPersistence } from './persistence.js';
import { RequestLog } from './request-log.js';
import { type Card, type Outcome, type Plan, parseQueryIdx, Rejection, SandboxCode, SandboxState, type StampRow } from './state.js';
import { type WebhookAction, WebhookSender, type WebhookSenderOptions, type WebhookTarget } from './webhooks.js';

/** The documented development key the sandbox accepts when none is configured. */
export const DEFAULT_SANDBOX_API_KEY = 'sandbox-dev-key';

export interface SandboxKey {
  key: string;
  plan: Plan;
}

export interface SandboxOptions {
  port?: number;
  host?: string;
  /** Where PGlite keeps the state; omit (or null) for an in-memory sandbox. */
  dataDir?: string | null;
  /** Accepted API keys with their plans. Default: the development key on the Premium plan. */
  apiKeys?: SandboxKey[];
  /** Refuse a missing or generic User-Agent with HTTP 403, as the real service does. Default true. */
  requireUserAgent?: boolean;
  /**
   * A bad or missing key: HTTP 401 with an envelope (default), or HTTP 200 with `code != 0` (A15's
   * suggestion). The default differs from A15 because clients must not read codes, and a 200 refusal
   * makes "the gateway's key is wrong" indistinguishable from "this stamp is unusable".
   */
  authFailure?: 'envelope' | 'status';
  /** Per-key limits answered with HTTP 429 (A22); omit for none. */
  rateLimit?: { perMinute: number; perHour: number } | null;
  /** Seed the demo cards and stamps into an empty store. Default true. */
  seed?: boolean;
  /** A fixed clock for tests; the admin API and `clock` can move it too. */
  now?: () => Date;
  customDomains?: string[];
  strictUpdateRedeem?: boolean;
  strictPastEnd?: boolean;
  requestLogLimit?: number;
  /** Where the sandbox reports its own failures (never with stamp data); silent when omitted. */
  log?: (message: string, detail: Record<string, unknown>) => void;
  /** Sends the stamp service's signed webhooks for add, remove and redeem to this target (settable later too). */
  webhooks?: Partial<WebhookTarget> & WebhookSenderOptions;
}

export interface Sandbox {
  readonly url: string;
  readonly port: number;
  readonly apiKey: string;
  readonly state: SandboxState;
  readonly requests: RequestLog;
  readonly faults: FaultRegistry;
  /** The webhooks it sends: target, fault switch, deliveries. */
  readonly webhooks: WebhookSender;
  /** The sandbox's own storage, when it persists (for tests that make it fail). */
  readonly storage: { query(sql: string): Promise<unknown> } | undefined;
  readonly clock: { set(isoOrDate: string): void; reset(): void };
  /** The stored row of a stamp, including state the API never shows (redeemed flag, PIN set). */
  inspect(stampIdx: number): (Omit<StampRow, 'pinHash'> & { pinSet: boolean }) | undefined;
  close(): Promise<void>;
}

const ROUTES: Record<string, { method: string; endpoint: Endpoint }> = {
  '/api/stamp/v1/create': { method: 'POST', endpoint: 'create' },
  '/api/stamp/v1/validate': { method: 'GET', endpoint: 'validate' },
  '/api/stamp/v1/update': { method: 'PUT', endpoint: 'update' },
  '/api/stamp/v1/add': { method: 'PUT', endpoint: 'add' },
  '/api/stamp/v1/remove': { method: 'PUT', endpoint: 'remove' },
  '/api/stamp/v1/redeem': { method: 'PUT', endpoint: 'redeem' },
  '/api/stamp/v1/delete': { method: 'DELETE', endpoint: 'delete' },
};

// Clients the real service treats as unidentified bots (docs/stamp-api.md, "Calling it").
const GENERIC_USER_AGENT =
  /^(curl|wget|python-requests|python-urllib|python|axios|node-fetch|node|undici|got|ky|okhttp|go-http-client|java|apache-httpclient|libwww-perl|postmanruntime|mozilla\/5\.0)(\/[\w.-]*)?$/i;

const MAX_BODY_BYTES = 1024 * 1024;
const HTML_ERROR = (status: number) =>
  `<!DOCTYPE html><html><head><title>${status}</title></head><body><h1>${status} Error</h1><p>The server is temporarily unable to service your request.</p></body></html>`;

class BodyTooLarge extends Error {}

/** A change the sandbox could not store; it was undone, so the answer (HTTP 500) changed nothing. */
class NotPersisted extends Error {
  constructor(cause: unknown) {
    super('the change could not be stored and was undone', { cause });
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge());
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

function sendEnvelope(res: ServerResponse, code: number, message: string, result: unknown, status = 200): void {
  send(res, status, JSON.stringify({ code, message, result }), { 'content-type': 'application/json; charset=utf-8' });
}

function resolveSeedDate(value: string, today: string): string {
  const m = /^today([+-]\d+)?$/.exec(value);
  if (m) return addDays(today, m[1] ? Number(m[1]) : 0);
  if (!isCalendarDate(value)) throw new Error(`Bad seed date ${value}`);
  return value;
}

function seedInto(state: SandboxState, now: Date): Outcome['change'][] {
  const seed = JSON.parse(readFileSync(new URL('./seed.json', import.meta.url), 'utf8')) as {
    cards: Card[];
    stamps: Array<Partial<StampRow> & { stampIdx: number; cardIdx: number; strtYmd: string; endYmd: string }>;
  };
  const today = state.today();
  const stamps: StampRow[] = seed.stamps.map((s) => ({
    domain: 'https://vvd.bz',
    activeYn: 'Y',
    useYn: 'N',
    stamps: 0,
    memo: null,
    userId: `seed-${s.stampIdx}`,
    userNm: null,
    userPhnno: null,
    userEml: null,
    userEtc1: null,
    userEtc2: null,
    pinHash: null,
    regYmdt: seoulTimestamp(now),
    ...s,
    strtYmd: resolveSeedDate(s.strtYmd, today),
    endYmd: resolveSeedDate(s.endYmd, today),
  }));
  state.load(seed.cards, stamps);
  return [...seed.cards.map((card) => ({ kind: 'card' as const, card })), ...stamps.map((stamp) => ({ kind: 'stamp' as const, stamp }))];
}

/**
 * Starts the local stamp API: the seven endpoints with the real service's rules, plus a sandbox-only
 * admin API under `/__sandbox/` (cards, faults, request log, clock). Resolves once it is listening.
 */
export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const apiKeys = options.apiKeys ?? [{ key: DEFAULT_SANDBOX_API_KEY, plan: 'premium' }];
  const requireUserAgent = options.requireUserAgent ?? true;
  const authFailure = options.authFailure ?? 'status';
  const baseNow = options.now ?? (() => new Date());
  let clockOffsetMs = 0;
  const now = () => new Date(baseNow().getTime() + clockOffsetMs);

  const state = new SandboxState({
    now,
    customDomains: options.customDomains ?? ['https://stamps.example.com'],
    strictUpdateRedeem: options.strictUpdateRedeem ?? false,
    strictPastEnd: options.strictPastEnd ?? false,
  });
  const requests = new RequestLog(options.requestLogLimit);
  const faults = new FaultRegistry();
  const persistence = options.dataDir ? await SandboxPersistence.open(options.dataDir) : null;
  const hadState = persistence ? await persistence.load(state) : false;
  if (!hadState && (options.seed ?? true)) {
    const changes = seedInto(state, now());
    if (persistence) for (const change of changes) if (change) await persistence.save(change, state);
  }

  const { url: webhookUrl, secret: webhookSecret, signedPayload, ...senderOptions } = options.webhooks ?? {};
  const webhooks = new WebhookSender(
    webhookUrl && webhookSecret ? { url: webhookUrl, secret: webhookSecret, signedPayload } : undefined,
    senderOptions,
  );
  /** Announces a change by webhook, as the stamp service does for add, remove and use (redeem). */
  const announce = (action: WebhookAction, outcome: Outcome) => {
    const change = outcome.change;
    if (change?.kind !== 'stamp') return;
    webhooks.send(action, change.stamp, state.cards.get(change.stamp.cardIdx)?.maxStamps ?? 0);
  };

  const rateWindows = new Map<string, number[]>();
  const hung = new Set<ServerResponse>();
  const sockets = new Set<Socket>();

  function planOf(req: IncomingMessage): SandboxKey | undefined {
    const header = req.headers.authorization ?? '';
    const m = /^APIKey (.+)$/.exec(header);
    return m ? apiKeys.find((k) => k.key === m[1]) : undefined;
  }

  function overRateLimit(key: string): boolean {
    if (!options.rateLimit) return false;
    const t = Date.now();
    const hits = (rateWindows.get(key) ?? []).filter((at) => at > t - 3_600_000);
    const lastMinute = hits.filter((at) => at > t - 60_000).length;
    if (lastMinute >= options.rateLimit.perMinute || hits.length >= options.rateLimit.perHour) {
      rateWindows.set(key, hits);
      return true;
    }
    hits.push(t);
    rateWindows.set(key, hits);
    return false;
  }

  async function apply(endpoint: Endpoint, body: unknown, query: URLSearchParams, plan: Plan): Promise<Outcome> {
    const idxFromQuery = () => {
      // A12: the query string is the documented form; older pages showed a JSON body.
      const raw = query.get('stampIdx');
      if (raw === null && body && typeof body === 'object' && 'stampIdx' in body) {
        return parseQueryIdx(String((body as { stampIdx: unknown }).stampIdx));
      }
      return parseQueryIdx(raw);
    };
    // What this call may touch, as it was: a change that cannot be persisted is undone before the
    // answer, so the sandbox never applies a change and then answers 5xx.
    const candidates = [(body as { stampIdx?: unknown } | null)?.stampIdx, Number(query.get('stampIdx')), state.nextStampIdx].filter(
      (v): v is number => typeof v === 'number' && Number.isSafeInteger(v),
    );
    const before = candidates.map((idx) => [idx, state.stamps.get(idx)] as const);
    const counters = { stamp: state.nextStampIdx, card: state.nextCardIdx };
    let outcome: Outcome;
    switch (endpoint) {
      case 'create':
        outcome = state.create(body, plan);
        break;
      case 'validate':
        outcome = state.validate(idxFromQuery());
        break;
      case 'update':
        outcome = state.update(body, plan);
        break;
      case 'add':
        outcome = state.add(body);
        break;
      case 'remove':
        outcome = state.remove(body);
        break;
      case 'redeem':
        outcome = state.redeem(body);
        break;
      case 'delete':
        outcome = state.delete(idxFromQuery());
        break;
    }
    if (outcome.change && persistence) {
      try {
        await persistence.save(outcome.change, state);
      } catch (error) {
        for (const [idx, row] of before) {
          if (row) state.stamps.set(idx, row);
          else state.stamps.delete(idx);
        }
        state.nextStampIdx = counters.stamp;
        state.nextCardIdx = counters.card;
        throw new NotPersisted(error);
      }
    }
    return outcome;
  }

  /** Answers with the fault's failure; returns false for faults that let the call go on. */
  async function inject(fault: Fault, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const action = fault.action;
    switch (action.type) {
      case 'delay':
        await new Promise((r) => setTimeout(r, action.ms));
        return false;
      case 'result':
        return false;
      case 'hang':
        hung.add(res);
        res.on('close', () => hung.delete(res));
        return true;
      case 'drop':
        req.socket.destroy();
        return true;
      case 'envelope':
        sendEnvelope(res, action.code, action.message, null);
        return true;
      case 'status': {
        const headers: Record<string, string> = {};
        if (action.retryAfter !== undefined) headers['retry-after'] = String(action.retryAfter);
        if (action.body === 'html') headers['content-type'] = 'text/html; charset=utf-8';
        if (action.body === 'text') headers['content-type'] = 'text/plain; charset=utf-8';
        const text = action.body === 'html' ? HTML_ERROR(action.status) : action.body === 'text' ? `Error ${action.status}` : '';
        send(res, action.status, text, headers);
        return true;
      }
    }
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL, endpoint: Endpoint | null): Promise<void> {
    let raw = '';
    try {
      raw = await readBody(req);
    } catch (err) {
      if (err instanceof BodyTooLarge) return sendEnvelope(res, SandboxCode.BAD_PARAMETER, 'The request body is too large.', null, 413);
      throw err;
    }
    let body: unknown = null;
    let malformed = false;
    if (raw.trim() !== '') {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
        malformed = true;
      }
    }
    const logged = requests.record({
      endpoint,
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')])),
      body,
    });

    const route = ROUTES[url.pathname];
    if (!route || !endpoint) return sendEnvelope(res, SandboxCode.BAD_PARAMETER, `No such endpoint: ${url.pathname}`, null, 404);
    if (req.method !== route.method) {
      return sendEnvelope(res, SandboxCode.BAD_PARAMETER, `${url.pathname} expects ${route.method}.`, null, 405);
    }

    const fault = faults.take(endpoint);
    if (fault && !fault.applyFirst && (await inject(fault, req, res))) return;

    const userAgent = req.headers['user-agent']?.trim() ?? '';
    if (requireUserAgent && (userAgent === '' || GENERIC_USER_AGENT.test(userAgent))) {
      return send(res, 403, HTML_ERROR(403), { 'content-type': 'text/html; charset=utf-8' });
    }
    const key = planOf(req);
    if (!key) {
      const message = 'Authentication failed: send "Authorization: APIKey <your key>" with a valid key.';
      return sendEnvelope(res, SandboxCode.AUTH_FAILED, message, null, authFailure === 'status' ? 401 : 200);
    }
    if (overRateLimit(key.key)) return send(res, 429, 'Too Many Requests', { 'content-type': 'text/plain' });
    if (key.plan === 'free') {
      return sendEnvelope(res, SandboxCode.PLAN_NOT_ALLOWED, 'The stamp API needs the Personal plan or higher.', null);
    }

    let outcome: Outcome | undefined;
    let rejection: Rejection | undefined;
    if (malformed) {
      rejection = new Rejection(SandboxCode.BAD_PARAMETER, 'The request body is not valid JSON.');
    } else {
      try {
        const wasRedeemed = endpoint === 'update' ? stampOf(body)?.useYn === 'Y' : false;
        outcome = await apply(endpoint, body, url.searchParams, key.plan);
        logged.applied = outcome.change !== undefined;
        if (endpoint === 'add') announce('ADD', outcome);
        if (endpoint === 'remove') announce('REMOVE', outcome);
        if (endpoint === 'redeem') announce('USE', outcome);
        // Update with useYn=Y redeems too (the admin route).
        if (endpoint === 'update' && !wasRedeemed && outcome.change?.kind === 'stamp' && outcome.change.stamp.useYn === 'Y') {
          announce('USE', outcome);
        }
      } catch (err) {
        if (!(err instanceof Rejection)) throw err;
        rejection = err;
      }
    }
    if (fault?.applyFirst && (await inject(fault, req, res))) return;
    if (rejection) return sendEnvelope(res, rejection.code, rejection.message, null);
    const result = fault?.action.type === 'result' ? fault.action.result : outcome!.result;
    sendEnvelope(res, 0, '', result ?? null);
  }

  /** The stored row of the stamp a body names, if any. */
  function stampOf(body: unknown): StampRow | undefined {
    const idx = (body as { stampIdx?: unknown } | null)?.stampIdx;
    return typeof idx === 'number' ? state.stamps.get(idx) : undefined;
  }

  async function handleAdmin(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (!planOf(req)) {
      return sendEnvelope(res, SandboxCode.AUTH_FAILED, 'The sandbox admin API needs the sandbox API key.', null, 401);
    }
    const raw = await readBody(req);
    const body: unknown = raw ? JSON.parse(raw) : {};
    const path = url.pathname.replace(/^\/__sandbox/, '');
    const ok = (result: unknown) => sendEnvelope(res, 0, '', result);
    const method = req.method;

    if (path === '/cards' && method === 'GET') return ok([...state.cards.values()]);
    if (path === '/cards' && method === 'POST') {
      const { result, change } = state.addCard(body);
      if (change && persistence) await persistence.save(change, state);
      return ok(result);
    }
    if (path === '/requests/total' && method === 'GET') {
      return ok(requests.total((url.searchParams.get('endpoint') as Endpoint) ?? undefined));
    }
    if (path === '/requests' && method === 'GET') {
      // Over HTTP the log never shows the API key itself.
      return ok(
        requests.list((url.searchParams.get('endpoint') as Endpoint) ?? undefined).map((r) => ({
          ...r,
          headers: { ...r.headers, ...(r.headers.authorization ? { authorization: r.headers.authorization.replace(/ .*/, ' ***') } : {}) },
        })),
      );
    }
    if (path === '/requests' && method === 'DELETE') return ok(requests.clear() ?? null);
    if (path === '/faults' && method === 'GET') return ok(faults.list());
    if (path === '/faults' && method === 'POST') return ok(faults.add(body as never));
    if (path === '/faults' && method === 'DELETE') return ok(faults.clear() ?? null);
    if (path === '/clock' && method === 'POST') {
      const { now: at } = body as { now?: string };
      if (at) sandbox.clock.set(at);
      else sandbox.clock.reset();
      return ok(now().toISOString());
    }
    if (path === '/webhooks' && method === 'GET') return ok({ target: webhooks.targetUrl, deliveries: webhooks.deliveries() });
    if (path === '/webhooks' && method === 'POST') {
      const { url: to, secret, signedPayload: signs } = body as Partial<WebhookTarget>;
      webhooks.setTarget(to && secret ? { url: to, secret, signedPayload: signs } : undefined);
      return ok({ target: webhooks.targetUrl });
    }
    if (path === '/webhooks/faults' && method === 'POST') {
      const { drop, duplicate } = body as { drop?: number; duplicate?: number };
      webhooks.setFaults({ drop: Number(drop ?? 0), duplicate: Number(duplicate ?? 0) });
      return ok(null);
    }
    // Changes "from the dashboard": the stamp service's rules, no API call logged, and a webhook.
    const dashboard = /^\/stamps\/(\d+)\/(add|remove|redeem)$/.exec(path);
    if (dashboard && method === 'POST') {
      const stampIdx = Number(dashboard[1]);
      const outcome =
        dashboard[2] === 'add'
          ? state.add({ stampIdx })
          : dashboard[2] === 'remove'
            ? state.remove({ stampIdx })
            : state.update({ stampIdx, useYn: 'Y' }, 'business');
      if (outcome.change && persistence) await persistence.save(outcome.change, state);
      announce(dashboard[2] === 'add' ? 'ADD' : dashboard[2] === 'remove' ? 'REMOVE' : 'USE', outcome);
      return ok(
        outcome.change?.kind === 'stamp' ? { stampIdx, stamps: outcome.change.stamp.stamps, useYn: outcome.change.stamp.useYn } : null,
      );
    }
    const stampMatch = /^\/stamps\/(\d+)(\/pin)?$/.exec(path);
    if (stampMatch && method === 'GET' && !stampMatch[2]) return ok(sandbox.inspect(Number(stampMatch[1])) ?? null);
    if (stampMatch && method === 'POST' && stampMatch[2]) {
      const { change } = state.setPin({ ...(body as object), stampIdx: Number(stampMatch[1]) });
      if (change && persistence) await persistence.save(change, state);
      return ok(null);
    }
    return sendEnvelope(res, SandboxCode.BAD_PARAMETER, `No sandbox admin route ${method} ${url.pathname}`, null, 404);
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const handler = url.pathname.startsWith('/__sandbox/')
      ? handleAdmin(req, res, url)
      : url.pathname === '/health'
        ? Promise.resolve(send(res, 200, 'ok'))
        : handleApi(req, res, url, ROUTES[url.pathname]?.endpoint ?? null);
    handler.catch((err: unknown) => {
      if (err instanceof Rejection) return sendEnvelope(res, err.code, err.message, null);
      if (err instanceof ZodError || err instanceof SyntaxError) {
        return sendEnvelope(res, SandboxCode.BAD_PARAMETER, `Bad request: ${err.message}`, null, 400);
      }
      // The kind of failure only: its message may quote stamp data (customer e-mails, names).
      const cause = err instanceof NotPersisted ? err.cause : err;
      options.log?.('sandbox: a request failed', {
        error: (cause as Error)?.name,
        code: (cause as { code?: string })?.code,
        undone: err instanceof NotPersisted,
      });
      sendEnvelope(
        res,
        9999,
        err instanceof NotPersisted ? 'The change could not be stored; nothing was changed.' : 'Internal sandbox error',
        null,
        500,
      );
    });
  });
  server.keepAliveTimeout = 65_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';

  const sandbox: Sandbox = {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    apiKey: apiKeys[0]!.key,
    state,
    requests,
    faults,
    webhooks,
    clock: {
      set(isoOrDate) {
        const target = isCalendarDate(isoOrDate) ? new Date(`${isoOrDate}T03:00:00Z`) : new Date(isoOrDate);
        if (Number.isNaN(target.getTime())) throw new Rejection(SandboxCode.BAD_PARAMETER, `Bad clock value ${isoOrDate}`);
        clockOffsetMs = target.getTime() - baseNow().getTime();
      },
      reset() {
        clockOffsetMs = 0;
      },
    },
    storage: persistence ? { query: (sql: string) => persistence.query(sql) } : undefined,
    inspect(stampIdx) {
      const row = state.stamps.get(stampIdx);
      if (!row) return undefined;
      const { pinHash, ...rest } = row;
      return { ...rest, pinSet: pinHash !== null };
    },
    async close() {
      webhooks.close();
      for (const res of hung) res.destroy();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await persistence?.close();
    },
  };
  return sandbox;
}
