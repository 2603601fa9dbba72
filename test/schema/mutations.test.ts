import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addDays, latestEndDate, seoulToday } from '../../src/dates.js';
import { graphql } from '../gql/index.js';
import { expectNoErrors, onlyError, startGateway, type TestGateway } from '../helpers/gateway.js';
import { seedStamp as seed } from '../helpers/sandbox.js';

const CreateStamp = graphql(`
  mutation CreateStamp($input: CreateStampInput!) {
    createStamp(input: $input) { stampIdx stamp { stampIdx stamps active startDate endDate memo user { id name email } } }
  }
`);
const UpdateStamp = graphql(`
  mutation UpdateStamp($input: UpdateStampInput!) {
    updateStamp(input: $input) { stampIdx stamp { stamps active memo endDate user { id email } } }
  }
`);
const AddStamp = graphql(`
  mutation AddStamp($input: AddStampInput!) { addStamp(input: $input) { stampIdx stamp { stamps remaining } } }
`);
const RemoveStamp = graphql(`
  mutation RemoveStamp($input: RemoveStampInput!) { removeStamp(input: $input) { stampIdx stamp { stamps } } }
`);
const Adjust = graphql(`
  mutation Adjust($input: AdjustStampCountInput!) {
    adjustStampCount(input: $input) { stampIdx previousStamps newStamps stamp { stamps } }
  }
`);
const Redeem = graphql(`
  mutation Redeem($input: RedeemStampInput!) {
    redeemStamp(input: $input) { stampIdx redeemedAt lastKnownStamp { stamps maxStamps complete } }
  }
`);
const ResetPin = graphql(`
  mutation ResetPin($input: ResetStampPinInput!) { resetStampPin(input: $input) { stampIdx stamp { stampIdx } } }
`);
const DeleteStamp = graphql(`
  mutation DeleteStamp($input: DeleteStampInput!) { deleteStamp(input: $input) { stampIdx deleted } }
`);
const Reissue = graphql(`
  mutation Reissue($input: RedeemAndReissueInput!) {
    redeemAndReissue(input: $input) {
      redeemedStampIdx
      newStampIdx
      newStamp { stampIdx cardIdx stamps startDate endDate memo user { id name email phone } }
    }
  }
`);

let gw: TestGateway;
const today = seoulToday(new Date());

beforeAll(async () => {
  gw = await startGateway();
});
afterAll(() => gw.close());
beforeEach(() => {
  gw.sandbox.requests.clear();
  gw.sandbox.faults.clear();
});

/** A fresh stamp straight on the sandbox, so each test owns its data. */
function seedStamp(cardIdx = 1, stamps = 0, fields: Record<string, unknown> = {}): number {
  return seed(gw.sandbox, { cardIdx, stamps, from: -10, to: 100, fields });
}

const sent = (endpoint: Parameters<TestGateway['sandbox']['requests']['list']>[0]) =>
  gw.sandbox.requests.list(endpoint).map((r) => (r.method === 'GET' || r.method === 'DELETE' ? r.query : r.body));

describe('createStamp', () => {
  it('sends the upstream names and answers the new stampIdx and stamp', async () => {
    const data = expectNoErrors(
      await gw.request(CreateStamp, {
        input: {
          cardIdx: 2,
          startDate: today,
          endDate: addDays(today, 30),
          active: true,
          memo: 'walk-in',
          user: { id: 'cust-7', name: 'Min', email: 'min@example.com', phone: '010 555 0101' },
        },
      }),
    );
    expect(data.createStamp.stamp).toEqual({
      stampIdx: data.createStamp.stampIdx,
      stamps: 0,
      active: true,
      startDate: today,
      endDate: addDays(today, 30),
      memo: 'walk-in',
      user: { id: 'cust-7', name: 'Min', email: 'min@example.com' },
    });
    expect(sent('create')).toEqual([
      {
        cardIdx: 2,
        strtYmd: today,
        endYmd: addDays(today, 30),
        activeYn: 'Y',
        memo: 'walk-in',
        userId: 'cust-7',
        userNm: 'Min',
        userPhnno: '010 555 0101',
        userEml: 'min@example.com',
      },
    ]);
  });

  it('accepts create answering its stampIdx as a string of digits', async () => {
    const next = gw.sandbox.state.nextStampIdx;
    gw.sandbox.faults.add({ endpoint: 'create', action: { type: 'result', result: String(next) } });
    const data = expectNoErrors(await gw.request(CreateStamp, { input: { cardIdx: 1, startDate: today, endDate: today } }));
    expect(data.createStamp.stampIdx).toBe(next);
  });

  it('treats a result that is no stampIdx as UPSTREAM_BAD_RESPONSE with an unknown outcome, never a guess', async () => {
    gw.sandbox.faults.add({ endpoint: 'create', action: { type: 'result', result: 'ZJLF0399WQBEQZJM' } });
    const error = onlyError(await gw.request(CreateStamp, { input: { cardIdx: 1, startDate: today, endDate: today } }));
    expect(error.extensions).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', outcome: 'UNKNOWN' });
    expect(error.message).toMatch(/ZJLF0399WQBEQZJM/);
    expect(gw.sandbox.requests.count('create')).toBe(1);
  });

  it('passes an upstream refusal on as UPSTREAM_REJECTED with its code and message', async () => {
    const error = onlyError(await gw.request(CreateStamp, { input: { cardIdx: 777, startDate: today, endDate: today } }));
    expect(error.extensions).toMatchObject({
      code: 'UPSTREAM_REJECTED',
      outcome: 'NOT_APPLIED',
      upstreamCode: 1010,
      upstreamMessage: 'No stamp card with cardIdx 777.',
    });
  });
});

