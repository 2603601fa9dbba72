import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server.js';
import { type Started, startProcess } from '../helpers/process.js';
import { seedStamp, startSandbox } from '../helpers/sandbox.js';
import { DATABASE_URL_TEST, freshSchema } from '../helpers/store.js';
import { quietFor, subscribeSse, subscribeWs, wsClient } from '../helpers/subscriptions.js';
import { signedToken } from '../helpers/tokens.js';

const STAFF_KEY = 'fleet-staff-key-0123456789abcdef';
const JWT_SECRET = 'a-fleet-test-secret-long-enough-for-hs256';
const WEBHOOK_SECRET = 'fleet-webhook-secret-0123456789';
const READ = 'query($i: Int!) { stamp(stampIdx: $i) { stamps } }';
const ADD = 'mutation($i: Int!) { addStamp(input: {stampIdx: $i}) { stamp { stamps } } }';
const FOLLOW = 'subscription($i: Int!) { stampChanged(stampIdx: $i) { stampIdx action source stamp { stamps } } }';
const staff = { authorization: `Bearer ${STAFF_KEY}` };

interface Gateway extends Started {
  url: string;
  post(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  /** Subscriptions open in the process, from its /metrics. */
  subscriptions(): Promise<number>;
}

const keysFile = (() => {
  const file = join(mkdtempSync(join(tmpdir(), 'fleet-keys-')), 'keys.json');
  writeFileSync(
    file,
    JSON.stringify([
      { name: 'till', key: STAFF_KEY, scopes: ['stamps:read', 'stamps:write', 'stamps:redeem', 'stamps:admin'], quotaShare: 1 },
    ]),
  );
  return file;
})();

async function startFleet(sandbox: Sandbox, env: Record<string, string>, n = 3): Promise<Gateway[]> {
  const schema = freshSchema();
  return Promise.all(
    Array.from({ length: n }, async () => {
      const started = await startProcess(
        'src/server.ts',
        {
          PORT: '0',
          STAMP_API_URL: sandbox.url,
          STAMP_API_KEY: sandbox.apiKey,
          GATEWAY_API_KEYS_FILE: keysFile,
          JWT_SECRET,
          DATABASE_URL: DATABASE_URL_TEST!,
          DATABASE_SCHEMA: schema,
          STAMP_WEBHOOK_SECRET: WEBHOOK_SECRET,
          ...env,
        },
        /ready: (http:\/\/[^\s/]+)\/graphql/,
        // Two log lines per request: not kept.
        { timeoutMs: 60_000, keepOutput: false },
      );
      const url = started.ready;
      return Object.assign(started, {
        url,
        async post(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = staff) {
          const res = await fetch(`${url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...headers },
            body: JSON.stringify({ query, variables }),
          });
          return { status: res.status, body: await res.json() };
        },
        async subscriptions() {
          const text = await (await fetch(`${url}/metrics`)).text();
          return Number(/^gateway_subscriptions_open (\d+)/m.exec(text)?.[1] ?? -1);
        },
      });
    }),
  );
}

describe.skipIf(!DATABASE_URL_TEST)('a fleet: three gateway processes on one PostgreSQL and the sandbox', () => {
  describe('one quota for every instance', () => {
    let sandbox: Sandbox;
    let fleet: Gateway[];
    beforeAll(async () => {
      // The sandbox enforces the same limit: any call past the fleet's would be a 429.
      sandbox = await startSandbox({ rateLimit: { perMinute: 30, perHour: 1_000 } });
      fleet = await startFleet(sandbox, { STAMP_API_RATE_PER_MINUTE: '30', STAMP_API_RATE_PER_HOUR: '1000' });
    }, 90_000);
    afterAll(async () => {
      await Promise.all(fleet.map((g) => g.stop('SIGKILL')));
      await sandbox.close();
    });

    it('90 reads of distinct stamps over the three: at most 30 reach the stamp API, none is a 429, the rest are refused fast', async () => {
      const ids = Array.from({ length: 90 }, () => seedStamp(sandbox));
      sandbox.requests.clear();
      const answers = await Promise.all(ids.map((i, n) => fleet[n % 3]!.post(READ, { i })));
      const answered = answers.filter((a) => a.body.data?.stamp);
      const refused = answers.filter((a) => !a.body.data?.stamp);
      expect(sandbox.requests.count('validate')).toBeLessThanOrEqual(30);
      expect(answered.length).toBe(sandbox.requests.count('validate'));
      // The budget is spent, not wasted: every slot went to a read.
      expect(answered.length).toBe(30);
      for (const a of refused) {
        const error = a.body.errors[0];
        expect(error.extensions.code).toBe('UPSTREAM_RATE_LIMITED');
        // Shed by the gateway's own shaping, never the stamp API's 429.
        expect(error.extensions.shedBy).toBe('quota');
        expect(error.extensions.retryAfter).toBeGreaterThan(0);
      }
      // One budget: every instance counts the fleet's 30 calls as used, whichever instances made them (a
      // burst's slots go to the reads that asked first, on any instance).
      for (const gateway of fleet) {
        const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
        expect(metrics).toMatch(/stamp_api_quota\{window="minute",kind="used"\} 30/);
      }
    });
  });

  describe('live changes across instances', () => {
    let sandbox: Sandbox;
    let fleet: Gateway[];
    let A: Gateway;
    let B: Gateway;
    let C: Gateway;
    beforeAll(async () => {
      sandbox = await startSandbox({ webhooks: { retryDelaysMs: [100, 200, 400] } });
      fleet = await startFleet(sandbox, { STAMP_API_RATE_PER_MINUTE: '10000', STAMP_API_RATE_PER_HOUR: '100000' });
      [A, B, C] = fleet as [Gateway, Gateway, Gateway];
      sandbox.webhooks.setTarget({ url: `${A.url}/webhooks/vivoldi`, secret: WEBHOOK_SECRET });
    }, 90_000);
    afterAll(async () => {
      await Promise.all(fleet.map((g) => g.stop('SIGKILL')));
      await sandbox.close();
    });

    it('a mutation on A reaches an SSE subscriber on C and a WebSocket subscriber on B once each within 1 s, and a cached read on B shows it', async () => {
      const idx = seedStamp(sandbox, { stamps: 2 });
      expect((await B.post(READ, { i: idx })).body.data.stamp.stamps).toBe(2);
      const onC = await subscribeSse(C.url, FOLLOW, { i: idx }, staff);
      const client = wsClient(B.url, staff);
      const onB = subscribeWs(client, FOLLOW, { i: idx });
      await expect.poll(() => B.subscriptions()).toBe(1);
      sandbox.requests.clear();

      expect((await A.post(ADD, { i: idx })).body.data.addStamp.stamp.stamps).toBe(3);
      for (const s of [onC, onB])
        expect((await s.next(1_000)).data.stampChanged).toMatchObject({ action: 'ADDED', source: 'GATEWAY', stamp: { stamps: 3 } });
      expect((await B.post(READ, { i: idx })).body.data.stamp.stamps).toBe(3);
      // The sandbox's webhook for that add echoes it: still one event each.
      await sandbox.webhooks.settle(2_000);
      expect(await quietFor(onC, 500)).toBe(0);
      expect(onB.events).toHaveLength(1);
      onC.close();
      onB.close();
      await client.dispose();
    });

    it('a change from the dashboard: its webhook reaches A, and subscribers on all three get it once', async () => {
      const idx = seedStamp(sandbox, { stamps: 1 });
      const subscribers = await Promise.all(fleet.map((g) => subscribeSse(g.url, FOLLOW, { i: idx }, staff)));
      const res = await fetch(`${sandbox.url}/__sandbox/stamps/${idx}/add`, {
        method: 'POST',
        headers: { authorization: `APIKey ${sandbox.apiKey}` },
      });
      expect(res.status).toBe(200);
      for (const s of subscribers)
        expect((await s.next(1_500)).data.stampChanged).toMatchObject({ action: 'ADDED', source: 'WEBHOOK', stamp: { stamps: 2 } });
      for (const s of subscribers) expect(await quietFor(s, 300)).toBe(0);
      // Each instance read the new state once for its subscriber.
      for (const s of subscribers) s.close();
    });

    it('a 429 from the stamp API on one instance pauses every instance', async () => {
      const [one, two] = [seedStamp(sandbox), seedStamp(sandbox)];
      sandbox.requests.clear();
      sandbox.faults.add({ endpoint: 'validate', times: 1, action: { type: 'status', status: 429, retryAfter: 3 } } as never);
      // A waits out the Retry-After itself, then tries again.
      const first = A.post(READ, { i: one }, staff);
      await expect.poll(() => sandbox.requests.count('validate')).toBe(1);
      await new Promise((r) => setTimeout(r, 300));
      const paused = await C.post(READ, { i: two });
      expect(paused.body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_RATE_LIMITED');
      expect(sandbox.requests.list('validate').filter((r) => r.query.stampIdx === String(two))).toHaveLength(0);
      expect((await first).body.data.stamp.stamps).toBe(0);
      await new Promise((r) => setTimeout(r, 3_200));
      expect((await C.post(READ, { i: two })).body.data.stamp.stamps).toBe(0);
    });

    it('a customer subscribing to another customer’s stamp gets the not-found answer, and nothing leaks', async () => {
      const theirs = seedStamp(sandbox, { userId: 'fleet-cust-2' });
      const token = await signedToken(JWT_SECRET, 'fleet-cust-1');
      const customer = { authorization: `Bearer ${token}` };
      const missing = 2_000_000_000;
      const notFound = (await B.post(READ, { i: missing }, customer)).body.errors[0];
      for (const g of fleet) {
        const s = await subscribeSse(g.url, FOLLOW, { i: theirs }, customer);
        const first = await s.next();
        expect(first.errors?.[0]?.extensions).toEqual({ ...notFound.extensions, stampIdx: theirs });
        expect(JSON.stringify(first)).not.toContain('fleet-cust-2');
        await s.ended;
      }
    });

    it('SIGKILL of the instance a subscriber is on: the client reconnects elsewhere and its first event carries the current state', async () => {
      const idx = seedStamp(sandbox, { stamps: 1 });
      const client = wsClient([C.url, B.url], staff, { retryAttempts: 10 });
      const s = subscribeWs(client, FOLLOW, { i: idx });
      await expect.poll(() => C.subscriptions()).toBe(1);
      const before = await B.subscriptions();
      await C.stop('SIGKILL');
      // A change while the subscriber is away: it is not replayed, but the next event shows it.
      expect((await A.post(ADD, { i: idx })).body.data.addStamp.stamp.stamps).toBe(2);
      await expect.poll(() => B.subscriptions(), { timeout: 10_000 }).toBe(before + 1);
      expect((await A.post(ADD, { i: idx })).body.data.addStamp.stamp.stamps).toBe(3);
      const first = (await s.next(2_000)).data.stampChanged;
      expect(first).toMatchObject({ action: 'ADDED', stamp: { stamps: 3 } });
      s.close();
      await client.dispose();
    });
  });
});
