import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, seoulToday } from '../src/dates.js';
import { ERROR_CODES } from '../src/errors.js';
import type { FaultSpec } from '../src/sandbox/faults.js';
import { startGateway, type TestGateway } from './helpers/gateway.js';

/**
 * Every query and mutation, driven with generated inputs — any code point in any string, numbers at
 * and past every bound, missing and extra fields, wrong types — against the sandbox with random
 * faults. After each run: no INTERNAL_SERVER_ERROR, every code in the table, every change the sandbox
 * applied recorded in the history with an outcome that does not deny it, no key left running, and the
 * gateway still serving. CI runs a fixed seed and a bounded count; PROPERTY_RUNS and PROPERTY_SEED run
 * longer or elsewhere (see the README).
 */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 150);
const SEED = Number(process.env.PROPERTY_SEED ?? 20261130);
const today = seoulToday(new Date());

const codePoint = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) },
  {
    weight: 2,
    arbitrary: fc
      .integer({ min: 0, max: 0x10ffff })
      .map((c) => (c >= 0xd800 && c <= 0xdfff ? String.fromCharCode(c) : String.fromCodePoint(c))),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('\u0000', '\u0007', '\t', '\n', '\r', '\u001b', '\u007f', '\u0085', '\ud800', '\udfff', '\ufffd', '\u202e'),
  },
);
const text = fc.oneof(
  { weight: 5, arbitrary: fc.string({ unit: codePoint, maxLength: 24 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      'x'.repeat(101),
      'x'.repeat(256),
      'y'.repeat(501),
      'demo-alice',
      'alice@example.com',
      'not-an-email',
      '010-1234-5678',
      'https://vvd.bz',
      'https://stamps.example.com',
      'javascript:alert(1)',
      '482913',
      '__proto__',
      'constructor',
    ),
  },
);
const integer = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -3, max: 1_010 }) },
  { weight: 2, arbitrary: fc.constantFrom(0, -1, 1, 999, 1000, 1001, 1002, 1003, 1004, 2_147_483_647, -2_147_483_648) },
  { weight: 1, arbitrary: fc.constantFrom(2_147_483_648, -2_147_483_649, 1e20, 1.5, -0.5) },
);
const date = fc.oneof(
  fc.integer({ min: -400, max: 2_000 }).map((d) => addDays(today, d)),
  fc.constantFrom('2025-02-30', '2024-02-29', '20250101', '2025-1-1', '', 'today', '9999-12-31', '0000-00-00'),
);
const wrong = fc.oneof(
  text,
  fc.boolean(),
  fc.constant(null),
  fc.double(),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.constant({ nested: 1 }),
);

/**
 * Each run is either well-behaved (printable text, ids from the pool, valid dates, so that changes
 * are made and faults meet them) or hostile (any code point, any number, wrong types, missing and
 * extra fields).
 */
let hostile = false;
const clean = {
  text: fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 12 }),
  date: fc.integer({ min: -3, max: 300 }).map((d) => addDays(today, d)),
};
/** A value of the right type most of the time, of a wrong one sometimes, missing sometimes (hostile runs). */
const maybe = <T>(right: fc.Arbitrary<T>, well?: fc.Arbitrary<T>) =>
  fc
    .boolean()
    .chain(() =>
      hostile
        ? fc.option(fc.oneof({ weight: 5, arbitrary: right }, { weight: 1, arbitrary: wrong as fc.Arbitrary<unknown> }), { freq: 6 })
        : fc.option((well ?? right) as fc.Arbitrary<unknown>, { freq: 12 }),
    );
/** A required argument: right in well-behaved runs, sometimes of a wrong type in hostile ones. */
const pick = <T>(right: fc.Arbitrary<T>, well: fc.Arbitrary<T>) =>
  fc.boolean().chain(() => (hostile ? fc.oneof(right as fc.Arbitrary<unknown>, wrong) : well));

function record(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(fc.record(fields), fc.option(fc.constantFrom('extra', 'stampIdxs', 'onsitePwd', 'useYn'), { freq: 8 }), wrong)
    .map(([value, extraKey, extraValue]) => {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = v;
      if (extraKey && hostile) out[extraKey] = extraValue;
      return out;
    });
}

