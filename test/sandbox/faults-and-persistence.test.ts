import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server.js';
import { callSandbox, startSandbox, TEST_USER_AGENT } from '../helpers/sandbox.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.faults.clear();
  sandbox.requests.clear();
});

const add = (stampIdx: number) => callSandbox(sandbox, 'PUT', '/api/stamp/v1/add', { stampIdx });
const validate = (stampIdx: number) => callSandbox(sandbox, 'GET', `/api/stamp/v1/validate?stampIdx=${stampIdx}`);

async function freshStamp(): Promise<number> {
  const res = await callSandbox(sandbox, 'POST', '/api/stamp/v1/create', { cardIdx: 1, strtYmd: '2020-01-01', endYmd: '2028-12-31' });
  return res.result as number;
}

describe('fault injection', () => {
  it('answers a chosen HTTP status with an HTML body and Retry-After, once, then recovers', async () => {
    sandbox.faults.add({ endpoint: 'validate', action: { type: 'status', status: 503, retryAfter: 7 } });
    const failed = await validate(1000);
    expect(failed.status).toBe(503);
    expect(failed.headers.get('retry-after')).toBe('7');
    expect(failed.headers.get('content-type')).toMatch(/text\/html/);
    expect(failed.text).toMatch(/<html>/);
    expect((await validate(1000)).code).toBe(0);
  });

  it('fails N times, or always, and only on the chosen endpoint', async () => {
    sandbox.faults.add({ endpoint: 'add', action: { type: 'status', status: 500, body: 'empty' }, times: 2 });
    const idx = await freshStamp();
    expect((await validate(idx)).code).toBe(0);
    expect([(await add(idx)).status, (await add(idx)).status, (await add(idx)).status]).toEqual([500, 500, 200]);
    sandbox.faults.add({ endpoint: '*', action: { type: 'status', status: 502 }, times: 'always' });
    for (let i = 0; i < 4; i++) expect((await validate(idx)).status).toBe(502);
    expect(sandbox.faults.list()[0]).toMatchObject({ hits: 4, times: 'always' });
  });

  it('answers an envelope with the given non-zero code', async () => {
    sandbox.faults.add({ endpoint: 'validate', action: { type: 'envelope', code: 4242, message: 'Maintenance' } });
    expect(await validate(1000)).toMatchObject({ status: 200, code: 4242, message: 'Maintenance', result: null });
  });

  it('adds latency and then answers normally', async () => {
    sandbox.faults.add({ endpoint: 'validate', action: { type: 'delay', ms: 150 } });
    const started = performance.now();
    expect((await validate(1000)).code).toBe(0);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('hangs until the client gives up', async () => {
    sandbox.faults.add({ endpoint: 'validate', action: { type: 'hang' } });
    const res = fetch(`${sandbox.url}/api/stamp/v1/validate?stampIdx=1000`, {
      headers: { 'user-agent': TEST_USER_AGENT, authorization: `APIKey ${sandbox.apiKey}` },
      signal: AbortSignal.timeout(200),
    });
    await expect(res).rejects.toThrow(/timeout|aborted/i);
    expect((await validate(1000)).code).toBe(0);
  });

  it('drops the connection without a response', async () => {
    sandbox.faults.add({ endpoint: 'validate', action: { type: 'drop' } });
    await expect(validate(1000)).rejects.toThrow(/fetch failed/);
  });

  it('applies the change and then fails, so an unsafe retry would double-apply', async () => {
    const idx = await freshStamp();
    sandbox.faults.add({ endpoint: 'add', action: { type: 'status', status: 504 }, applyFirst: true });
    expect((await add(idx)).status).toBe(504);
    expect(sandbox.inspect(idx)?.stamps).toBe(1);
    sandbox.faults.add({ endpoint: 'create', action: { type: 'drop' }, applyFirst: true });
    const before = sandbox.state.stamps.size;
    await expect(
      callSandbox(sandbox, 'POST', '/api/stamp/v1/create', { cardIdx: 1, strtYmd: '2026-01-01', endYmd: '2026-12-31' }),
    ).rejects.toThrow();
    expect(sandbox.state.stamps.size).toBe(before + 1);
  });

  it('can answer create with the documented string result instead of an integer', async () => {
    sandbox.faults.add({ endpoint: 'create', action: { type: 'result', result: 'ZJLF0399WQBEQZJM' } });
    const res = await callSandbox(sandbox, 'POST', '/api/stamp/v1/create', { cardIdx: 1, strtYmd: '2026-01-01', endYmd: '2026-12-31' });
    expect(res).toMatchObject({ code: 0, result: 'ZJLF0399WQBEQZJM' });
  });

  it('is controlled over the admin API too, and refuses a malformed fault', async () => {
    const armed = await callSandbox(sandbox, 'POST', '/__sandbox/faults', { endpoint: 'remove', action: { type: 'status', status: 429 } });
    expect(armed).toMatchObject({ code: 0, result: { endpoint: 'remove', times: 1 } });
    expect(((await callSandbox(sandbox, 'GET', '/__sandbox/faults')).result as unknown[]).length).toBe(1);
    expect((await callSandbox(sandbox, 'PUT', '/api/stamp/v1/remove', { stampIdx: 1000 })).status).toBe(429);
    const bad = await callSandbox(sandbox, 'POST', '/__sandbox/faults', { endpoint: 'nope', action: { type: 'status', status: 200 } });
    expect(bad.status).toBe(400);
    expect(bad.code).not.toBe(0);
    await callSandbox(sandbox, 'POST', '/__sandbox/faults', { endpoint: '*', action: { type: 'hang' }, times: 'always' });
    expect((await callSandbox(sandbox, 'DELETE', '/__sandbox/faults')).code).toBe(0);
    expect(sandbox.faults.list()).toEqual([]);
  });

  it('moves the clock over the admin API', async () => {
    const idx = await freshStamp();
    await callSandbox(sandbox, 'POST', '/__sandbox/clock', { now: '2029-06-01' });
    expect((await validate(idx)).message).toMatch(/validity period/);
    await callSandbox(sandbox, 'POST', '/__sandbox/clock', {});
    expect((await validate(idx)).code).toBe(0);
  });
});

describe('persistence', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sandbox-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('keeps cards, stamps and counters across a restart, and seeds only once', async () => {
    const first = await startSandbox({ dataDir: dir });
    const card = (await callSandbox(first, 'POST', '/__sandbox/cards', { cardNm: 'Persisted', maxStamps: 4 })).result as number;
    const created = await callSandbox(first, 'POST', '/api/stamp/v1/create', {
      cardIdx: card,
      strtYmd: '2020-01-01',
      endYmd: '2028-12-31',
      userId: 'persist-me',
    });
    const idx = created.result as number;
    await callSandbox(first, 'PUT', '/api/stamp/v1/add', { stampIdx: idx });
    await callSandbox(first, 'PUT', '/api/stamp/v1/add', { stampIdx: 1000 });
    await callSandbox(first, 'DELETE', '/api/stamp/v1/delete?stampIdx=1001');
    await first.close();

    const second = await startSandbox({ dataDir: dir });
    try {
      expect((await callSandbox(second, 'GET', `/api/stamp/v1/validate?stampIdx=${idx}`)).result).toMatchObject({
        cardNm: 'Persisted',
        stamps: 1,
        userId: 'persist-me',
      });
      expect(second.inspect(1000)?.stamps).toBe(4);
      expect(second.inspect(1001)).toBeUndefined();
      const next = await callSandbox(second, 'POST', '/api/stamp/v1/create', {
        cardIdx: card,
        strtYmd: '2020-01-01',
        endYmd: '2028-12-31',
      });
      expect(next.result).toBe(idx + 1);
    } finally {
      await second.close();
    }
  });

  it('stores any string the API accepts (a NUL, an unpaired surrogate) and keeps it across a restart', async () => {
    const dir2 = await mkdtemp(join(tmpdir(), 'sandbox-nul-'));
    try {
      const first = await startSandbox({ dataDir: dir2 });
      const created = await callSandbox(first, 'POST', '/api/stamp/v1/create', {
        cardIdx: 1,
        strtYmd: '2020-01-01',
        endYmd: '2028-12-31',
        memo: 'x\u0000y',
        userEtc1: 'a\ud800b',
      });
      expect(created.code).toBe(0);
      const idx = created.result as number;
      expect((await callSandbox(first, 'PUT', '/api/stamp/v1/add', { stampIdx: idx })).code).toBe(0);
      await first.close();
      const second = await startSandbox({ dataDir: dir2 });
      try {
        expect(second.inspect(idx)).toMatchObject({ memo: 'x\u0000y', userEtc1: 'a\ud800b', stamps: 1 });
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir2, { recursive: true, force: true });
    }
  });

  it('undoes a change it cannot store before answering, so a 5xx never follows an applied change', async () => {
    const dir3 = await mkdtemp(join(tmpdir(), 'sandbox-undo-'));
    const box = await startSandbox({ dataDir: dir3 });
    try {
      const idx = (await callSandbox(box, 'POST', '/api/stamp/v1/create', { cardIdx: 1, strtYmd: '2020-01-01', endYmd: '2028-12-31' }))
        .result as number;
      await box.storage!.query(`CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$`);
      await box.storage!.query(
        'CREATE TRIGGER refuse BEFORE INSERT OR UPDATE OR DELETE ON sandbox_stamps FOR EACH ROW EXECUTE FUNCTION refuse()',
      );
      const nextIdx = box.state.nextStampIdx;
      for (const [method, path, body] of [
        ['PUT', '/api/stamp/v1/add', { stampIdx: idx }],
        ['PUT', '/api/stamp/v1/update', { stampIdx: idx, stamps: 5, memo: 'lost' }],
        ['DELETE', `/api/stamp/v1/delete?stampIdx=${idx}`, undefined],
        ['POST', '/api/stamp/v1/create', { cardIdx: 1, strtYmd: '2020-01-01', endYmd: '2028-12-31' }],
      ] as const) {
        const res = await callSandbox(box, method, path, body);
        expect(res.status, path).toBe(500);
        expect(res.text).not.toMatch(/disk full/);
      }
      expect(box.inspect(idx)).toMatchObject({ stamps: 0, memo: null });
      expect(box.state.nextStampIdx).toBe(nextIdx);
      await box.storage!.query('DROP TRIGGER refuse ON sandbox_stamps');
      expect((await callSandbox(box, 'PUT', '/api/stamp/v1/add', { stampIdx: idx })).code).toBe(0);
      expect(box.inspect(idx)?.stamps).toBe(1);
    } finally {
      await box.close();
      await rm(dir3, { recursive: true, force: true });
    }
  });
});
