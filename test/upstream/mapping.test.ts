import { describe, expect, it } from 'vitest';
import { unwrapEnvelope } from '../../src/upstream/envelope.js';
import { UpstreamBadResponseError, UpstreamRejectedError } from '../../src/upstream/errors.js';
import { issuedAtFromUpstream, stampFieldsToUpstream, stampFromUpstream, stampIdxFromCreateResult } from '../../src/upstream/mapping.js';

// The validate example of the upstream docs (stamp-api.md §3.2).
const DOC_EXAMPLE = {
  stampIdx: 274,
  domain: 'https://vvd.bz',
  cardIdx: 1,
  cardNm: '10 Americanos',
  cardTtl: 'Collect 10, get 1 free',
  stamps: 10,
  maxStamps: 12,
  stampUrl: 'https://vvd.bz/stamp/274',
  url: 'https://myshopping.com',
  strtYmd: '2025-01-01',
  endYmd: '2026-12-31',
  onsiteYn: 'Y',
  onsitePwd: '123456',
  memo: null,
  activeYn: 'Y',
  userId: 'NKkDu9X4p4mQ',
  userNm: null,
  userPhnno: null,
  userEml: null,
  userEtc1: null,
  userEtc2: null,
  stampImgUrl: 'https://cdn.vivoldi.com/www/image/icon/stamp/icon.stamp.1.webp',
  regYmdt: '2025-10-30 05:11:35',
  payloadVersion: 'v1',
};

describe('upstream to front-end names', () => {
  it("maps the docs' validate example", () => {
    expect(stampFromUpstream(DOC_EXAMPLE)).toEqual({
      stampIdx: 274,
      cardIdx: 1,
      cardName: '10 Americanos',
      cardTitle: 'Collect 10, get 1 free',
      stamps: 10,
      maxStamps: 12,
      active: true,
      startDate: '2025-01-01',
      endDate: '2026-12-31',
      domain: 'https://vvd.bz',
      stampUrl: 'https://vvd.bz/stamp/274',
      url: 'https://myshopping.com',
      imageUrl: 'https://cdn.vivoldi.com/www/image/icon/stamp/icon.stamp.1.webp',
      memo: null,
      onsiteApproval: true,
      onsitePassword: '123456',
      user: { id: 'NKkDu9X4p4mQ', name: null, phone: null, email: null, etc1: null, etc2: null },
      issuedAt: '2025-10-30T05:11:35+09:00',
    });
  });

  it('maps N flags to false and hides the password of a card without on-site approval', () => {
    const s = stampFromUpstream({ ...DOC_EXAMPLE, activeYn: 'N', onsiteYn: 'N', onsitePwd: '' });
    expect(s).toMatchObject({ active: false, onsiteApproval: false, onsitePassword: null });
  });

  it('refuses a stamp with a flag that is not Y or N', () => {
    expect(() => stampFromUpstream({ ...DOC_EXAMPLE, activeYn: 'yes' })).toThrow();
  });

  it('turns regYmdt into ISO 8601 in Seoul time, and anything else into null', () => {
    expect(issuedAtFromUpstream('2025-01-02 03:04:05')).toBe('2025-01-02T03:04:05+09:00');
    expect(issuedAtFromUpstream('yesterday')).toBeNull();
    expect(issuedAtFromUpstream(null)).toBeNull();
  });
});

describe('front-end to upstream names', () => {
  it('sends only the fields given, with Y/N flags and user fields flattened', () => {
    expect(
      stampFieldsToUpstream({
        cardIdx: 3,
        stamps: 0,
        startDate: '2026-01-01',
        endDate: '2026-12-31',
        active: false,
        domain: '',
        memo: 'm',
        user: { id: 'u', name: 'n', phone: 'p', email: 'e@x.io', etc1: 'a', etc2: 'b' },
      }),
    ).toEqual({
      cardIdx: 3,
      stamps: 0,
      strtYmd: '2026-01-01',
      endYmd: '2026-12-31',
      activeYn: 'N',
      domain: '',
      memo: 'm',
      userId: 'u',
      userNm: 'n',
      userPhnno: 'p',
      userEml: 'e@x.io',
      userEtc1: 'a',
      userEtc2: 'b',
    });
    expect(stampFieldsToUpstream({ memo: null, user: { email: 'x@y.z', name: null } })).toEqual({ userEml: 'x@y.z' });
  });

  it('round-trips: what validate reports maps back onto the same upstream fields', () => {
    const s = stampFromUpstream(DOC_EXAMPLE);
    const back = stampFieldsToUpstream({ ...s, active: s.active, user: s.user });
    expect(back).toMatchObject({
      cardIdx: 1,
      strtYmd: '2025-01-01',
      endYmd: '2026-12-31',
      activeYn: 'Y',
      userId: 'NKkDu9X4p4mQ',
      domain: 'https://vvd.bz',
    });
  });
});

describe("create's result", () => {
  it('accepts an integer or a string of digits, and nothing else', () => {
    expect(stampIdxFromCreateResult(1457)).toBe(1457);
    expect(stampIdxFromCreateResult('1457')).toBe(1457);
    for (const bad of ['ZJLF0399WQBEQZJM', '', '12a', 0, -3, 1.5, null, {}, '0']) expect(stampIdxFromCreateResult(bad)).toBeUndefined();
  });
});

describe('the envelope', () => {
  it('returns result for code 0, and null for a missing result', () => {
    expect(unwrapEnvelope('validate', '{"code":0,"message":"","result":{"a":1}}')).toEqual({ a: 1 });
    expect(unwrapEnvelope('add', '{"code":0}')).toBeNull();
  });

  it('tells a refusal from a broken answer', () => {
    expect(() => unwrapEnvelope('add', '{"code":1005,"message":"full","result":null}')).toThrow(UpstreamRejectedError);
    for (const broken of ['<html></html>', '', '[]', '{"message":"x"}', '{"code":"0"}']) {
      expect(() => unwrapEnvelope('add', broken)).toThrow(UpstreamBadResponseError);
    }
  });
});
