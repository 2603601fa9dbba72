import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SandboxCode } from '../../src/sandbox/state.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { callSandbox, startSandbox } from '../helpers/sandbox.js';

// A fixed instant: 2026-11-25 16:00 UTC is already 2026-11-26 01:00 in Seoul.
const NOW = new Date('2026-11-25T16:00:00Z');
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ now: () => NOW });
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.requests.clear();
  sandbox.faults.clear();
  sandbox.clock.reset();
});

const create = (body: Record<string, unknown>) =>
  callSandbox(sandbox, 'POST', '/api/stamp/v1/create', { cardIdx: 1, strtYmd: '2026-01-01', endYmd: '2027-12-31', ...body });
const validate = (stampIdx: number | string) => callSandbox(sandbox, 'GET', `/api/stamp/v1/validate?stampIdx=${stampIdx}`);
const put = (endpoint: string, body: unknown) => callSandbox(sandbox, 'PUT', `/api/stamp/v1/${endpoint}`, body);

async function newStamp(body: Record<string, unknown> = {}): Promise<number> {
  const res = await create(body);
  expect(res.code, res.text).toBe(0);
  return res.result as number;
}

describe('the seven endpoints', () => {
  it('creates a stamp and returns its integer stampIdx, which validate then reports in full', async () => {
    const res = await create({ userId: 'att78z', memo: 'first', userEml: 'a@example.com' });
    expect(res).toMatchObject({ status: 200, code: 0, message: '' });
    expect(Number.isInteger(res.result)).toBe(true);
    const v = await validate(res.result as number);
    expect(v.code).toBe(0);
    expect(v.result).toMatchObject({
      stampIdx: res.result,
      domain: 'https://vvd.bz',
      cardIdx: 1,
      cardNm: '10 Americanos',
      stamps: 0,
      maxStamps: 10,
      stampUrl: `https://vvd.bz/stamp/${res.result}`,
      strtYmd: '2026-01-01',
      endYmd: '2027-12-31',
      onsiteYn: 'N',
      activeYn: 'Y',
      userId: 'att78z',
      userEml: 'a@example.com',
      userNm: null,
      memo: 'first',
      regYmdt: '2026-11-26 01:00:00',
      payloadVersion: 'v1',
    });
  });

  it('generates a 12-character user id when none is given', async () => {
    const idx = await newStamp();
    const v = await validate(idx);
    expect((v.result as { userId: string }).userId).toMatch(/^[A-Za-z0-9]{12}$/);
  });

  it('adds and removes one stamp at a time', async () => {
    const idx = await newStamp();
    expect((await put('add', { stampIdx: idx })).code).toBe(0);
    expect((await put('add', { stampIdx: idx })).code).toBe(0);
    expect((await put('remove', { stampIdx: idx })).code).toBe(0);
    expect(sandbox.inspect(idx)?.stamps).toBe(1);
    expect((await put('add', { stampIdx: idx })).result).toBeNull();
  });

  it('updates only the fields sent and treats stamps as an absolute total', async () => {
    const idx = await newStamp({ memo: 'keep me', userNm: 'Kim' });
    expect((await put('update', { stampIdx: idx, stamps: 7, userEml: 'x@example.com' })).code).toBe(0);
    expect((await put('update', { stampIdx: idx, stamps: 4 })).code).toBe(0);
    expect(sandbox.inspect(idx)).toMatchObject({ stamps: 4, memo: 'keep me', userNm: 'Kim', userEml: 'x@example.com', activeYn: 'Y' });
  });

  it('redeems a full card and then refuses everything that would undo or reuse it', async () => {
    const idx = await newStamp({ cardIdx: 2 });
    await put('update', { stampIdx: idx, stamps: 6 });
    expect((await put('redeem', { stampIdx: idx })).code).toBe(0);
    expect(sandbox.inspect(idx)?.useYn).toBe('Y');
    for (const endpoint of ['add', 'remove', 'redeem']) {
      expect((await put(endpoint, { stampIdx: idx })).code).toBe(SandboxCode.ALREADY_REDEEMED);
    }
    expect((await put('update', { stampIdx: idx, useYn: 'N' })).code).toBe(SandboxCode.ALREADY_REDEEMED);
    expect((await put('update', { stampIdx: idx, stamps: 0 })).code).toBe(SandboxCode.ALREADY_REDEEMED);
    expect((await validate(idx)).code).toBe(SandboxCode.ALREADY_REDEEMED);
    // Notes and user fields stay editable after redemption (A5).
    expect((await put('update', { stampIdx: idx, memo: 'redeemed at the counter' })).code).toBe(0);
    expect(sandbox.inspect(idx)).toMatchObject({ useYn: 'Y', memo: 'redeemed at the counter', stamps: 6 });
  });

  it('marks a stamp redeemed through update useYn=Y without a full card (the admin route, A4)', async () => {
    const idx = await newStamp();
    expect((await put('update', { stampIdx: idx, useYn: 'Y' })).code).toBe(0);
    expect(sandbox.inspect(idx)?.useYn).toBe('Y');
  });

  it('deletes a stamp for good', async () => {
    const idx = await newStamp();
    const res = await callSandbox(sandbox, 'DELETE', `/api/stamp/v1/delete?stampIdx=${idx}`);
    expect(res).toMatchObject({ status: 200, code: 0, result: null });
    expect((await validate(idx)).code).toBe(SandboxCode.UNKNOWN_STAMP);
    expect((await callSandbox(sandbox, 'DELETE', `/api/stamp/v1/delete?stampIdx=${idx}`)).code).toBe(SandboxCode.UNKNOWN_STAMP);
  });

  it('serves the seeded demo stamps and cards', async () => {
    expect((await validate(1000)).result).toMatchObject({ userId: 'demo-alice', stamps: 3, maxStamps: 10 });
    expect((await validate(1003)).code).toBe(SandboxCode.INACTIVE);
    expect((await validate(1004)).code).toBe(SandboxCode.OUT_OF_PERIOD);
    const cards = await callSandbox(sandbox, 'GET', '/__sandbox/cards');
    expect((cards.result as unknown[]).length).toBeGreaterThanOrEqual(3);
  });
});

