import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTool, type Started, startProcess } from './helpers/process.js';
import { subscribeSse } from './helpers/subscriptions.js';

// `npm start` as a new user runs it: no key, so the embedded sandbox, with state under DATA_DIR.
describe('npm start', () => {
  let gateway: Started;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'gateway-start-'));
    gateway = await startProcess(
      'src/server.ts',
      { PORT: '0', SANDBOX_PORT: '0', DATA_DIR: dataDir, STAMP_API_KEY: '', STAMP_API_URL: '' },
      /ready: (http:\/\/[^\s/]+)\/graphql/,
    );
  }, 60_000);

  afterAll(async () => {
    await gateway?.stop('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('says it runs on the embedded sandbox and where', () => {
    expect(gateway.output()).toMatch(/sandbox mode: .*serves at http:\/\/127\.0\.0\.1:\d+/);
    expect(gateway.output()).not.toContain('sandbox-dev-key');
  });

  it('answers /health, GraphQL over HTTP and GraphiQL for a browser', async () => {
    const url = gateway.ready;
    expect((await fetch(`${url}/health`)).status).toBe(200);
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ stamp(stampIdx: 1000) { user { id } stamps maxStamps } }' }),
    });
    expect(await res.json()).toEqual({ data: { stamp: { user: { id: 'demo-alice' }, stamps: 3, maxStamps: 10 } } });
    const page = await fetch(`${url}/graphql`, { headers: { accept: 'text/html' } });
    expect(await page.text()).toMatch(/<title>Stamp Gateway<\/title>/);
  });

  it('accepts the customer token `npm run token` prints, and finds that customer’s seeded card with myStamps', async () => {
    const minted = await runTool('src/tools/token.ts', ['--customer', 'demo-alice'], {
      DATA_DIR: dataDir,
      STAMP_API_KEY: '',
      JWT_SECRET: '',
    });
    expect(minted.code, minted.stderr).toBe(0);
    const token = minted.stdout.trim();
    expect(token.split('.')).toHaveLength(3);
    const ask = (query: string) =>
      fetch(`${gateway.ready}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query }),
      }).then((r) => r.json());
    expect(await ask('{ myStamps { userId stamps { stampIdx user { id } } } }')).toEqual({
      data: { myStamps: { userId: 'demo-alice', stamps: [{ stampIdx: 1000, user: { id: 'demo-alice' } }] } },
    });
    // A customer token reads only its own stamps: Bob's card is "not available".
    const other = (await ask('{ stamp(stampIdx: 1001) { stampIdx } }')) as { errors: Array<{ extensions: { code: string } }> };
    expect(other.errors[0]!.extensions.code).toBe('STAMP_UNAVAILABLE');
  });

  it('npm run token refuses with STAMP_API_KEY set, and refuses bad ids', async () => {
    const refused = await runTool('src/tools/token.ts', ['--customer', 'demo-alice'], { DATA_DIR: dataDir, STAMP_API_KEY: 'live-key-123' });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('STAMP_API_KEY');
    expect(refused.stderr).not.toContain('live-key-123');
    for (const args of [
      [],
      ['--customer', ''],
      ['--customer', 'a\u0001b'],
      ['--customer', 'x', '--staff', 'y'],
      ['--customer', 'x', '--hours', '48'],
      ['--nope'],
    ]) {
      const run = await runTool('src/tools/token.ts', args, { DATA_DIR: dataDir, STAMP_API_KEY: '' });
      expect(run.code, JSON.stringify(args)).toBe(1);
      expect(run.stdout).toBe('');
    }
  });

  it('runs the whole webhook loop locally: a change "from the dashboard" of the embedded sandbox reaches a subscriber', async () => {
    const sandboxUrl = /"sandboxUrl":"(http:\/\/[^"]+)"/.exec(gateway.output())![1]!;
    expect(gateway.output()).toMatch(/the embedded sandbox sends its webhooks to http:\/\/127\.0\.0\.1:\d+\/webhooks\/vivoldi/);
    const stream = await subscribeSse(gateway.ready, 'subscription { stampChanged(stampIdx: 1000) { action source stamp { stamps } } }');
    const res = await fetch(`${sandboxUrl}/__sandbox/stamps/1000/add`, {
      method: 'POST',
      headers: { authorization: 'APIKey sandbox-dev-key' },
    });
    expect(res.status).toBe(200);
    expect((await stream.next(2_000)).data.stampChanged).toEqual({ action: 'ADDED', source: 'WEBHOOK', stamp: { stamps: 4 } });
    stream.close();
    // The webhook secret made up for the run (64 hex characters) is never logged.
    expect(gateway.output()).not.toMatch(/[0-9a-f]{64}/);
  });

  it('stops cleanly on SIGTERM', async () => {
    expect(await gateway.stop('SIGTERM')).toBe(0);
  });
});

// Production runs the compiled gateway: `npm run build` then `npm run start:prod` (node dist/server.js).
describe('npm run build, then npm run start:prod', () => {
  let gateway: Started;
  let dataDir: string;

  beforeAll(async () => {
    const built = spawnSync('npm', ['run', '--silent', 'build'], { encoding: 'utf8' });
    expect(built.status, built.stdout + built.stderr).toBe(0);
    dataDir = await mkdtemp(join(tmpdir(), 'gateway-prod-'));
    gateway = await startProcess(
      'dist/server.js',
      { PORT: '0', SANDBOX_PORT: '0', DATA_DIR: dataDir, STAMP_API_KEY: '', STAMP_API_URL: '', NODE_OPTIONS: '' },
      /ready: (http:\/\/[^\s/]+)\/graphql/,
      { nodeArgs: [] },
    );
  }, 90_000);

  afterAll(async () => {
    await gateway?.stop('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves the same API from plain JavaScript, sandbox included, and stops on SIGTERM', async () => {
    const res = await fetch(`${gateway.ready}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ stamp(stampIdx: 1000) { user { id } stamps } }' }),
    });
    expect(await res.json()).toEqual({ data: { stamp: { user: { id: 'demo-alice' }, stamps: 3 } } });
    expect(await gateway.stop('SIGTERM')).toBe(0);
  });
});

