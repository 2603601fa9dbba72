import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addDays, latestEndDate, seoulToday } from '../../src/dates.js';
import { graphql } from '../gql/index.js';
import { onlyError, startGateway, type TestGateway } from '../helpers/gateway.js';

const CreateForValidation = graphql(`
  mutation CreateForValidation($input: CreateStampInput!) { createStamp(input: $input) { stampIdx } }
`);
const UpdateForValidation = graphql(`
  mutation UpdateForValidation($input: UpdateStampInput!) { updateStamp(input: $input) { stampIdx } }
`);
const AdjustForValidation = graphql(`
  mutation AdjustForValidation($input: AdjustStampCountInput!) { adjustStampCount(input: $input) { stampIdx } }
`);
const ReissueForValidation = graphql(`
  mutation ReissueForValidation($input: RedeemAndReissueInput!) { redeemAndReissue(input: $input) { newStampIdx } }
`);
const StampById = graphql(`
  query StampById($stampIdx: Int!) { stamp(stampIdx: $stampIdx) { stampIdx } }
`);

let gw: TestGateway;
const today = seoulToday(new Date());

beforeAll(async () => {
  gw = await startGateway();
});
afterAll(async () => {
  // Nothing refused here may ever have reached the stamp API.
  await gw.close();
});
beforeEach(() => gw.sandbox.requests.clear());

async function issuesOf(response: Awaited<ReturnType<TestGateway['request']>>) {
  const error = onlyError(response);
  expect(error.extensions?.code).toBe('BAD_USER_INPUT');
  expect(gw.sandbox.requests.count()).toBe(0);
  return error.extensions?.issues as Array<{ path: string; message: string }>;
}

describe('input validation, before any upstream call', () => {
  it('lists every failing field of a create at once', async () => {
    const issues = await issuesOf(
      await gw.request(CreateForValidation, {
        input: {
          cardIdx: -1,
          startDate: today,
          endDate: addDays(latestEndDate(today), 1),
          memo: 'x'.repeat(501),
          domain: 'not a url',
          user: { email: 'not-an-email', phone: 'call me', id: '' },
          idempotencyKey: '',
        },
      }),
    );
    expect(issues.map((i) => i.path).sort()).toEqual(
      [
        'input.cardIdx',
        'input.domain',
        'input.endDate',
        'input.idempotencyKey',
        'input.memo',
        'input.user.email',
        'input.user.id',
        'input.user.phone',
      ].sort(),
    );
    expect(issues.find((i) => i.path === 'input.endDate')?.message).toBe(
      `must be at most 5 years ahead (${latestEndDate(today)} or earlier)`,
    );
    expect(issues.find((i) => i.path === 'input.memo')?.message).toBe('must be at most 500 characters');
  });

  it('accepts an end date exactly five years ahead', async () => {
    const res = await gw.request(CreateForValidation, { input: { cardIdx: 1, startDate: today, endDate: latestEndDate(today) } });
    expect(res.body.errors).toBeUndefined();
  });

  it('refuses a start after the end', async () => {
    const issues = await issuesOf(
      await gw.request(CreateForValidation, { input: { cardIdx: 1, startDate: addDays(today, 2), endDate: addDays(today, 1) } }),
    );
    expect(issues).toEqual([{ path: 'input.endDate', message: 'must not be before startDate' }]);
  });

  it('refuses dates that are not real calendar dates', async () => {
    for (const bad of ['2026-02-30', '2026-13-01', '26-01-01', '2026/01/01', 'tomorrow']) {
      const res = await gw.request(CreateForValidation, { input: { cardIdx: 1, startDate: bad, endDate: today } });
      const error = onlyError(res);
      expect(error.extensions?.code, bad).toBe('BAD_USER_INPUT');
      expect(error.message).toMatch(/YYYY-MM-DD/);
    }
    expect(gw.sandbox.requests.count()).toBe(0);
  });

  it('refuses a negative count, an update with nothing to change, and a zero or huge delta', async () => {
    expect(await issuesOf(await gw.request(UpdateForValidation, { input: { stampIdx: 1000, stamps: -1 } }))).toEqual([
      { path: 'input.stamps', message: 'must be 0 or more' },
    ]);
    expect(await issuesOf(await gw.request(UpdateForValidation, { input: { stampIdx: 1000 } }))).toEqual([
      { path: 'input.stampIdx', message: 'give at least one field to change' },
    ]);
    expect(await issuesOf(await gw.request(AdjustForValidation, { input: { stampIdx: 1000, delta: 0 } }))).toEqual([
      { path: 'input.delta', message: 'must not be 0' },
    ]);
    expect((await issuesOf(await gw.request(AdjustForValidation, { input: { stampIdx: 0, delta: 5000 } }))).map((i) => i.path)).toEqual([
      'input.stampIdx',
      'input.delta',
    ]);
  });

  it('checks the dates of a reissue before reading or redeeming anything', async () => {
    const issues = await issuesOf(
      await gw.request(ReissueForValidation, { input: { stampIdx: 1001, startDate: addDays(today, 5), endDate: addDays(today, 1) } }),
    );
    expect(issues).toEqual([{ path: 'input.endDate', message: 'must not be before startDate' }]);
  });

  it('gives a stable code to type errors caught by GraphQL itself', async () => {
    const res = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query($id: Int!) { stamp(stampIdx: $id) { stampIdx } }', variables: { id: 'abc' } }),
    });
    const body = (await res.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
    expect(body.errors[0]?.extensions.code).toBe('BAD_USER_INPUT');
    const unknownField = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ stamp(stampIdx: 1000) { nope } }' }),
    });
    const body2 = (await unknownField.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(body2.errors[0]?.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(gw.sandbox.requests.count()).toBe(0);
  });

  it('answers a read of an invalid id without calling the upstream', async () => {
    await issuesOf(await gw.request(StampById, { stampIdx: -5 }));
  });
});
