import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seoulToday } from '../../src/dates.js';
import type { FaultSpec } from '../../src/sandbox/faults.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { GatewayStore } from '../../src/store/store.js';
import type { Endpoint } from '../../src/upstream/endpoints.js';
import { startGateway } from '../helpers/gateway.js';
import { startSandbox, seedStamp } from '../helpers/sandbox.js';

const today = seoulToday(new Date());
let sandbox: Sandbox;
let store: GatewayStore;
beforeAll(async () => {
  sandbox = await startSandbox();
  store = await GatewayStore.open({});
});
afterAll(async () => {
  await sandbox.close();
  await store.close();
});

const stamp = (stamps = 3) => seedStamp(sandbox, { cardIdx: 2, stamps });

// Each endpoint through the operation that uses it, on a stamp where it would succeed.
const OPERATIONS: Record<Endpoint, () => { query: string; variables: Record<string, unknown> }> = {
  validate: () => ({ query: 'query($i: Int!) { stamp(stampIdx: $i) { stampIdx } }', variables: { i: stamp() } }),
  create: () => ({
    query: 'mutation($d: Date!) { createStamp(input: {cardIdx: 2, startDate: $d, endDate: $d}) { stampIdx } }',
    variables: { d: today },
  }),
  update: () => ({ query: 'mutation($i: Int!) { updateStamp(input: {stampIdx: $i, stamps: 4}) { stampIdx } }', variables: { i: stamp() } }),
  add: () => ({ query: 'mutation($i: Int!) { addStamp(input: {stampIdx: $i}) { stampIdx } }', variables: { i: stamp() } }),
  remove: () => ({ query: 'mutation($i: Int!) { removeStamp(input: {stampIdx: $i}) { stampIdx } }', variables: { i: stamp() } }),
  redeem: () => ({ query: 'mutation($i: Int!) { redeemStamp(input: {stampIdx: $i}) { stampIdx } }', variables: { i: stamp(6) } }),
  delete: () => ({ query: 'mutation($i: Int!) { deleteStamp(input: {stampIdx: $i}) { deleted } }', variables: { i: stamp() } }),
};

// validate and update are safe to repeat and retried; the rest never are.
const RETRIED = new Set<Endpoint>(['validate', 'update']);

interface Expectation {
  code: string | null;
  outcome?: 'NOT_APPLIED' | 'UNKNOWN';
  calls: number;
}

const FAULTS: Array<{ name: string; spec: Omit<FaultSpec, 'endpoint'>; expect: (e: Endpoint) => Expectation }> = [
  {
    name: '503 once',
    spec: { action: { type: 'status', status: 503 } },
    expect: (e) => (RETRIED.has(e) ? { code: null, calls: 2 } : { code: 'UPSTREAM_UNAVAILABLE', outcome: 'UNKNOWN', calls: 1 }),
  },
  {
    name: '503 always',
    spec: { action: { type: 'status', status: 503 }, times: 'always' },
    expect: (e) => ({ code: 'UPSTREAM_UNAVAILABLE', outcome: 'UNKNOWN', calls: RETRIED.has(e) ? 3 : 1 }),
  },
  {
    name: '429 with Retry-After',
    spec: { action: { type: 'status', status: 429, retryAfter: 1, body: 'text' } },
    expect: (e) => (RETRIED.has(e) ? { code: null, calls: 2 } : { code: 'UPSTREAM_RATE_LIMITED', outcome: 'NOT_APPLIED', calls: 1 }),
  },
  { name: 'a hang', spec: { action: { type: 'hang' } }, expect: () => ({ code: 'UPSTREAM_TIMEOUT', outcome: 'UNKNOWN', calls: 1 }) },
  {
    name: 'a dropped connection',
    spec: { action: { type: 'drop' } },
    expect: (e) => (RETRIED.has(e) ? { code: null, calls: 2 } : { code: 'UPSTREAM_UNAVAILABLE', outcome: 'UNKNOWN', calls: 1 }),
  },
  {
    name: 'an HTML body',
    spec: { action: { type: 'status', status: 502, body: 'html' } },
    expect: (e) => (RETRIED.has(e) ? { code: null, calls: 2 } : { code: 'UPSTREAM_UNAVAILABLE', outcome: 'UNKNOWN', calls: 1 }),
  },
  {
    name: 'an envelope error',
    spec: { action: { type: 'envelope', code: 4242, message: 'Maintenance' } },
    expect: (e) =>
      e === 'validate' ? { code: 'STAMP_UNAVAILABLE', calls: 1 } : { code: 'UPSTREAM_REJECTED', outcome: 'NOT_APPLIED', calls: 1 },
  },
  {
    name: 'apply, then fail',
    spec: { action: { type: 'status', status: 502 }, applyFirst: true },
    expect: (e) => (RETRIED.has(e) ? { code: null, calls: 2 } : { code: 'UPSTREAM_UNAVAILABLE', outcome: 'UNKNOWN', calls: 1 }),
  },
];

describe('the fault matrix: every upstream endpoint × every sandbox fault', () => {
  for (const endpoint of Object.keys(OPERATIONS) as Endpoint[]) {
    for (const fault of FAULTS) {
      // Reads carry no outcome: nothing could have been changed.
      const expected = { ...fault.expect(endpoint), ...(endpoint === 'validate' ? { outcome: undefined } : {}) };
      it(`${endpoint} × ${fault.name} → ${expected.code ?? 'success'}${expected.outcome ? ` (${expected.outcome})` : ''}, ${expected.calls} call(s)`, async () => {
        // A gateway of its own: a 429 pauses all its callers, a failing upstream trips its breaker.
        const gw = await startGateway({ sandbox, store, upstream: { timeoutMs: 300 } });
        try {
          const { query, variables } = OPERATIONS[endpoint]();
          sandbox.faults.clear();
          const before = sandbox.requests.total(endpoint);
          sandbox.faults.add({ ...fault.spec, endpoint });
          const res = await fetch(`${gw.url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query, variables }),
          });
          const body = (await res.json()) as { errors?: Array<{ extensions: Record<string, unknown> }> };
          if (expected.code === null) {
            expect(body.errors, JSON.stringify(body)).toBeUndefined();
          } else {
            expect(body.errors?.[0]?.extensions, JSON.stringify(body)).toMatchObject({
              code: expected.code,
              ...(expected.outcome ? { outcome: expected.outcome } : {}),
            });
            if (endpoint === 'validate') expect(body.errors?.[0]?.extensions).not.toHaveProperty('outcome');
          }
          expect(sandbox.requests.total(endpoint) - before).toBe(expected.calls);
        } finally {
          sandbox.faults.clear();
          await gw.close();
        }
      });
    }
  }
});