/** A GraphQL literal for a JSON value (fields named as generated, so unknown ones are refused too). */
function literal(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (typeof value === 'object')
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}: ${literal(v)}`)
      .join(', ')}}`;
  if (typeof value === 'number' && !Number.isFinite(value)) return '0';
  return JSON.stringify(value);
}

interface Operation {
  name: string;
  mutation: boolean;
  build: (value: Record<string, unknown>, inline: boolean) => { query: string; variables: Record<string, unknown> };
  value: fc.Arbitrary<Record<string, unknown>>;
}

const PAYLOAD = '{ stampIdx stamp { stampIdx stamps memo user { id etc1 } issuedAt } stampUnavailableReason }';

function mutation(field: string, type: string, input: fc.Arbitrary<Record<string, unknown>>, selection = PAYLOAD): Operation {
  return {
    name: field,
    mutation: true,
    value: input.map((i) => ({ input: i })),
    build: ({ input }, inline) =>
      inline
        ? { query: `mutation { ${field}(input: ${literal(input)}) ${selection} }`, variables: {} }
        : { query: `mutation($input: ${type}!) { ${field}(input: $input) ${selection} }`, variables: { input } },
  };
}

const user = record({
  id: maybe(text, clean.text),
  name: maybe(text, clean.text),
  phone: maybe(text, fc.constantFrom('010-1234-5678', '+82 2 123 4567')),
  email: maybe(text, fc.constantFrom('a@example.com', 'shop@example.co.kr')),
  etc1: maybe(text, clean.text),
  etc2: maybe(text, clean.text),
});