describe('updateStamp', () => {
  it('sends only the fields given, mapped to upstream names', async () => {
    const stampIdx = seedStamp(1, 2, { memo: 'keep', userNm: 'Keep Me' });
    const data = expectNoErrors(
      await gw.request(UpdateStamp, { input: { stampIdx, stamps: 6, active: true, user: { email: 'new@example.com' } } }),
    );
    expect(sent('update')).toEqual([{ stampIdx, stamps: 6, activeYn: 'Y', userEml: 'new@example.com' }]);
    expect(data.updateStamp.stamp).toMatchObject({ stamps: 6, memo: 'keep', user: { email: 'new@example.com' } });
    expect(gw.sandbox.inspect(stampIdx)?.userNm).toBe('Keep Me');
  });

  it('deactivates a stamp; the payload then has no readable stamp', async () => {
    const stampIdx = seedStamp();
    const data = expectNoErrors(await gw.request(UpdateStamp, { input: { stampIdx, active: false } }));
    expect(data.updateStamp).toEqual({ stampIdx, stamp: null });
    expect(gw.sandbox.inspect(stampIdx)?.activeYn).toBe('N');
  });

  it('explains a count above the card maximum as CONFLICT', async () => {
    const stampIdx = seedStamp(2);
    const error = onlyError(await gw.request(UpdateStamp, { input: { stampIdx, stamps: 9 } }));
    expect(error.extensions).toMatchObject({ code: 'CONFLICT', outcome: 'NOT_APPLIED', maxStamps: 6 });
    expect(gw.sandbox.inspect(stampIdx)?.stamps).toBe(0);
  });

  it('cannot un-redeem: a redeemed stamp refuses state changes as STAMP_UNAVAILABLE', async () => {
    const stampIdx = seedStamp(2, 6);
    gw.sandbox.state.redeem({ stampIdx });
    const error = onlyError(await gw.request(UpdateStamp, { input: { stampIdx, stamps: 1 } }));
    expect(error.extensions).toMatchObject({ code: 'STAMP_UNAVAILABLE', outcome: 'NOT_APPLIED' });
    expect(error.extensions?.reason).toMatch(/redeemed/);
    expect(gw.sandbox.inspect(stampIdx)).toMatchObject({ useYn: 'Y', stamps: 6 });
  });
});

describe('addStamp and removeStamp', () => {
  it("use the upstream's own +1 and -1", async () => {
    const stampIdx = seedStamp(1, 4);
    expect(expectNoErrors(await gw.request(AddStamp, { input: { stampIdx } })).addStamp.stamp).toEqual({ stamps: 5, remaining: 5 });
    expect(expectNoErrors(await gw.request(RemoveStamp, { input: { stampIdx } })).removeStamp.stamp).toEqual({ stamps: 4 });
    expect(sent('add')).toEqual([{ stampIdx }]);
    expect(sent('remove')).toEqual([{ stampIdx }]);
  });

  it('explains add on a full card and remove at zero as CONFLICT', async () => {
    const full = seedStamp(3, 5);
    expect(onlyError(await gw.request(AddStamp, { input: { stampIdx: full } })).extensions).toMatchObject({
      code: 'CONFLICT',
      outcome: 'NOT_APPLIED',
      stamps: 5,
      maxStamps: 5,
    });
    const empty = seedStamp(3, 0);
    expect(onlyError(await gw.request(RemoveStamp, { input: { stampIdx: empty } })).extensions).toMatchObject({
      code: 'CONFLICT',
      stamps: 0,
    });
  });

  it('explains add on an inactive or expired stamp as STAMP_UNAVAILABLE', async () => {
    for (const stampIdx of [1003, 1004]) {
      const error = onlyError(await gw.request(AddStamp, { input: { stampIdx } }));
      expect(error.extensions).toMatchObject({ code: 'STAMP_UNAVAILABLE', outcome: 'NOT_APPLIED', stampIdx });
    }
  });
});

