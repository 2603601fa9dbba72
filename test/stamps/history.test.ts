import { beforeAll, describe, expect, it } from 'vitest';
import { addDays, seoulToday } from '../../src/dates.js';
import { graphql } from '../gql/index.js';
import { expectNoErrors, onlyError, startGateway, type TestGateway, useGatewayOn } from '../helpers/gateway.js';
import { ENGINES } from '../helpers/store.js';

const History = graphql(`
  query History($stampIdx: Int!, $first: Int, $after: String) {
    stampHistory(stampIdx: $stampIdx, first: $first, after: $after) {
      edges {
        cursor
        node {
          id at operation caller requestId outcome errorCode idempotencyKey input
          before { stamps } after { stamps }
          upstreamCalls { endpoint status code attempts error }
        }
      }
      pageInfo { hasNextPage endCursor }
      lastKnownStamp { stampIdx stamps complete }
    }
  }
`);
const Adjust = graphql(`
  mutation HistoryAdjust($input: AdjustStampCountInput!) { adjustStampCount(input: $input) { newStamps } }
`);
const Add = graphql(`
  mutation HistoryAdd($input: AddStampInput!) { addStamp(input: $input) { stampIdx } }
`);
const RedeemIt = graphql(`
  mutation HistoryRedeem($input: RedeemStampInput!) { redeemStamp(input: $input) { stampIdx } }
`);

const today = seoulToday(new Date());

describe.each(ENGINES)('change history on $name', ({ open }) => {
  const gateway = useGatewayOn(open);
  let gw: TestGateway;
  beforeAll(() => {
    gw = gateway();
  });

  it('lists every attempt newest first, with caller, outcome, states and upstream calls, secrets removed', async () => {
    const stampIdx = gw.sandbox.state.create({ cardIdx: 3, strtYmd: addDays(today, -1), endYmd: addDays(today, 9) }, 'premium')
      .result as number;
    const headers = { 'x-request-id': 'req-history-1' };
    expectNoErrors(await gw.request(Adjust, { input: { stampIdx, delta: 4 } }, headers));
    expect(onlyError(await gw.request(Adjust, { input: { stampIdx, delta: 9 } })).extensions?.code).toBe('CONFLICT');
    expectNoErrors(await gw.request(Add, { input: { stampIdx, idempotencyKey: `add-${stampIdx}` } }));
    expectNoErrors(await gw.request(Add, { input: { stampIdx, idempotencyKey: `add-${stampIdx}` } }));
    gw.sandbox.faults.add({ endpoint: 'redeem', action: { type: 'status', status: 503 } });
    expect(onlyError(await gw.request(RedeemIt, { input: { stampIdx, onsitePassword: '482913' } })).extensions?.outcome).toBe('UNKNOWN');

    const page = expectNoErrors(await gw.request(History, { stampIdx, first: 10 })).stampHistory;
    const nodes = page.edges.map((e) => e.node);
    expect(nodes.map((n) => [n.operation, n.outcome, n.errorCode])).toEqual([
      ['redeemStamp', 'UNKNOWN', 'UPSTREAM_UNAVAILABLE'],
      ['addStamp', 'REPLAYED', null],
      ['addStamp', 'APPLIED', null],
      ['adjustStampCount', 'NOT_APPLIED', 'CONFLICT'],
      ['adjustStampCount', 'APPLIED', null],
    ]);
    const [redeem, replay, , conflict, adjust] = nodes;
    expect(adjust).toMatchObject({ caller: 'local-admin', requestId: 'req-history-1', before: { stamps: 0 }, after: { stamps: 4 } });
    expect(adjust!.upstreamCalls).toMatchObject([
      { endpoint: 'validate', status: 200, code: 0 },
      { endpoint: 'update', status: 200, code: 0 },
    ]);
    expect(conflict!.upstreamCalls.map((c) => c.endpoint)).toEqual(['validate']);
    expect(replay!.upstreamCalls).toEqual([]);
    expect(redeem!.upstreamCalls).toMatchObject([
      { endpoint: 'validate' },
      { endpoint: 'redeem', status: 503, error: 'UpstreamHttpError' },
    ]);
    expect(JSON.parse(redeem!.input)).toEqual({ stampIdx, onsitePassword: '[redacted]' });
    expect(JSON.stringify(page)).not.toContain('482913');
    expect(new Date(nodes[0]!.at).getTime()).toBeGreaterThanOrEqual(new Date(nodes.at(-1)!.at).getTime());
  });

  it('pages with cursors, and keeps the last known state after the stamp API stops showing the stamp', async () => {
    const stampIdx = gw.sandbox.state.create({ cardIdx: 2, strtYmd: addDays(today, -1), endYmd: addDays(today, 9) }, 'premium')
      .result as number;
    for (let i = 0; i < 6; i++) expectNoErrors(await gw.request(Adjust, { input: { stampIdx, delta: 1 } }));
    expectNoErrors(await gw.request(RedeemIt, { input: { stampIdx } }));

    const first = expectNoErrors(await gw.request(History, { stampIdx, first: 3 })).stampHistory;
    expect(first.edges).toHaveLength(3);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = expectNoErrors(await gw.request(History, { stampIdx, first: 3, after: first.pageInfo.endCursor })).stampHistory;
    const third = expectNoErrors(await gw.request(History, { stampIdx, first: 3, after: second.pageInfo.endCursor })).stampHistory;
    expect(third.pageInfo.hasNextPage).toBe(false);
    const ids = [...first.edges, ...second.edges, ...third.edges].map((e) => Number(e.node.id));
    expect(ids).toHaveLength(7);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(first.lastKnownStamp).toEqual({ stampIdx, stamps: 6, complete: true });
    expect(onlyError(await gw.request(History, { stampIdx, after: 'bogus' })).extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses to change or delete a history entry', async () => {
    await expect(gw.store.db.query("UPDATE mutation_history SET outcome = 'APPLIED'")).rejects.toThrow(/append-only/);
    await expect(gw.store.db.query('DELETE FROM mutation_history')).rejects.toThrow(/append-only/);
  });
});

describe('history of an issued stamp', () => {
  it('starts with the createStamp that issued it', async () => {
    const gw = await startGateway();
    try {
      const created = await fetch(`${gw.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: 'mutation($d: Date!) { createStamp(input: {cardIdx: 1, startDate: $d, endDate: $d}) { stampIdx } }',
          variables: { d: today },
        }),
      }).then((r) => r.json() as Promise<{ data: { createStamp: { stampIdx: number } } }>);
      const stampIdx = created.data.createStamp.stampIdx;
      const page = expectNoErrors(await gw.request(History, { stampIdx })).stampHistory;
      expect(page.edges.map((e) => [e.node.operation, e.node.outcome])).toEqual([['createStamp', 'APPLIED']]);
      expect(page.edges[0]!.node.upstreamCalls.map((c) => c.endpoint)).toEqual(['create']);
    } finally {
      await gw.close();
    }
  });
});