describe('properties: every operation with generated inputs under random faults', () => {
  let gw: TestGateway;
  let pool: number[] = [];
  let snapshot: Array<[number, NonNullable<ReturnType<TestGateway['sandbox']['state']['stamps']['get']>>]> = [];
  beforeAll(async () => {
    gw = await startGateway({ upstream: { timeoutMs: 300 }, resilience: { deadlineMs: 3_000 } });
    for (let i = 0; i < 12; i++) {
      const idx = gw.sandbox.state.create(
        { cardIdx: 1 + (i % 3), strtYmd: addDays(today, -5), endYmd: addDays(today, 60), userId: `prop-${i}` },
        'premium',
      ).result as number;
      gw.sandbox.state.update({ stampIdx: idx, stamps: i % 6 }, 'premium');
      pool.push(idx);
    }
    pool = [...pool, 1000, 1001, 1002, 1003, 1004];
    snapshot = pool.map((idx) => [idx, { ...gw.sandbox.state.stamps.get(idx)! }]);
  });
  // Runs delete, redeem and fill the pool's stamps: each run starts from the same stamps.
  const restorePool = () => {
    for (const [idx, row] of snapshot) gw.sandbox.state.stamps.set(idx, { ...row });
  };
  afterAll(() => gw.close());

  const stampIdx = () => fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...pool) }, { weight: 1, arbitrary: integer });
  const id = () => maybe(stampIdx(), fc.constantFrom(...pool));
  const key = () => maybe(text, clean.text);
  const stampRef = () => record({ stampIdx: id(), idempotencyKey: key() });

  const operations = (): Operation[] => [
    {
      name: 'stamp',
      mutation: false,
      value: fc.record({ i: pick(stampIdx(), fc.constantFrom(...pool)) }),
      build: ({ i }, inline) =>
        inline
          ? { query: `{ stamp(stampIdx: ${literal(i)}) { stampIdx stamps user { id } } }`, variables: {} }
          : { query: 'query($i: Int!) { stamp(stampIdx: $i) { stampIdx stamps user { id } } }', variables: { i } },
    },
    {
      name: 'stamps',
      mutation: false,
      value: fc.record({
        ids: pick(
          fc.oneof(fc.array(stampIdx(), { maxLength: 8 }), fc.array(fc.integer({ min: 1, max: 9_999 }), { minLength: 99, maxLength: 102 })),
          fc.array(fc.constantFrom(...pool), { maxLength: 8 }),
        ),
      }),
      build: ({ ids }) => ({
        query: 'query($ids: [Int!]!) { stamps(stampIdxs: $ids) { stampIdx remaining complete } }',
        variables: { ids },
      }),
    },
    {
      name: 'validateStamp',
      mutation: false,
      value: fc.record({ i: pick(stampIdx(), fc.constantFrom(...pool)) }),
      build: ({ i }) => ({ query: 'query($i: Int!) { validateStamp(stampIdx: $i) { valid reason } }', variables: { i } }),
    },
    {
      name: 'stampHistory',
      mutation: false,
      value: fc.record({
        i: pick(stampIdx(), fc.constantFrom(...pool)),
        first: maybe(integer, fc.integer({ min: 1, max: 5 })),
        after: maybe(text),
      }),
      build: (v) => ({
        query:
          'query($i: Int!, $first: Int, $after: String) { stampHistory(stampIdx: $i, first: $first, after: $after) { edges { node { outcome } } pageInfo { endCursor } } }',
        variables: v,
      }),
    },
    mutation(
      'createStamp',
      'CreateStampInput',
      record({
        cardIdx: maybe(fc.oneof(fc.constantFrom(1, 2, 3, 4), integer), fc.constantFrom(1, 2, 3)),
        startDate: maybe(date, clean.date),
        endDate: maybe(
          date,
          clean.date.map((d) => addDays(d, 30)),
        ),
        active: maybe(fc.boolean()),
        domain: maybe(text, fc.constantFrom('', 'https://vvd.bz', 'https://stamps.example.com')),
        memo: maybe(text, clean.text),
        user: maybe(user),
        idempotencyKey: key(),
      }),
    ),
    mutation(
      'updateStamp',
      'UpdateStampInput',
      record({
        stampIdx: id(),
        cardIdx: maybe(fc.constantFrom(1, 2, 3, 9)),
        stamps: maybe(integer, fc.integer({ min: 0, max: 10 })),
        active: maybe(fc.boolean()),
        startDate: maybe(
          date,
          clean.date.map((d) => addDays(d, -10)),
        ),
        endDate: maybe(
          date,
          clean.date.map((d) => addDays(d, 60)),
        ),
        memo: maybe(text, clean.text),
        user: maybe(user),
        idempotencyKey: key(),
      }),
    ),
    mutation('addStamp', 'AddStampInput', stampRef()),
    mutation('removeStamp', 'RemoveStampInput', stampRef()),
    mutation('resetStampPin', 'ResetStampPinInput', stampRef()),
    mutation('deleteStamp', 'DeleteStampInput', stampRef(), '{ stampIdx deleted }'),
    mutation(
      'adjustStampCount',
      'AdjustStampCountInput',
      record({ stampIdx: id(), delta: maybe(integer, fc.integer({ min: -3, max: 3 })), idempotencyKey: key() }),
      '{ previousStamps newStamps }',
    ),
    mutation(
      'redeemStamp',
      'RedeemStampInput',
      record({
        stampIdx: id(),
        onsitePassword: maybe(fc.oneof(fc.constant('482913'), text), fc.constant('482913')),
        idempotencyKey: key(),
      }),
      '{ stampIdx redeemedAt }',
    ),
    mutation(
      'redeemAndReissue',
      'RedeemAndReissueInput',
      record({
        stampIdx: id(),
        onsitePassword: maybe(text, fc.constant('482913')),
        startDate: maybe(date, clean.date),
        endDate: maybe(
          date,
          clean.date.map((d) => addDays(d, 90)),
        ),
        idempotencyKey: key(),
      }),
      '{ redeemedStampIdx newStampIdx newStamp { stampIdx } }',
    ),
    mutation(
      'resolveParkedReissue',
      'ResolveParkedReissueInput',
      record({ operationId: maybe(fc.oneof(text, fc.constant('1'))), newStampIdx: maybe(stampIdx()), issueNew: maybe(fc.boolean()) }),
      '{ newStampIdx }',
    ),
  ];

  const fault: fc.Arbitrary<FaultSpec | null> = fc.option(
    fc
      .record({
        endpoint: fc.constantFrom('*', 'validate', 'create', 'update', 'add', 'remove', 'redeem', 'delete'),
        applyFirst: fc.boolean(),
        action: fc.oneof(
          fc.record({
            type: fc.constant('status' as const),
            status: fc.constantFrom(429, 500, 502, 503, 403, 404),
            body: fc.constantFrom('html' as const, 'empty' as const, 'text' as const),
            retryAfter: fc.constantFrom(0, 0, 1),
          }),
          fc.record({ type: fc.constant('envelope' as const), code: fc.constantFrom(1001, 1005, 4000, -1), message: text }),
          fc.record({ type: fc.constant('drop' as const) }),
          fc.record({ type: fc.constant('hang' as const) }),
          fc.record({ type: fc.constant('delay' as const), ms: fc.constantFrom(10, 400) }),
          fc.record({
            type: fc.constant('result' as const),
            result: fc.oneof(fc.constant('ZJLF0399WQBEQZJM'), fc.constant(null), fc.integer(), fc.constant({})),
          }),
        ),
        times: fc.constantFrom(1, 2),
      })
      .map((f) =>
        f.action.type === 'envelope' || (f.action.type === 'status' && f.action.status < 500) ? { ...f, applyFirst: false } : f,
      ) as fc.Arbitrary<FaultSpec>,
    { freq: 3 },
  );

  it(`keeps every promise for ${RUNS} generated operations (seed ${SEED})`, { timeout: 600_000 }, async () => {
    const ops = operations();
    const run = fc.constantFrom(false, false, true).chain((h) => {
      hostile = h;
      return fc.oneof(...ops.map((op, index) => fc.tuple(fc.constant(index), op.value, fc.boolean(), fault)));
    });
    const seen = { applied: 0, answered: 0, refused: 0 };
    const codes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(run, async ([index, value, inline, injected]) => {
        const op = ops[index]!;
        restorePool();
        gw.sandbox.faults.clear();
        if (injected) gw.sandbox.faults.add(injected);
        const requestId = `prop-${randomUUID()}`;
        const { query, variables } = op.build(value, inline);
        const res = await fetch(`${gw.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-request-id': requestId },
          body: JSON.stringify({ query, variables }),
        });
        const text = await res.text();
        gw.sandbox.faults.clear();
        const context = `${op.name} ${JSON.stringify(variables)} ${query}\n${res.status} ${text}`;
        expect(res.status, context).toBeLessThan(500);
        const body = JSON.parse(text) as { data?: unknown; errors?: Array<{ extensions?: { code?: string; outcome?: string } }> };
        for (const error of body.errors ?? []) {
          expect(ERROR_CODES, context).toContain(error.extensions?.code);
          expect(error.extensions?.code, context).not.toBe('INTERNAL_SERVER_ERROR');
        }
        const outcome = `${op.name} ${hostile ? 'hostile' : 'well-behaved'}: ${body.errors?.[0]?.extensions?.code ?? 'ok'}`;
        codes.set(outcome, (codes.get(outcome) ?? 0) + 1);
        if (body.data && !body.errors) seen.answered++;
        else seen.refused++;
        if (!op.mutation) return;
        // Every change the sandbox applied for this request is in the history, never as NOT_APPLIED.
        await gw.parts.stamps.outbox.flush(5_000);
        const applied = gw.sandbox.requests.list().filter((r) => r.headers['x-request-id'] === requestId && r.applied);
        const rows = await gw.store.db.query<{ outcome: string }>('SELECT outcome FROM mutation_history WHERE request_id = $1', [
          requestId,
        ]);
        if (applied.length) {
          seen.applied++;
          expect(rows.length, `history of ${context}`).toBeGreaterThanOrEqual(1);
          for (const row of rows) expect(['APPLIED', 'UNKNOWN'], context).toContain(row.outcome);
          for (const error of body.errors ?? []) expect(error.extensions?.outcome, context).toBe('UNKNOWN');
        }
        const running = await gw.store.db.query<{ n: number }>("SELECT count(*)::int AS n FROM idempotency_keys WHERE state = 'running'");
        expect(running[0]!.n, context).toBe(0);
        const attempts = await gw.store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM mutation_attempts');
        expect(attempts[0]!.n, context).toBe(0);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    expect((await fetch(`${gw.url}/health`)).status).toBe(200);
    // The generated runs reach every path: changes applied, answers given, inputs refused.
    if (process.env.PROPERTY_VERBOSE) console.log(seen, Object.fromEntries([...codes].sort()));
    expect(seen.applied, JSON.stringify(seen)).toBeGreaterThan(RUNS / 20);
    expect(seen.answered, JSON.stringify(seen)).toBeGreaterThan(RUNS / 10);
    expect(seen.refused, JSON.stringify(seen)).toBeGreaterThan(RUNS / 10);
  });
});
