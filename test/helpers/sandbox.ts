import { loadConfig } from '../../src/config.js';
import { addDays, seoulToday } from '../../src/dates.js';
import { createSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/server.js';

export const TEST_USER_AGENT = 'StampGatewayTests/1.0 (+https://example.com/stamp-gateway)';

/** An in-memory sandbox on port 0 with the demo seed. */
export function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return createSandbox({ port: 0, dataDir: null, ...options });
}

export interface Envelope {
  status: number;
  code?: number;
  message?: string;
  result?: unknown;
  text: string;
  headers: Headers;
}

/** Calls the sandbox the way a well-behaved client does, returning the raw status and parsed envelope. */
export async function callSandbox(
  sandbox: Sandbox,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Envelope> {
  const res = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: {
      'user-agent': TEST_USER_AGENT,
      authorization: `APIKey ${sandbox.apiKey}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: { code?: number; message?: string; result?: unknown } = {};
  try {
    parsed = JSON.parse(text);
  } catch {
    // not an envelope: the test looks at text
  }
  return { status: res.status, ...parsed, text, headers: res.headers };
}

export interface SeedOptions {
  /** The card (1: 10 stamps, 2: 6, 3: 5 with on-site approval). @default 1 */
  cardIdx?: number;
  /** Stamps already collected. @default 0 */
  stamps?: number;
  /** The customer. @default a fresh id */
  userId?: string;
  /** Days from today to the first and last day of the window. @default -1 and 30 */
  from?: number;
  to?: number;
  /** Other upstream fields (memo, userEtc1, ...). */
  fields?: Record<string, unknown>;
}

/**
 * The one fixture of the tests: a stamp made straight in the sandbox (nothing in its request log),
 * so that each test owns its data. Usable today unless the window says otherwise.
 */
export function seedStamp(sandbox: Sandbox, options: SeedOptions = {}): number {
  const today = seoulToday(new Date());
  const idx = sandbox.state.create(
    {
      cardIdx: options.cardIdx ?? 1,
      strtYmd: addDays(today, options.from ?? -1),
      endYmd: addDays(today, options.to ?? 30),
      userId: options.userId ?? `u-${Math.random().toString(36).slice(2, 10)}`,
      ...options.fields,
    },
    'premium',
  ).result as number;
  if (options.stamps) sandbox.state.update({ stampIdx: idx, stamps: options.stamps }, 'premium');
  return idx;
}

/** A card of one's own, with room for `maxStamps`. */
export function seedCard(sandbox: Sandbox, maxStamps: number, name = 'Test card'): number {
  return sandbox.state.addCard({ cardNm: name, maxStamps }).result as number;
}

/** The stamp API client's options for a sandbox, the rest from the configuration's defaults. */
export function clientOptions(sandbox: Sandbox) {
  const { upstream } = loadConfig({});
  return {
    baseUrl: sandbox.url,
    apiKey: sandbox.apiKey,
    timeoutMs: 2_000,
    userAgent: TEST_USER_AGENT,
    maxInFlight: upstream.maxInFlight,
    retryLimit: upstream.retries,
  };
}