/** Runs an entry to its exit (a start-up that must fail), with both streams. */
function runToExit(entry: string, env: Record<string, string>, timeoutMs = 60_000) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', entry], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  const lines = result.stdout.split('\n').filter(Boolean);
  return {
    code: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    lines,
    fatal: lines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level === 60),
  };
}

describe('start-up problems: one log line that names what to change, then exit 1', () => {
  let gateway: Started;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'gateway-held-'));
    gateway = await startProcess(
      'src/server.ts',
      { PORT: '0', SANDBOX_PORT: '0', DATA_DIR: dataDir, STAMP_API_KEY: '' },
      /ready: (http:\/\/[^\s/]+)\/graphql/,
    );
  }, 60_000);
  afterAll(async () => {
    await gateway?.stop('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses a port in use, naming PORT', async () => {
    const port = new URL(gateway.ready).port;
    const other = await mkdtemp(join(tmpdir(), 'gateway-port-'));
    try {
      const run = runToExit('src/server.ts', { PORT: port, SANDBOX_PORT: '0', DATA_DIR: other, STAMP_API_KEY: '' });
      expect(run.code).toBe(1);
      expect(run.stderr).toBe('');
      expect(run.fatal).toHaveLength(1);
      expect(run.fatal[0]!.msg).toMatch(/^PORT: .*already in use/);
      expect(run.stdout).not.toMatch(/\n\s+at |EADDRINUSE.*\n\s+at/);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  }, 60_000);

  it('refuses a DATA_DIR another process holds: a second gateway, or npm run sandbox beside npm start', async () => {
    const second = runToExit('src/server.ts', { PORT: '0', SANDBOX_PORT: '0', DATA_DIR: dataDir, STAMP_API_KEY: '' });
    expect(second.code).toBe(1);
    expect(second.fatal[0]?.msg).toMatch(/DATA_DIR: .* is in use by process \d+/);
    const sandbox = runToExit('src/sandbox/main.ts', { SANDBOX_PORT: '0', DATA_DIR: dataDir });
    expect(sandbox.code).toBe(1);
    expect(sandbox.fatal[0]?.msg).toMatch(/DATA_DIR: .*sandbox is in use by process \d+/);
    // The first one was not disturbed.
    expect((await fetch(`${gateway.ready}/health`)).status).toBe(200);
  }, 60_000);
});

describe('logs for a developer', () => {
  it('are readable lines with LOG_FORMAT=pretty, and JSON lines when stdout is not a terminal', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'gateway-pretty-'));
    try {
      for (const [format, json] of [
        ['pretty', false],
        ['auto', true],
      ] as const) {
        const gateway = await startProcess(
          'src/server.ts',
          { PORT: '0', SANDBOX_PORT: '0', DATA_DIR: dataDir, STAMP_API_KEY: '', LOG_FORMAT: format },
          /ready: (http:\/\/[^\s/]+)\/graphql/,
        );
        await gateway.stop('SIGTERM');
        const first = gateway.output().split('\n').find(Boolean)!;
        if (json) expect(() => JSON.parse(first)).not.toThrow();
        else {
          expect(first).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: sandbox mode/);
          expect(() => JSON.parse(first)).toThrow();
        }
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});

describe('logs in production', () => {
  it('are pino JSON lines on stdout only, with no customer data, secrets, stack traces or request text', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'gateway-logs-'));
    const gateway = await startProcess(
      'src/server.ts',
      { PORT: '0', SANDBOX_PORT: '0', DATA_DIR: dataDir, STAMP_API_KEY: '', NODE_ENV: 'production', LOG_LEVEL: 'debug' },
      /ready: (http:\/\/[^\s/]+)\/graphql/,
    );
    try {
      const post = (body: string, headers: Record<string, string> = {}) =>
        fetch(`${gateway.ready}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }).then((r) =>
          r.text(),
        );
      const q = (query: string, variables: Record<string, unknown> = {}) => post(JSON.stringify({ query, variables }));
      await q('{ stamp(stampIdx: 1000) { user { name email } } stamps(stampIdxs: [1002, 99999]) { user { phone } onsitePassword } }');
      await q('mutation($i: UpdateStampInput!) { updateStamp(input: $i) { stamp { memo } } }', {
        i: { stampIdx: 1000, memo: 'secret-memo-text', user: { email: 'new-secret@example.com' } },
      });
      await q('mutation { redeemStamp(input: {stampIdx: 1002, onsitePassword: "wrong-password-77"}) { stampIdx } }');
      await q('mutation { redeemStamp(input: {stampIdx: 1002, onsitePassword: "482913"}) { stampIdx } }');
      await post('{"query": "{ stamp(stampIdx: 1000) { user { email } } }", "oops"');
      await q('query($d: Date!) { stamp(stampIdx: 1000) { stampIdx } }', { d: 'alice@example.com' });
      await post(JSON.stringify({ query: '{ __typename }' }), { authorization: 'Bearer some-token-value-0123456789' });
    } finally {
      await gateway.stop('SIGTERM');
      await rm(dataDir, { recursive: true, force: true });
    }
    const out = gateway.output();
    const lines = out.split('\n').filter(Boolean);
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
    for (const secret of [
      'alice@example.com',
      'Alice Demo',
      '010-1234-5678',
      'Carol Demo',
      '482913',
      'wrong-password-77',
      'secret-memo-text',
      'new-secret@example.com',
      'some-token-value',
      'sandbox-dev-key',
    ]) {
      expect(out, secret).not.toContain(secret);
    }
    expect(out).not.toMatch(/\\n\s+at |node_modules|originalError|"stack"/);
  }, 90_000);
});