describe('adjustStampCount', () => {
  it('adds several stamps on top of the current count with one absolute update', async () => {
    const stampIdx = seedStamp(1, 3);
    const data = expectNoErrors(await gw.request(Adjust, { input: { stampIdx, delta: 4 } }));
    expect(data.adjustStampCount).toEqual({ stampIdx, previousStamps: 3, newStamps: 7, stamp: { stamps: 7 } });
    expect(sent('update')).toEqual([{ stampIdx, stamps: 7 }]);
  });

  it('refuses a result outside 0..maxStamps with CONFLICT and sends no update', async () => {
    const stampIdx = seedStamp(2, 5);
    const over = onlyError(await gw.request(Adjust, { input: { stampIdx, delta: 2 } }));
    expect(over.extensions).toMatchObject({ code: 'CONFLICT', outcome: 'NOT_APPLIED', stamps: 5, maxStamps: 6, delta: 2 });
    const under = onlyError(await gw.request(Adjust, { input: { stampIdx, delta: -6 } }));
    expect(under.extensions?.code).toBe('CONFLICT');
    expect(gw.sandbox.requests.count('update')).toBe(0);
  });

  it('applies concurrent adjustments of one stamp one after another, losing none', async () => {
    const stampIdx = seedStamp(1, 0);
    const results = await Promise.all(Array.from({ length: 8 }, () => gw.request(Adjust, { input: { stampIdx, delta: 1 } })));
    for (const r of results) expectNoErrors(r);
    expect(gw.sandbox.inspect(stampIdx)?.stamps).toBe(8);
    expect(sent('update').map((b) => (b as { stamps: number }).stamps)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});

describe('redeemStamp', () => {
  it('redeems a full card and shows the stamp as last read', async () => {
    const stampIdx = seedStamp(2, 6);
    const data = expectNoErrors(await gw.request(Redeem, { input: { stampIdx } }));
    expect(data.redeemStamp).toMatchObject({ stampIdx, lastKnownStamp: { stamps: 6, maxStamps: 6, complete: true } });
    expect(sent('redeem')).toEqual([{ stampIdx }]);
    expect(gw.sandbox.inspect(stampIdx)?.useYn).toBe('Y');
  });

  it('refuses a card that is not full before sending the redeem', async () => {
    const stampIdx = seedStamp(2, 5);
    expect(onlyError(await gw.request(Redeem, { input: { stampIdx } })).extensions).toMatchObject({
      code: 'CONFLICT',
      stamps: 5,
      maxStamps: 6,
    });
    expect(gw.sandbox.requests.count('redeem')).toBe(0);
  });

  it('checks the on-site password before sending, and sends it only where the card needs it', async () => {
    const stampIdx = seedStamp(3, 5);
    const missing = onlyError(await gw.request(Redeem, { input: { stampIdx } }));
    expect(missing.extensions).toMatchObject({ code: 'BAD_USER_INPUT', issues: [{ path: 'input.onsitePassword' }] });
    const wrong = onlyError(await gw.request(Redeem, { input: { stampIdx, onsitePassword: '111111' } }));
    expect(wrong.extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(wrong)).not.toContain('482913');
    expect(gw.sandbox.requests.count('redeem')).toBe(0);
    expectNoErrors(await gw.request(Redeem, { input: { stampIdx, onsitePassword: '482913' } }));
    expect(sent('redeem')).toEqual([{ stampIdx, onsitePwd: '482913' }]);
  });

  it('refuses a second redemption', async () => {
    const stampIdx = seedStamp(2, 6);
    expectNoErrors(await gw.request(Redeem, { input: { stampIdx } }));
    const again = onlyError(await gw.request(Redeem, { input: { stampIdx } }));
    expect(again.extensions).toMatchObject({ code: 'STAMP_UNAVAILABLE', outcome: 'NOT_APPLIED' });
    expect(gw.sandbox.requests.count('redeem')).toBe(1);
  });
});

describe('resetStampPin', () => {
  it('sends resetPinYn=Y and nothing else', async () => {
    const stampIdx = seedStamp();
    gw.sandbox.state.setPin({ stampIdx, pin: '2468' });
    expectNoErrors(await gw.request(ResetPin, { input: { stampIdx } }));
    expect(sent('update')).toEqual([{ stampIdx, resetPinYn: 'Y' }]);
    expect(gw.sandbox.inspect(stampIdx)?.pinSet).toBe(false);
  });
});

describe('deleteStamp', () => {
  it('deletes with the stampIdx in the query string', async () => {
    const stampIdx = seedStamp();
    expect(expectNoErrors(await gw.request(DeleteStamp, { input: { stampIdx } })).deleteStamp).toEqual({ stampIdx, deleted: true });
    expect(gw.sandbox.requests.list('delete')[0]).toMatchObject({ method: 'DELETE', query: { stampIdx: String(stampIdx) } });
    expect(gw.sandbox.inspect(stampIdx)).toBeUndefined();
  });

  it('answers an unknown stamp with STAMP_UNAVAILABLE', async () => {
    expect(onlyError(await gw.request(DeleteStamp, { input: { stampIdx: 987654 } })).extensions).toMatchObject({
      code: 'STAMP_UNAVAILABLE',
    });
  });
});

describe('redeemAndReissue', () => {
  it('redeems the full stamp and issues the next on the same card for the same customer', async () => {
    const old = seedStamp(1, 10, { userId: 'loyal-1', userNm: 'Loyal', userEml: 'loyal@example.com', userPhnno: '010-9' });
    const data = expectNoErrors(await gw.request(Reissue, { input: { stampIdx: old } }));
    const { newStampIdx } = data.redeemAndReissue;
    expect(data.redeemAndReissue).toEqual({
      redeemedStampIdx: old,
      newStampIdx,
      newStamp: {
        stampIdx: newStampIdx,
        cardIdx: 1,
        stamps: 0,
        startDate: today,
        endDate: addDays(today, 110),
        memo: `Reissued after redeeming stamp ${old}`,
        user: { id: 'loyal-1', name: 'Loyal', email: 'loyal@example.com', phone: '010-9' },
      },
    });
    expect(gw.sandbox.requests.list().map((r) => r.endpoint)).toEqual(['validate', 'redeem', 'create', 'validate']);
    expect(gw.sandbox.inspect(old)?.useYn).toBe('Y');
  });

  it('uses the dates given, and caps the default end at five years', async () => {
    const old = seedStamp(2, 6);
    const data = expectNoErrors(
      await gw.request(Reissue, { input: { stampIdx: old, startDate: addDays(today, 1), endDate: addDays(today, 20) } }),
    );
    expect(data.redeemAndReissue.newStamp).toBeNull();
    expect(sent('create')[0]).toMatchObject({ strtYmd: addDays(today, 1), endYmd: addDays(today, 20) });
    const long = seedStamp(2, 6, { strtYmd: addDays(today, -3000), endYmd: addDays(today, 100) });
    gw.sandbox.requests.clear();
    expectNoErrors(await gw.request(Reissue, { input: { stampIdx: long } }));
    expect(sent('create')[0]).toMatchObject({ strtYmd: today, endYmd: latestEndDate(today) });
  });

  it('refuses a stamp that is not full, sending nothing but the read', async () => {
    const old = seedStamp(1, 9);
    expect(onlyError(await gw.request(Reissue, { input: { stampIdx: old } })).extensions?.code).toBe('CONFLICT');
    expect(gw.sandbox.requests.list().map((r) => r.endpoint)).toEqual(['validate']);
  });

  it('says so when the redeem went through but issuing was refused', async () => {
    const old = seedStamp(2, 6);
    gw.sandbox.faults.add({ endpoint: 'create', action: { type: 'status', status: 429, retryAfter: 5 } });
    const error = onlyError(await gw.request(Reissue, { input: { stampIdx: old } }));
    // The redeem applied, so the mutation cannot claim NOT_APPLIED: the outcome is that of its most uncertain step.
    expect(error.extensions).toMatchObject({
      code: 'UPSTREAM_RATE_LIMITED',
      outcome: 'UNKNOWN',
      redeemedStampIdx: old,
      failedStep: 'issue',
      retryAfter: 5,
    });
    expect(error.message).toMatch(new RegExp(`Stamp ${old} was redeemed`));
    expect(gw.sandbox.requests.count('create')).toBe(1);
  });
});