describe('business rules', () => {
  it('refuses add, remove, redeem and validate outside the validity window', async () => {
    const idx = await newStamp({ strtYmd: '2027-01-01', endYmd: '2027-06-30' });
    for (const endpoint of ['add', 'remove', 'redeem']) {
      const res = await put(endpoint, { stampIdx: idx });
      expect(res.code).toBe(SandboxCode.OUT_OF_PERIOD);
      expect(res.message).toMatch(/validity period/);
    }
    sandbox.clock.set('2027-03-01');
    expect((await put('add', { stampIdx: idx })).code).toBe(0);
    sandbox.clock.set('2027-07-01');
    expect((await validate(idx)).code).toBe(SandboxCode.OUT_OF_PERIOD);
  });

  it('refuses an inactive stamp until it is activated again', async () => {
    const idx = await newStamp({ activeYn: 'N' });
    expect((await put('add', { stampIdx: idx })).code).toBe(SandboxCode.INACTIVE);
    expect((await validate(idx)).message).toMatch(/not active/);
    await put('update', { stampIdx: idx, activeYn: 'Y' });
    expect((await put('add', { stampIdx: idx })).code).toBe(0);
  });

  it('stops add at the card maximum and remove at zero, leaving the count as it was', async () => {
    const idx = await newStamp({ cardIdx: 3 });
    expect((await put('remove', { stampIdx: idx })).code).toBe(SandboxCode.COUNT_IS_ZERO);
    await put('update', { stampIdx: idx, stamps: 5 });
    const res = await put('add', { stampIdx: idx });
    expect(res.code).toBe(SandboxCode.MAX_REACHED);
    expect(res.message).toMatch(/maximum of 5/);
    expect(sandbox.inspect(idx)?.stamps).toBe(5);
  });

  it('keeps update stamps within [0, maxStamps]', async () => {
    const idx = await newStamp({ cardIdx: 2 });
    expect((await put('update', { stampIdx: idx, stamps: -1 })).code).toBe(SandboxCode.BAD_PARAMETER);
    expect((await put('update', { stampIdx: idx, stamps: 7 })).code).toBe(SandboxCode.MAX_REACHED);
    expect((await put('update', { stampIdx: idx, stamps: 6 })).code).toBe(0);
  });

  it('refuses moving a stamp to a card whose maximum its count exceeds, and to an unknown card', async () => {
    const idx = await newStamp({ cardIdx: 1 });
    await put('update', { stampIdx: idx, stamps: 8 });
    expect((await put('update', { stampIdx: idx, cardIdx: 3 })).code).toBe(SandboxCode.MAX_REACHED);
    expect((await put('update', { stampIdx: idx, cardIdx: 999 })).code).toBe(SandboxCode.UNKNOWN_CARD);
    expect((await create({ cardIdx: 999 })).code).toBe(SandboxCode.UNKNOWN_CARD);
  });

  it('clears the customer PIN on resetPinYn=Y and changes nothing else', async () => {
    const idx = await newStamp();
    await callSandbox(sandbox, 'POST', `/__sandbox/stamps/${idx}/pin`, { pin: '1234' });
    expect(sandbox.inspect(idx)?.pinSet).toBe(true);
    expect((await put('update', { stampIdx: idx, resetPinYn: 'N' })).code).toBe(0);
    expect(sandbox.inspect(idx)?.pinSet).toBe(true);
    const before = sandbox.inspect(idx);
    expect((await put('update', { stampIdx: idx, resetPinYn: 'Y' })).code).toBe(0);
    expect(sandbox.inspect(idx)).toEqual({ ...before, pinSet: false });
  });

  it('allows endYmd up to five years after today in Seoul, not in UTC', async () => {
    // UTC says 2026-11-25; Seoul is already on 2026-11-26.
    expect((await create({ endYmd: '2031-11-26' })).code).toBe(0);
    const res = await create({ endYmd: '2031-11-27' });
    expect(res.code).toBe(SandboxCode.END_TOO_FAR);
    const idx = await newStamp();
    expect((await put('update', { stampIdx: idx, endYmd: '2031-11-27' })).code).toBe(SandboxCode.END_TOO_FAR);
  });

  it('refuses a start after the end, on create and on update', async () => {
    expect((await create({ strtYmd: '2027-02-01', endYmd: '2027-01-31' })).code).toBe(SandboxCode.BAD_PARAMETER);
    const idx = await newStamp();
    expect((await put('update', { stampIdx: idx, strtYmd: '2028-01-01' })).code).toBe(SandboxCode.BAD_PARAMETER);
  });

  it('asks for the on-site password when the card has on-site approval', async () => {
    const idx = await newStamp({ cardIdx: 3 });
    await put('update', { stampIdx: idx, stamps: 5 });
    expect((await put('redeem', { stampIdx: idx })).code).toBe(SandboxCode.ONSITE_PASSWORD);
    expect((await put('redeem', { stampIdx: idx, onsitePwd: '000000' })).message).toMatch(/wrong/);
    expect(sandbox.inspect(idx)?.useYn).toBe('N');
    expect((await put('redeem', { stampIdx: idx, onsitePwd: '482913' })).code).toBe(0);
  });

  it('refuses to redeem a card that is not full', async () => {
    const idx = await newStamp();
    expect((await put('redeem', { stampIdx: idx })).code).toBe(SandboxCode.NOT_FULL);
  });

  it('answers malformed JSON, wrong types and unknown enum values with code != 0, never a crash', async () => {
    const cases: Array<[string, unknown]> = [
      ['create', '{"cardIdx": 1,'],
      ['create', { cardIdx: '1', strtYmd: '2026-01-01', endYmd: '2026-12-31' }],
      ['create', { cardIdx: 1, strtYmd: '2026-02-30', endYmd: '2026-12-31' }],
      ['create', { cardIdx: 1, strtYmd: '2026/01/01', endYmd: '2026-12-31' }],
      ['create', { cardIdx: 1, strtYmd: '2026-01-01', endYmd: '2026-12-31', activeYn: 'yes' }],
      ['create', [1, 2, 3]],
      ['add', { stampIdx: 1.5 }],
      ['add', {}],
      ['update', { stampIdx: 1000, useYn: true }],
      ['update', { stampIdx: 1000, memo: 42 }],
    ];
    for (const [endpoint, body] of cases) {
      const res = await callSandbox(sandbox, endpoint === 'create' ? 'POST' : 'PUT', `/api/stamp/v1/${endpoint}`, body);
      expect(res.status, res.text).toBe(200);
      expect(res.code, JSON.stringify(body)).toBe(SandboxCode.BAD_PARAMETER);
      expect(res.result).toBeNull();
    }
    expect((await validate('abc')).code).toBe(SandboxCode.BAD_PARAMETER);
    expect((await callSandbox(sandbox, 'GET', '/api/stamp/v1/validate')).code).toBe(SandboxCode.BAD_PARAMETER);
  });

  it('answers a wrong method with 405 and an unknown path with 404', async () => {
    expect((await callSandbox(sandbox, 'GET', '/api/stamp/v1/add')).status).toBe(405);
    expect((await callSandbox(sandbox, 'GET', '/api/stamp/v1/list')).status).toBe(404);
  });

  it('refuses a custom domain below Premium and one not registered', async () => {
    expect((await create({ domain: 'https://stamps.example.com' })).code).toBe(0);
    expect((await create({ domain: 'https://other.example.com' })).code).toBe(SandboxCode.DOMAIN_NOT_ALLOWED);
    const personal = await startSandbox({ apiKeys: [{ key: 'p', plan: 'personal' }] });
    try {
      const res = await callSandbox(personal, 'POST', '/api/stamp/v1/create', {
        cardIdx: 1,
        strtYmd: '2026-01-01',
        endYmd: '2026-12-31',
        domain: 'https://stamps.example.com',
      });
      expect(res.code).toBe(SandboxCode.PLAN_NOT_ALLOWED);
    } finally {
      await personal.close();
    }
  });
});

