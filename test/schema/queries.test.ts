import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { expectNoErrors, onlyError, startGateway, type TestGateway } from '../helpers/gateway.js';

const FullStamp = graphql(`
  query FullStamp($stampIdx: Int!) {
    stamp(stampIdx: $stampIdx) {
      stampIdx
      cardIdx
      cardName
      cardTitle
      stamps
      maxStamps
      remaining
      complete
      active
      startDate
      endDate
      domain
      stampUrl
      url
      imageUrl
      memo
      onsiteApproval
      issuedAt
      user { id name phone email etc1 etc2 }
    }
  }
`);

const ManyStamps = graphql(`
  query ManyStamps($stampIdxs: [Int!]!) {
    stamps(stampIdxs: $stampIdxs) { stampIdx stamps user { id } }
  }
`);

const Validate = graphql(`
  query Validate($stampIdx: Int!) {
    validateStamp(stampIdx: $stampIdx) { stampIdx valid reason stamp { stampIdx stamps } }
  }
`);

let gw: TestGateway;
beforeAll(async () => {
  gw = await startGateway();
});
afterAll(() => gw.close());
beforeEach(() => {
  gw.sandbox.requests.clear();
  gw.sandbox.faults.clear();
});

describe('stamp', () => {
  it("reads a stamp through validate and speaks the front-end's names", async () => {
    const data = expectNoErrors(await gw.request(FullStamp, { stampIdx: 1002 }));
    const row = gw.sandbox.inspect(1002)!;
    expect(data.stamp).toEqual({
      stampIdx: 1002,
      cardIdx: 3,
      cardName: 'Salon VIP',
      cardTitle: 'Five visits, then a free treatment (staff approval)',
      stamps: 5,
      maxStamps: 5,
      remaining: 0,
      complete: true,
      active: true,
      startDate: row.strtYmd,
      endDate: row.endYmd,
      domain: 'https://vvd.bz',
      stampUrl: 'https://vvd.bz/stamp/1002',
      url: 'https://salon.example.com',
      imageUrl: 'https://cdn.vivoldi.com/www/image/icon/stamp/icon.stamp.3.webp',
      memo: 'Seeded: full, needs the on-site password',
      onsiteApproval: true,
      issuedAt: `${row.regYmdt.replace(' ', 'T')}+09:00`,
      user: { id: 'demo-carol', name: 'Carol Demo', phone: '010-1234-5678', email: null, etc1: null, etc2: null },
    });
    const [call] = gw.sandbox.requests.list();
    expect(call).toMatchObject({ method: 'GET', path: '/api/stamp/v1/validate', query: { stampIdx: '1002' } });
    expect(call?.headers).toMatchObject({
      authorization: `APIKey ${gw.sandbox.apiKey}`,
      'accept-language': 'en',
    });
    expect(call?.headers['user-agent']).toMatch(/StampGateway/);
    expect(gw.sandbox.requests.count()).toBe(1);
  });

  it('answers null with STAMP_UNAVAILABLE and the reason when the upstream refuses the stamp', async () => {
    const res = await gw.request(FullStamp, { stampIdx: 1003 });
    expect(res.body.data?.stamp).toBeNull();
    const error = onlyError(res);
    expect(error.extensions).toMatchObject({ code: 'STAMP_UNAVAILABLE', stampIdx: 1003, reason: 'The stamp is not active.' });
    expect(error.path).toEqual(['stamp']);
  });

  it('refuses a non-positive id before anything is sent', async () => {
    const res = await gw.request(FullStamp, { stampIdx: 0 });
    const error = onlyError(res);
    expect(error.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      issues: [{ path: 'stampIdx', message: 'must be a positive integer' }],
    });
    expect(gw.sandbox.requests.count()).toBe(0);
  });
});

describe('stamps', () => {
  it('reads five ids with duplicates in three upstream calls, in the order asked', async () => {
    const data = expectNoErrors(await gw.request(ManyStamps, { stampIdxs: [1001, 1000, 1001, 1002, 1000] }));
    expect(data.stamps.map((s) => s?.stampIdx)).toEqual([1001, 1000, 1001, 1002, 1000]);
    const asked = gw.sandbox.requests.list('validate').map((r) => Number(r.query.stampIdx));
    expect(asked.sort()).toEqual([1000, 1001, 1002]);
    expect(gw.sandbox.requests.count()).toBe(3);
  });

  it('fails only the unavailable ids, each with its own error at its position', async () => {
    const res = await gw.request(ManyStamps, { stampIdxs: [1000, 1003, 999999, 1001] });
    expect(res.body.data?.stamps.map((s) => s?.stampIdx ?? null)).toEqual([1000, null, null, 1001]);
    const errors = res.body.errors ?? [];
    expect(errors.map((e) => [e.path, e.extensions?.code])).toEqual([
      [['stamps', 1], 'STAMP_UNAVAILABLE'],
      [['stamps', 2], 'STAMP_UNAVAILABLE'],
    ]);
  });

  it('keeps a transport failure of one id to that id', async () => {
    gw.sandbox.faults.add({ endpoint: 'validate', action: { type: 'status', status: 500 }, times: 3 });
    // The first call fails three times (one try, two retries); the others are unaffected.
    const res = await gw.request(ManyStamps, { stampIdxs: [1000] });
    expect(onlyError(res).extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', httpStatus: 500 });
    expect(onlyError(res).extensions).not.toHaveProperty('outcome');
    expect(gw.sandbox.requests.count('validate')).toBe(3);
    const ok = expectNoErrors(await gw.request(ManyStamps, { stampIdxs: [1000, 1001] }));
    expect(ok.stamps).toHaveLength(2);
  });

  it('refuses more than 100 ids before anything is sent', async () => {
    const res = await gw.request(ManyStamps, { stampIdxs: Array.from({ length: 101 }, (_, i) => 1000 + i) });
    expect(onlyError(res).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      issues: [{ path: 'stampIdxs', message: 'must list at most 100 ids' }],
    });
    expect(gw.sandbox.requests.count()).toBe(0);
  });

  it('answers an empty list with an empty list and no upstream call', async () => {
    expect(expectNoErrors(await gw.request(ManyStamps, { stampIdxs: [] })).stamps).toEqual([]);
    expect(gw.sandbox.requests.count()).toBe(0);
  });
});

describe('validateStamp', () => {
  it('answers valid with the stamp', async () => {
    const data = expectNoErrors(await gw.request(Validate, { stampIdx: 1000 }));
    expect(data.validateStamp).toMatchObject({ stampIdx: 1000, valid: true, reason: null, stamp: { stampIdx: 1000 } });
  });

  it('answers an unusable stamp as valid: false with the reason, not as an error', async () => {
    for (const [stampIdx, reason] of [
      [1003, /not active/],
      [1004, /validity period/],
      [424242, /No stamp/],
    ] as const) {
      const data = expectNoErrors(await gw.request(Validate, { stampIdx }));
      expect(data.validateStamp.valid).toBe(false);
      expect(data.validateStamp.reason).toMatch(reason);
      expect(data.validateStamp.stamp).toBeNull();
    }
  });

  it('reports a transport failure as an error, not as valid: false', async () => {
    gw.sandbox.faults.add({ endpoint: 'validate', action: { type: 'status', status: 503 }, times: 'always' });
    const res = await gw.request(Validate, { stampIdx: 1000 });
    expect(onlyError(res).extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
  });
});
