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
