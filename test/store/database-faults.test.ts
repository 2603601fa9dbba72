import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, seoulToday } from '../../src/dates.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { type Cluster, clusterAvailable, startCluster } from '../helpers/postgres.js';
import { type Started, startProcess } from '../helpers/process.js';
import { startSandbox } from '../helpers/sandbox.js';

const today = seoulToday(new Date());
const READ = 'query($i: Int!) { stamp(stampIdx: $i) { stamps } }';
const ADD = 'mutation($i: Int!) { addStamp(input: {stampIdx: $i}) { stamp { stamps } } }';
const ADJUST = 'mutation($i: Int!, $k: String) { adjustStampCount(input: {stampIdx: $i, delta: 1, idempotencyKey: $k}) { newStamps } }';
const DEADLINE_MS = 4_000;

interface Answer {
  status: number;
  ms: number;
  body: { data?: any; errors?: Array<{ message: string; extensions?: Record<string, any> }> };
}

describe.skipIf(!clusterAvailable)('the gateway survives its own database (a real PostgreSQL, stopped, frozen and locked)', () => {
  let cluster: Cluster;
  let sandbox: Sandbox;
  const gateways: Started[] = [];
  beforeAll(async () => {
    cluster = await startCluster();
    sandbox = await startSandbox();
  }, 60_000);
  afterAll(async () => {
    for (const g of gateways) await g.stop('SIGKILL');
    await sandbox.close();
    cluster.destroy();
  });

  const fresh = (stamps = 0) => {
    const idx = sandbox.state.create({ cardIdx: 2, strtYmd: addDays(today, -1), endYmd: addDays(today, 30) }, 'premium').result as number;
    if (stamps) sandbox.state.update({ stampIdx: idx, stamps }, 'premium');
    return idx;
  };

  async function gateway(
    schema: string,
    env: Record<string, string> = {},
  ): Promise<
    Started & { post: (query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) => Promise<Answer> }
  > {
    const started = await startProcess(
      'src/server.ts',
      {
        PORT: '0',
        STAMP_API_URL: sandbox.url,
        STAMP_API_KEY: sandbox.apiKey,
        GATEWAY_AUTH: 'off',
        DATABASE_URL: cluster.url,
        DATABASE_SCHEMA: schema,
        STAMP_READ_CACHE_TTL_MS: '0',
        STAMP_API_RATE_PER_MINUTE: '100000',
        STAMP_API_RATE_PER_HOUR: '1000000',
        REQUEST_DEADLINE_MS: String(DEADLINE_MS),
        DATABASE_TIMEOUT_MS: '1000',
        MUTATIONS_PER_MINUTE: '100000',
        ...env,
      },
      /ready: (http:\/\/[^\s/]+)\/graphql/,
      { timeoutMs: 60_000 },
    );
    gateways.push(started);
    const post = async (query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<Answer> => {
      const t = performance.now();
      const res = await fetch(`${started.ready}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: (await res.json()) as Answer['body'], ms: performance.now() - t };
    };
    return Object.assign(started, { post });
  }

  async function ready(url: string): Promise<{ status: number; ms: number; body: any }> {
    const t = performance.now();
    const res = await fetch(`${url}/ready`);
    return { status: res.status, body: await res.json(), ms: performance.now() - t };
  }

  it('stays up while PostgreSQL is stopped: reads answer, mutations are refused before sending, /ready says so, and it comes back by itself', async () => {
    const gw = await gateway(`t_${randomBytes(4).toString('hex')}`);
    const stamp = fresh();
    expect((await gw.post(ADD, { i: stamp })).body.data.addStamp.stamp.stamps).toBe(1);

    // Steady mixed load all along.
    const results: Array<{ kind: 'read' | 'write'; at: number; answer: Answer }> = [];
    let running = true;
    const load = (async () => {
      while (running) {
        const [read, write] = await Promise.all([gw.post(READ, { i: stamp }), gw.post(ADD, { i: fresh() })]);
        results.push({ kind: 'read', at: Date.now(), answer: read }, { kind: 'write', at: Date.now(), answer: write });
        await new Promise((r) => setTimeout(r, 50));
      }
    })();

    await new Promise((r) => setTimeout(r, 500));
    cluster.stop('immediate');
    const stoppedAt = Date.now();
    const addsAtStop = sandbox.requests.total('add');
    const notReady = await ready(gw.ready);
    expect(notReady.ms).toBeLessThan(2_500);
    expect(notReady.status).toBe(503);
    expect(notReady.body.failed.database).toBeTruthy();
    await new Promise((r) => setTimeout(r, 8_000));
    expect(gw.child.exitCode).toBeNull();
    const addsBeforeStart = sandbox.requests.total('add');
    cluster.start();
    const startedAt = Date.now();

    // Mutations work again within a few seconds of PostgreSQL's return, with no restart.
    let back = 0;
    for (;;) {
      const res = await gw.post(ADD, { i: fresh() });
      if (res.body.data?.addStamp) break;
      if (Date.now() - startedAt > 10_000) throw new Error(`mutations did not come back: ${JSON.stringify(res.body)}`);
      await new Promise((r) => setTimeout(r, 200));
      back++;
    }
    expect((await ready(gw.ready)).status).toBe(200);
    running = false;
    await load;

    const during = results.filter((r) => r.at > stoppedAt + 1_500 && r.at < startedAt);
    expect(during.length).toBeGreaterThan(10);
    for (const r of during.filter((x) => x.kind === 'read')) expect(r.answer.body.errors, JSON.stringify(r.answer.body)).toBeUndefined();
    for (const r of during.filter((x) => x.kind === 'write')) {
      expect(r.answer.body.errors?.[0]?.extensions, JSON.stringify(r.answer.body)).toMatchObject({
        code: 'STATE_UNAVAILABLE',
        outcome: 'NOT_APPLIED',
      });
      expect(r.answer.ms).toBeLessThan(DEADLINE_MS);
    }
    // Refused before any upstream call: no add reached the stamp API while the database was away.
    expect(addsBeforeStart - addsAtStop).toBeLessThanOrEqual(1);
    // Log lines are written in batches (at most 100 ms late): the last ones may still be on their way.
    expect(gw.output()).toMatch(/the state store does not answer/);
    await expect.poll(() => gw.output(), { timeout: 2_000 }).toMatch(/the state store answers again/);
    expect(gw.output()).not.toMatch(/Unhandled 'error' event/);
    expect(back).toBeLessThan(50);
  }, 90_000);

  it('fails safe on the shared quota: while PostgreSQL is stopped no more than the local allowance reaches the stamp API, known states answer the rest, and /ready says why', async () => {
    const gw = await gateway(`t_${randomBytes(4).toString('hex')}`, { STAMP_API_LOCAL_ALLOWANCE: '5', STAMP_API_RATE_PER_MINUTE: '600' });
    const known = fresh(2);
    expect((await gw.post(READ, { i: known })).body.data.stamp.stamps).toBe(2);
    cluster.stop('immediate');
    try {
      sandbox.requests.clear();
      const distinct = Array.from({ length: 20 }, () => fresh());
      const answers = [];
      for (const i of distinct) answers.push(await gw.post(READ, { i }));
      expect(sandbox.requests.count('validate')).toBeLessThanOrEqual(5);
      expect(answers.filter((a) => a.body.data?.stamp).length).toBe(sandbox.requests.count('validate'));
      for (const a of answers.filter((x) => !x.body.data?.stamp)) {
        expect(a.body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_RATE_LIMITED');
        expect(a.ms).toBeLessThan(DEADLINE_MS);
      }
      // A stamp read before the outage answers from the state the stamp API last confirmed, with its age.
      const cached = await gw.post('query($i: Int!) { stamp(stampIdx: $i) { stamps asOf } }', { i: known });
      expect(cached.body.data.stamp.stamps).toBe(2);
      const notReady = await ready(gw.ready);
      expect(notReady.status).toBe(503);
      expect(notReady.body.failed.quota).toMatch(/shared quota cannot be reached.*limited to 5 a minute/);
    } finally {
      cluster.start();
    }
    await expect.poll(async () => (await ready(gw.ready)).status, { timeout: 20_000, interval: 500 }).toBe(200);
  }, 90_000);

  it('kill -9 during 50 concurrent adjustments: every change the stamp API saw has exactly one history row, and every key answers at once', async () => {
    const schema = `t_${randomBytes(4).toString('hex')}`;
    const a = await gateway(schema);
    const stamps = Array.from({ length: 50 }, () => fresh());
    const keys = stamps.map(() => `kill-${randomUUID()}`);
    sandbox.requests.clear();
    sandbox.faults.add({ endpoint: 'update', action: { type: 'delay', ms: 700 }, times: 'always' });
    const inFlight = stamps.map((i, n) => a.post(ADJUST, { i, k: keys[n] }, { 'x-request-id': `kill-req-${n}` }).catch(() => null));
    await expect.poll(() => sandbox.requests.count('update'), { timeout: 10_000, interval: 10 }).toBeGreaterThanOrEqual(15);
    await a.stop('SIGKILL');
    await Promise.all(inFlight);
    // What was sent lands after the delay, with nobody left to hear it.
    await new Promise((r) => setTimeout(r, 1_500));
    sandbox.faults.clear();
    const sent = sandbox.requests.list('update').map((r) => r.headers['x-request-id']);
    expect(sent.length).toBeGreaterThanOrEqual(15);

    const b = await gateway(schema);
    const db = new pg.Client({ connectionString: cluster.url });
    await db.connect();
    try {
      const rows = (
        await db.query(`SELECT request_id, count(*)::int AS n, min(outcome) AS outcome FROM ${schema}.mutation_history GROUP BY request_id`)
      ).rows as Array<{ request_id: string; n: number; outcome: string }>;
      const byRequest = new Map(rows.map((r) => [r.request_id, r]));
      for (const id of sent) {
        expect(byRequest.get(id!)?.n, `history rows of ${id}`).toBe(1);
        expect(['APPLIED', 'UNKNOWN']).toContain(byRequest.get(id!)?.outcome);
      }
      const applied = stamps.filter((i) => sandbox.inspect(i)!.stamps === 1).length;
      expect(applied).toBe(new Set(sent).size);
      // No key of the dead process is left running: each answers at once (well inside the lease of
      // deadline + 5 s a stuck key would wait out, even with 50 at once on a busy machine), none twice.
      const retries = await Promise.all(stamps.map((i, n) => b.post(ADJUST, { i, k: keys[n] })));
      for (const [n, r] of retries.entries()) {
        expect(r.ms, JSON.stringify(r.body)).toBeLessThan(5_000);
        const wasSent = sent.includes(`kill-req-${n}`);
        if (wasSent) expect(r.body.data?.adjustStampCount ?? r.body.errors?.[0]?.extensions?.outcome, JSON.stringify(r.body)).toBeTruthy();
        if (r.body.errors) expect(r.body.errors[0]!.extensions?.outcome).toBe('UNKNOWN');
      }
      for (const i of stamps) expect(sandbox.inspect(i)!.stamps).toBeLessThanOrEqual(1);
      const left = (await db.query(`SELECT count(*)::int AS n FROM ${schema}.idempotency_keys WHERE state = 'running'`)).rows[0].n;
      expect(left).toBe(0);
    } finally {
      await db.end();
    }
  }, 120_000);

  it('answers within the deadline with the true outcome while the history table is locked, and writes the history afterwards', async () => {
    const schema = `t_${randomBytes(4).toString('hex')}`;
    const gw = await gateway(schema);
    const stamps = Array.from({ length: 5 }, () => fresh());
    await gw.post(ADD, { i: fresh() }); // migrations done, tables exist
    await cluster.lockTable('mutation_history', 8, schema);
    const answers = await Promise.all(stamps.map((i) => gw.post(ADD, { i })));
    for (const r of answers) {
      expect(r.ms).toBeLessThan(DEADLINE_MS + 1_000);
      expect(r.body.data?.addStamp?.stamp?.stamps, JSON.stringify(r.body)).toBe(1);
    }
    for (const i of stamps) expect(sandbox.inspect(i)!.stamps).toBe(1);
    const db = new pg.Client({ connectionString: cluster.url });
    await db.connect();
    try {
      await expect
        .poll(
          async () =>
            (
              await db.query(
                `SELECT count(*)::int AS n FROM ${schema}.mutation_history WHERE stamp_idx = ANY($1) AND outcome = 'APPLIED'`,
                [stamps],
              )
            ).rows[0].n,
          {
            timeout: 20_000,
            interval: 250,
          },
        )
        .toBe(5);
    } finally {
      await db.end();
    }
  }, 60_000);

  it('refuses mutations within the deadline while PostgreSQL is frozen, blaming the state store, and /ready answers in time', async () => {
    const gw = await gateway(`t_${randomBytes(4).toString('hex')}`);
    const stamp = fresh();
    await gw.post(ADD, { i: stamp });
    cluster.freeze();
    try {
      const before = sandbox.requests.total('add');
      const [write, read, notReady] = await Promise.all([gw.post(ADD, { i: stamp }), gw.post(READ, { i: stamp }), ready(gw.ready)]);
      expect(write.ms).toBeLessThan(DEADLINE_MS + 500);
      expect(write.body.errors?.[0]?.extensions, JSON.stringify(write.body)).toMatchObject({
        code: 'STATE_UNAVAILABLE',
        outcome: 'NOT_APPLIED',
      });
      expect(sandbox.requests.total('add')).toBe(before);
      expect(read.body.data.stamp.stamps).toBe(1);
      expect(notReady.ms).toBeLessThan(2_500);
      expect(notReady.status).toBe(503);
    } finally {
      cluster.thaw();
    }
    await expect
      .poll(async () => (await gw.post(ADD, { i: stamp })).body.data?.addStamp?.stamp?.stamps, { timeout: 15_000, interval: 300 })
      .toBeGreaterThanOrEqual(2);
  }, 60_000);

  it('stops at start-up with one line naming DATABASE_URL when PostgreSQL is down or frozen', async () => {
    for (const trouble of ['down', 'frozen'] as const) {
      if (trouble === 'down') cluster.stop('fast');
      else cluster.freeze();
      try {
        const t = performance.now();
        const failed = await gateway(`t_${randomBytes(4).toString('hex')}`, { DATABASE_STARTUP_TIMEOUT_MS: '3000' }).then(
          () => null,
          (error: Error) => error.message,
        );
        expect(performance.now() - t).toBeLessThan(15_000);
        expect(failed, trouble).toMatch(/exited with 1/);
        const lines = failed!.split('\n').filter((l) => l.startsWith('{'));
        const fatal = lines.map((l) => JSON.parse(l)).filter((l: { level: number }) => l.level === 60);
        expect(fatal).toHaveLength(1);
        expect(fatal[0].msg).toMatch(/DATABASE_URL/);
        expect(failed).not.toMatch(/\n\s+at /);
      } finally {
        if (trouble === 'down') cluster.start();
        else cluster.thaw();
      }
    }
  }, 90_000);
});
