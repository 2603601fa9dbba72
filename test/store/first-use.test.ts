import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server.js';
import { holdsDatabase } from '../../src/store/database.js';
import { GatewayStore } from '../../src/store/store.js';
import { type Started, startProcess } from '../helpers/process.js';
import { seedStamp, startSandbox } from '../helpers/sandbox.js';

const KEY = 'first-use-key-0123456789';
const READY = /ready: (http:\/\/[^\s/]+)\/graphql/;
const STARTED = 'the embedded state store started';

// PGlite holds ~130 MB from the moment it starts: a data directory that already holds the gateway's
// database starts only when something needs it (a change, a history read), and recovers then.
describe('the embedded state store, started on first use', () => {
  let sandbox: Sandbox;
  let dataDir: string;
  let env: Record<string, string>;
  const started: Started[] = [];

  const start = async () => {
    const gateway = await startProcess('src/server.ts', env, READY);
    started.push(gateway);
    return gateway;
  };
  const post = async (gateway: Started, query: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${gateway.ready}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}`, ...headers },
      body: JSON.stringify({ query }),
    });
    return (await res.json()) as { data?: any; errors?: Array<{ extensions: Record<string, unknown> }> };
  };
  // Log lines reach stdout in batches, within 100 ms.
  const lines = async (gateway: Started) => {
    await new Promise((r) => setTimeout(r, 250));
    return gateway
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg: string });
  };
  const startedLines = async (gateway: Started) => (await lines(gateway)).filter((l) => l.msg === STARTED).length;

  beforeAll(async () => {
    sandbox = await startSandbox();
    dataDir = await mkdtemp(join(tmpdir(), 'first-use-'));
    const keys = join(dataDir, 'keys.json');
    await writeFile(keys, JSON.stringify([{ name: 'till', key: KEY, scopes: ['stamps:read', 'stamps:write', 'stamps:admin'] }]));
    env = {
      PORT: '0',
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
      LOG_FORMAT: 'json',
      STAMP_API_URL: sandbox.url,
      STAMP_API_KEY: sandbox.apiKey,
      GATEWAY_API_KEYS_FILE: keys,
      DATA_DIR: join(dataDir, 'state'),
      METRICS_TOKEN: 'metrics-token-0123456789',
    };
    // The first start creates the database at once (initdb, in a process of its own), and starts it
    // only when first needed, as every start after a clean stop does.
    const first = await start();
    expect(holdsDatabase(join(dataDir, 'state', 'gateway'))).toBe(true);
    expect(first.output()).toContain('(started when first needed)');
    expect(await startedLines(first)).toBe(0);
    expect(await first.stop('SIGTERM')).toBe(0);
  }, 90_000);

  afterAll(async () => {
    for (const gateway of started) await gateway.stop('SIGKILL').catch(() => undefined);
    await sandbox.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers reads and readiness without starting it, then starts it once for the first change', async () => {
    const gateway = await start();
    expect(gateway.output()).toContain('(started when first needed)');
    const idx = seedStamp(sandbox, { userId: 'first-use-1', stamps: 2 });
    for (let i = 0; i < 5; i++)
      expect((await post(gateway, `{ stamp(stampIdx: ${idx}) { stamps } }`)).data).toEqual({ stamp: { stamps: 2 } });
    const ready = await fetch(`${gateway.ready}/ready`, { headers: { authorization: 'Bearer metrics-token-0123456789' } });
    expect(ready.status).toBe(200);
    expect(await startedLines(gateway), gateway.output()).toBe(0);
    // What the reads saw of whose the stamp is waited for the store, and is there once it runs.
    const owned = await post(gateway, '{ stampsOfUser(userId: "first-use-1") { stamps { stampIdx } } }');
    expect(owned.data).toEqual({ stampsOfUser: { stamps: [{ stampIdx: idx }] } });
    expect(await startedLines(gateway)).toBe(1);

    const changes = await Promise.all([1, 2, 3].map(() => post(gateway, `mutation { addStamp(input: {stampIdx: ${idx}}) { stampIdx } }`)));
    for (const change of changes) expect(change.errors).toBeUndefined();
    expect(sandbox.state.stamps.get(idx)?.stamps).toBe(5);
    const history = await post(gateway, `{ stampHistory(stampIdx: ${idx}, first: 10) { edges { node { operation outcome } } } }`);
    expect(history.data.stampHistory.edges.map((e: any) => e.node)).toEqual(
      Array.from({ length: 3 }, () => ({ operation: 'addStamp', outcome: 'APPLIED' })),
    );
    expect(await startedLines(gateway)).toBe(1);
    expect(await gateway.stop('SIGTERM')).toBe(0);
  }, 60_000);

  it('starts at once after a crash, recovering what the killed process left; waits for a use again after a clean stop', async () => {
    const gateway = await start();
    const idx = seedStamp(sandbox, { userId: 'first-use-2', stamps: 1 });
    sandbox.faults.add({ endpoint: 'add', action: { type: 'delay', ms: 5_000 }, times: 1 });
    const add = `mutation { addStamp(input: {stampIdx: ${idx}, idempotencyKey: "first-use-killed-1"}) { stampIdx } }`;
    const sent = sandbox.requests.count('add');
    const pending = post(gateway, add).catch(() => undefined);
    // The attempt is written and sent: the sandbox holds it.
    for (let i = 0; i < 100 && sandbox.requests.count('add') === sent; i++) await new Promise((r) => setTimeout(r, 50));
    expect(sandbox.requests.count('add')).toBe(sent + 1);
    await gateway.stop('SIGKILL');
    await pending;

    // No clean shutdown: the next start opens the store and recovers before it is ready.
    const again = await start();
    expect(again.output()).not.toContain('(started when first needed)');
    expect(again.output()).toContain(STARTED);
    const t0 = performance.now();
    const retried = await post(again, add);
    expect(performance.now() - t0).toBeLessThan(5_000);
    expect(retried.errors?.[0]?.extensions).toMatchObject({ outcome: 'UNKNOWN', interruptedCall: 'add' });
    // The retry sent nothing: the first attempt may have applied it.
    expect(sandbox.requests.count('add')).toBe(sent + 1);
    const history = await post(again, `{ stampHistory(stampIdx: ${idx}, first: 10) { edges { node { operation outcome } } } }`);
    expect(history.data.stampHistory.edges.map((e: any) => e.node)).toContainEqual({ operation: 'addStamp', outcome: 'UNKNOWN' });
    expect(await again.stop('SIGTERM')).toBe(0);
    const afterCleanStop = await start();
    expect(afterCleanStop.output()).toContain('(started when first needed)');
    expect(await afterCleanStop.stop('SIGTERM')).toBe(0);
  }, 60_000);

  it('refuses a second process on the same data directory at start-up, as before', async () => {
    const gateway = await start();
    await expect(startProcess('src/server.ts', env, READY, { timeoutMs: 20_000 })).rejects.toThrow(/in use by process/);
    expect(await gateway.stop('SIGTERM')).toBe(0);
  }, 60_000);
});

describe('GatewayStore on a data directory that holds its database', () => {
  it('starts on the first query, not for a readiness ping, and runs its start-up work once, before that query goes on', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'first-use-store-'));
    try {
      await (await GatewayStore.open({ dataDir: dir })).close();
      const store = await GatewayStore.open({ dataDir: dir });
      expect(store.started).toBe(false);
      await store.ping();
      expect(store.started).toBe(false);
      const ran: string[] = [];
      await store.whenStarted(async () => {
        ran.push('recovery');
        await store.ping();
      });
      expect(ran).toEqual([]);
      const [a, b] = await Promise.all([store.listHistory(1, 1), store.listHistory(2, 1)]);
      expect(ran).toEqual(['recovery']);
      expect(store.started).toBe(true);
      expect([a, b]).toEqual([[], []]);
      await store.listHistory(3, 1);
      expect(ran).toEqual(['recovery']);
      await store.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
