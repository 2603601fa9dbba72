import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server.js';
import { graphql } from '../gql/index.js';
import { expectNoErrors, startGateway, type TestGateway } from '../helpers/gateway.js';
import { type Started, startProcess } from '../helpers/process.js';
import { startSandbox, seedCard, seedStamp } from '../helpers/sandbox.js';
import { DATABASE_URL_TEST, ENGINES, freshSchema } from '../helpers/store.js';

const PlusOne = graphql(`
  mutation PlusOne($input: AdjustStampCountInput!) { adjustStampCount(input: $input) { previousStamps newStamps } }
`);
const AddOnce = graphql(`
  mutation AddOnce($input: AddStampInput!) { addStamp(input: $input) { stampIdx } }
`);

// A card with room for every adjustment the tests make.
const bigStamp = (sandbox: Sandbox) => seedStamp(sandbox, { cardIdx: seedCard(sandbox, 100, 'Concurrency') });

describe.each(ENGINES)('no lost updates on $name', ({ open }) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({ store: await open(), upstream: { maxInFlight: 64 } });
  });
  afterAll(async () => {
    await gw.close();
    await gw.store.close();
  });

  it('ends 50 concurrent adjustStampCount(+1) on one stamp at exactly +50', async () => {
    const stampIdx = bigStamp(gw.sandbox);
    const results = await Promise.all(Array.from({ length: 50 }, () => gw.request(PlusOne, { input: { stampIdx, delta: 1 } })));
    const seen = results.map((r) => expectNoErrors(r).adjustStampCount.previousStamps).sort((a, b) => a - b);
    expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(gw.sandbox.inspect(stampIdx)?.stamps).toBe(50);
  });

  it("does not lose an add that lands between an adjustment's read and write", async () => {
    const stampIdx = bigStamp(gw.sandbox);
    gw.sandbox.faults.add({ endpoint: 'validate', action: { type: 'delay', ms: 100 } });
    const [adjusted, added] = await Promise.all([
      gw.request(PlusOne, { input: { stampIdx, delta: 5 } }),
      new Promise((r) => setTimeout(r, 20)).then(() => gw.request(AddOnce, { input: { stampIdx } })),
    ]);
    expectNoErrors(adjusted);
    expectNoErrors(added);
    expect(gw.sandbox.inspect(stampIdx)?.stamps).toBe(6);
  });
});

describe.skipIf(!DATABASE_URL_TEST)('two gateway processes sharing PostgreSQL', () => {
  let sandbox: Sandbox;
  const gateways: Started[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox();
    const schema = freshSchema();
    for (let i = 0; i < 2; i++) {
      gateways.push(
        await startProcess(
          'src/server.ts',
          {
            PORT: '0',
            STAMP_API_URL: sandbox.url,
            STAMP_API_KEY: sandbox.apiKey,
            DATABASE_URL: DATABASE_URL_TEST!,
            DATABASE_SCHEMA: schema,
            GATEWAY_AUTH: 'off',
          },
          /ready: (http:\/\/[^\s/]+)\/graphql/,
        ),
      );
    }
  }, 90_000);
  afterAll(async () => {
    for (const g of gateways) await g.stop('SIGKILL');
    await sandbox?.close();
  });

  it('ends 50 adjustStampCount(+1) split across both at exactly +50', async () => {
    const stampIdx = bigStamp(sandbox);
    const send = (url: string) =>
      fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: 'mutation($i: AdjustStampCountInput!) { adjustStampCount(input: $i) { newStamps } }',
          variables: { i: { stampIdx, delta: 1 } },
        }),
      }).then((r) => r.json() as Promise<{ errors?: unknown }>);
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => send(gateways[i % 2]!.ready)));
    expect(results.filter((r) => r.errors)).toEqual([]);
    expect(sandbox.inspect(stampIdx)?.stamps).toBe(50);
    expect(sandbox.requests.count('update')).toBeGreaterThanOrEqual(50);
  });
});