describe('cards', () => {
  it('adds a card through the sandbox-only endpoint and issues stamps on it', async () => {
    const res = await callSandbox(sandbox, 'POST', '/__sandbox/cards', {
      cardNm: 'Noodle club',
      cardTtl: '8 bowls',
      maxStamps: 8,
      url: 'https://noodles.example.com',
      onsiteYn: 'Y',
      onsitePwd: 'ramen',
    });
    expect(res).toMatchObject({ status: 200, code: 0 });
    const cardIdx = res.result as number;
    const idx = await newStamp({ cardIdx });
    expect((await validate(idx)).result).toMatchObject({ cardIdx, cardNm: 'Noodle club', maxStamps: 8, onsiteYn: 'Y', onsitePwd: 'ramen' });
    expect((await callSandbox(sandbox, 'POST', '/__sandbox/cards', { cardNm: 'x' })).code).toBe(SandboxCode.BAD_PARAMETER);
  });

  it('needs the API key for the admin API', async () => {
    const res = await callSandbox(sandbox, 'POST', '/__sandbox/cards', { cardNm: 'x', maxStamps: 3 }, { authorization: 'APIKey nope' });
    expect(res.status).toBe(401);
  });
});

describe('authentication and client identification', () => {
  it('refuses a missing or wrong API key with HTTP 401, code != 0, and changes nothing', async () => {
    const missing = await callSandbox(sandbox, 'PUT', '/api/stamp/v1/add', { stampIdx: 1000 }, { authorization: '' });
    expect(missing).toMatchObject({ status: 401, code: SandboxCode.AUTH_FAILED, result: null });
    const wrong = await callSandbox(sandbox, 'PUT', '/api/stamp/v1/add', { stampIdx: 1000 }, { authorization: 'APIKey guess' });
    expect(wrong.code).toBe(SandboxCode.AUTH_FAILED);
    const bearer = await callSandbox(
      sandbox,
      'PUT',
      '/api/stamp/v1/add',
      { stampIdx: 1000 },
      { authorization: `Bearer ${sandbox.apiKey}` },
    );
    expect(bearer.code).toBe(SandboxCode.AUTH_FAILED);
    expect(sandbox.inspect(1000)?.stamps).toBe(3);
  });

  it('answers a bad key with HTTP 200 and code != 0 when configured to (stamp-api.md A15)', async () => {
    const lenient = await startSandbox({ authFailure: 'envelope' });
    try {
      const res = await callSandbox(lenient, 'GET', '/api/stamp/v1/validate?stampIdx=1000', undefined, { authorization: 'APIKey x' });
      expect(res).toMatchObject({ status: 200, code: SandboxCode.AUTH_FAILED, result: null });
    } finally {
      await lenient.close();
    }
  });

  it('refuses a missing or generic User-Agent with HTTP 403, unless switched off', async () => {
    for (const ua of ['', 'curl/8.5.0', 'node', 'python-requests/2.31', 'undici']) {
      const res = await callSandbox(sandbox, 'GET', '/api/stamp/v1/validate?stampIdx=1000', undefined, { 'user-agent': ua });
      expect(res.status, ua).toBe(403);
      expect(res.code).toBeUndefined();
    }
    const lax = await startSandbox({ requireUserAgent: false });
    try {
      expect((await callSandbox(lax, 'GET', '/api/stamp/v1/validate?stampIdx=1000', undefined, { 'user-agent': 'curl/8.5.0' })).code).toBe(
        0,
      );
    } finally {
      await lax.close();
    }
  });

  it('answers HTTP 429 without an envelope past the per-minute limit', async () => {
    const limited = await startSandbox({ rateLimit: { perMinute: 3, perHour: 100 } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await callSandbox(limited, 'GET', '/api/stamp/v1/validate?stampIdx=1000')).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
    } finally {
      await limited.close();
    }
  });
});

describe('request log', () => {
  it('records method, path, query, headers and body of each call in order', async () => {
    await validate(1000);
    await put('add', { stampIdx: 1000 });
    const [first, second] = sandbox.requests.list();
    expect(first).toMatchObject({
      endpoint: 'validate',
      method: 'GET',
      path: '/api/stamp/v1/validate',
      query: { stampIdx: '1000' },
      body: null,
    });
    expect(second).toMatchObject({ endpoint: 'add', method: 'PUT', body: { stampIdx: 1000 } });
    expect(second?.headers.authorization).toBe(`APIKey ${sandbox.apiKey}`);
    expect(sandbox.requests.count('add')).toBe(1);
    await put('remove', { stampIdx: 1000 });
  });

  it('is readable over HTTP without revealing the API key', async () => {
    await validate(1000);
    const res = await callSandbox(sandbox, 'GET', '/__sandbox/requests');
    const entries = res.result as Array<{ headers: Record<string, string> }>;
    expect(entries).toHaveLength(1);
    expect(entries[0]?.headers.authorization).toBe('APIKey ***');
    expect(res.text).not.toContain(sandbox.apiKey);
  });
});
