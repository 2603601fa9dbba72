import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authenticator } from '../../src/auth/authentication.js';
import { regularMediaType } from '../../src/plugins/known-operations.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { seedStamp, startSandbox } from '../helpers/sandbox.js';

const READ = 'query Read($i: Int!) { stamp(stampIdx: $i) { stampIdx stamps maxStamps active user { id } } }';
const TWO = `${READ} query Other { __typename }`;
const ADJUST = 'mutation Adjust($input: AdjustStampCountInput!) { adjustStampCount(input: $input) { previousStamps newStamps } }';
const KEYS = [
  { name: 'till', key: 'till-key-0123456789abcdef', scopes: ['stamps:read', 'stamps:write'] },
  { name: 'viewer', key: 'viewer-key-0123456789abcdef', scopes: ['stamps:read'] },
  { name: 'writer', key: 'writer-key-0123456789abcdef', scopes: ['stamps:write'] },
];
const TILL = { authorization: `Bearer ${KEYS[0]!.key}` };
/** The local administrator of a gateway without callers: no token. */
const NO_TOKEN = { authorization: '' };

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What a client sees, without what differs per request (its id, the date, the connection). */
function seen(answer: Answer) {
  const { 'x-request-id': id, date: _date, connection: _c, 'keep-alive': _k, ...headers } = answer.headers;
  return { status: answer.status, headers, body: answer.body, hasRequestId: !!id };
}

async function post(url: string, body: string, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...TILL, ...headers }, body });
  return { status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
}

describe('known operations answer exactly as yoga does', () => {
  let sandbox: Sandbox;
  let fast: TestGateway;
  let plain: TestGateway;
  let logged: string[] = [];
  let stamp: number;
  beforeAll(async () => {
    sandbox = await startSandbox();
    stamp = seedStamp(sandbox, { stamps: 3 });
    const dir = await mkdtemp(join(tmpdir(), 'known-'));
    await writeFile(join(dir, 'keys.json'), JSON.stringify(KEYS));
    const auth = await Authenticator.create({ mode: 'enforced', apiKeysFile: join(dir, 'keys.json') });
    const sink = new Writable({
      write(chunk, _enc, done) {
        logged.push(String(chunk));
        done();
      },
    });
    const logger = pino({ level: 'info' }, sink);
    fast = await startGateway({ sandbox, auth, logger });
    plain = await startGateway({ sandbox, auth, logger, knownOperations: false });
  });
  afterAll(async () => {
    await fast.close();
    await plain.close();
    await sandbox.close();
  });

  /**
   * Sends a request to the gateway with known operations (once to teach it the document, then the one
   * compared) and to yoga alone; both must answer the same, and `known` says which path answered.
   */
  async function compare(body: string, headers: Record<string, string> = {}, known = true) {
    await post(fast.url, body, headers);
    const before = fast.known!.answered;
    const a = await post(fast.url, body, headers);
    const b = await post(plain.url, body, headers);
    expect(seen(a)).toEqual(seen(b));
    expect(fast.known!.answered - before).toBe(known ? 1 : 0);
    return a;
  }

  it('a read, for every Accept header yoga answers with a single result', async () => {
    const body = JSON.stringify({ query: READ, variables: { i: stamp } });
    for (const accept of [
      undefined,
      '*/*',
      'application/json',
      'application/graphql-response+json',
      'application/graphql-response+json, application/json;q=0.9',
      'application/json, application/graphql-response+json',
      'text/html, application/*;q=0.5',
      'application/graphql-response+json; charset=utf-8',
    ]) {
      const a = await compare(body, accept ? { accept } : {});
      expect(a.status).toBe(200);
      expect(JSON.parse(a.body).data.stamp).toMatchObject({ stampIdx: stamp, stamps: 3 });
    }
    // Streams and other charsets are yoga's.
    await compare(body, { accept: 'text/event-stream' }, false);
    await compare(body, { accept: 'application/json; charset=latin1' }, false);
  });

  it('refusals and failures: their status, codes and messages', async () => {
    const read = (variables: unknown, headers: Record<string, string> = {}, accept = 'application/graphql-response+json') =>
      compare(JSON.stringify({ query: READ, variables }), { accept, ...headers });
    // Variables graphql-js refuses; ids at and past the bounds.
    for (const variables of [{ i: 'x' }, {}, { i: 2 ** 31 }, { i: 1.5 }, { i: null }, { i: [1] }, { i: '\ud800' }]) {
      for (const accept of ['application/graphql-response+json', 'application/json']) {
        const a = await read(variables, {}, accept);
        expect(a.status, JSON.stringify(variables)).toBe(400);
        expect(JSON.parse(a.body).errors[0].extensions.code).toBe('BAD_USER_INPUT');
      }
    }
    for (const i of [-1, 0, 2 ** 31 - 1]) await read({ i });
    // Documents with fragments or directives (executed by graphql-js), aliases, lists, introspection,
    // errors deep in a result: the same answers as yoga's.
    for (const [query, variables] of [
      [`query($i: Int!) { stamp(stampIdx: $i) { ...F } } fragment F on Stamp { stampIdx stamps user { id } }`, { i: stamp }],
      [`query($i: Int!, $u: Boolean!) { stamp(stampIdx: $i) { stampIdx user @include(if: $u) { id } } }`, { i: stamp, u: false }],
      [`query($i: Int!) { stamp(stampIdx: $i) { ... on Stamp { stamps } } }`, { i: stamp }],
      [`{ a: stamp(stampIdx: 987654321) { stampIdx } b: stamp(stampIdx: ${stamp}) { s: stamps } }`, {}],
      [`query($ids: [Int!]!) { stamps(stampIdxs: $ids) { stampIdx stamps } }`, { ids: [stamp, 987654321, stamp, -5] }],
      ['{ __schema { queryType { name } } __type(name: "Stamp") { name fields { name type { kind name } } } }', {}],
      ['{ __typename }', {}],
      // Aliases that are names of every object's properties.
      [`{ __proto__: stamp(stampIdx: ${stamp}) { constructor: stampIdx toString: stamps } hasOwnProperty: __typename }`, {}],
    ] as const) {
      const a = await compare(JSON.stringify({ query, variables }));
      expect(a.status, query).toBeLessThan(500);
    }
    // A stamp the stamp API does not know.
    const missing = await read({ i: 987_654_321 });
    expect(JSON.parse(missing.body).errors[0].extensions.code).toBe('STAMP_UNAVAILABLE');
    // Scopes: a caller without stamps:read; no token at all.
    const forbidden = await read({ i: stamp }, { authorization: `Bearer ${KEYS[2]!.key}` });
    expect(JSON.parse(forbidden.body).errors[0].extensions.code).toBe('FORBIDDEN');
    const anonymous = await compare(JSON.stringify({ query: READ, variables: { i: stamp } }), { authorization: '' });
    expect(JSON.parse(anonymous.body).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    // The stamp API failing: 503 every time.
    sandbox.faults.add({ endpoint: 'validate', action: { type: 'status', status: 503, retryAfter: 0 }, times: 'always' });
    try {
      const failed = await read({ i: stamp });
      expect(JSON.parse(failed.body).errors[0].extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    } finally {
      sandbox.faults.clear();
    }
  });

  it('a refused token, and every body it does not judge itself, go to yoga with their answer unchanged', async () => {
    const read = JSON.stringify({ query: READ, variables: { i: stamp } });
    for (const authorization of ['Bearer not-a-key-0123456789', 'Basic abc', 'Bearer \u0001']) {
      const a = await compare(read, { authorization: authorization.replace(/\u0001/, '%01') }, false);
      expect(a.status).toBe(401);
    }
    // Extensions are yoga's to read (here it ignores them).
    await compare(
      JSON.stringify({ query: READ, variables: { i: stamp }, extensions: { persistedQuery: { version: 1, sha256Hash: 'ab' } } }),
      {},
      false,
    );
    for (const body of [
      JSON.stringify({ query: READ, variables: { i: stamp }, extra: 1 }),
      JSON.stringify({ query: READ, variables: [stamp] }),
      JSON.stringify({ query: READ, variables: { i: stamp }, operationName: '' }),
      JSON.stringify({ query: READ, variables: { i: stamp }, operationName: 'Nope' }),
      JSON.stringify({ query: READ, variables: { i: stamp }, operationName: 7 }),
      JSON.stringify([{ query: READ, variables: { i: stamp } }]),
      JSON.stringify({ query: TWO, variables: { i: stamp } }),
      JSON.stringify({ query: `{ stamp(stampIdx: ${stamp}) { nope } }` }),
      JSON.stringify({ query: '{ stamp(' }),
      JSON.stringify({ query: 42 }),
      JSON.stringify('query'),
      'null',
      '{"query": "{ __typename }"',
      `\ufeff${read}`,
    ]) {
      const a = await compare(body, {}, false);
      if (!body.startsWith('\ufeff')) expect(a.body, body).toContain('"errors"');
    }
    // A subscription over POST is yoga's: a stream when the client takes one (Accept */* included), else refused.
    const subscription = JSON.stringify({ query: `subscription { stampChanged(stampIdx: ${stamp}) { stampIdx } }` });
    await compare(subscription, { accept: 'application/json' }, false);
    for (let i = 0; i < 2; i++) {
      const stop = new AbortController();
      const res = await fetch(`${fast.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: '*/*', ...TILL },
        body: subscription,
        signal: stop.signal,
      });
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      // Its headers came before any event: the stream is piped, not buffered.
      stop.abort();
    }
    // Named operations of a document with two are known once named.
    const named = await compare(JSON.stringify({ query: TWO, variables: { i: stamp }, operationName: 'Read' }));
    expect(JSON.parse(named.body).data.stamp.stampIdx).toBe(stamp);
  });

  it('mutations: refused ones answer the same, an applied one is sent once, with its request id', async () => {
    for (const input of [
      { stampIdx: stamp, delta: 0 },
      { stampIdx: stamp, delta: 1001 },
      { stampIdx: stamp, delta: -100 },
      { stampIdx: stamp, delta: 1, idempotencyKey: 'x'.repeat(201) },
    ]) {
      const a = await compare(JSON.stringify({ query: ADJUST, variables: { input } }));
      expect(['BAD_USER_INPUT', 'CONFLICT']).toContain(JSON.parse(a.body).errors[0].extensions.code);
    }
    // Variables a scalar refuses (the Date scalar's own message), control characters, unpaired surrogates.
    const CREATE = 'mutation Create($input: CreateStampInput!) { createStamp(input: $input) { stampIdx } }';
    for (const input of [
      { cardIdx: 1, startDate: '2026-13-01', endDate: '2026-12-31' },
      { cardIdx: 1, startDate: 20261201, endDate: '2026-12-31' },
      { cardIdx: 1, startDate: '2026-12-01', endDate: '2026-12-31', memo: 'a\u0000b' },
      { cardIdx: 1, startDate: '2026-12-01', endDate: '2026-12-31', memo: '\ud800' },
      { cardIdx: 1, startDate: '2026-12-31', endDate: '2026-12-01' },
      { cardIdx: '1', startDate: '2026-12-01', endDate: '2026-12-31', extra: true },
    ]) {
      const a = await compare(JSON.stringify({ query: CREATE, variables: { input } }));
      expect(JSON.parse(a.body).errors[0].extensions.code, JSON.stringify(input)).toBe('BAD_USER_INPUT');
    }
    expect(sandbox.requests.list('create')).toHaveLength(0);
    const readOnly = await compare(JSON.stringify({ query: ADJUST, variables: { input: { stampIdx: stamp, delta: 1 } } }), {
      authorization: `Bearer ${KEYS[1]!.key}`,
    });
    expect(JSON.parse(readOnly.body).errors[0].extensions.code).toBe('FORBIDDEN');
    expect(sandbox.requests.list('update')).toHaveLength(0);

    const own = seedStamp(sandbox, { stamps: 2 });
    const body = JSON.stringify({ query: ADJUST, variables: { input: { stampIdx: own, delta: 2 } } });
    const before = fast.known!.answered;
    const answer = await post(fast.url, body, { 'x-request-id': 'till-42.a', 'idempotency-key': 'known-path-1' });
    expect(fast.known!.answered - before).toBe(1);
    expect(JSON.parse(answer.body).data.adjustStampCount).toEqual({ previousStamps: 2, newStamps: 4 });
    expect(answer.headers['x-request-id']).toBe('till-42.a');
    const updates = sandbox.requests.list('update');
    expect(updates).toHaveLength(1);
    expect(updates[0]!.headers['x-request-id']).toBe('till-42.a');
    // The same key again: replayed, nothing sent.
    const again = await post(fast.url, body, { 'idempotency-key': 'known-path-1' });
    expect(JSON.parse(again.body).data.adjustStampCount).toEqual({ previousStamps: 2, newStamps: 4 });
    expect(sandbox.requests.list('update')).toHaveLength(1);
  });

  it('counts and logs every operation it answers, as yoga does', async () => {
    logged = [];
    const body = JSON.stringify({ query: READ, variables: { i: stamp } });
    await post(fast.url, body);
    const metric = async (url: string) =>
      Number(
        /graphql_operations_total\{operation="Read",type="query",outcome="ok"\} (\d+)/.exec(
          await (await fetch(`${url}/metrics`)).text(),
        )?.[1] ?? 0,
      );
    const before = await metric(fast.url);
    const at = fast.known!.answered;
    await post(fast.url, body, { 'x-request-id': 'log-me-1' });
    expect(fast.known!.answered).toBe(at + 1);
    expect(await metric(fast.url)).toBe(before + 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const line = JSON.parse(logged.find((l) => l.includes('log-me-1'))!);
    expect(line).toMatchObject({
      msg: 'graphql operation',
      requestId: 'log-me-1',
      caller: 'key:till',
      operation: 'Read',
      type: 'query',
      upstreamCalls: 1,
      upstream: [{ endpoint: 'validate', status: 200, code: 0 }],
    });
    // The call is in the operation's line, not a line of its own; no token in any line.
    expect(logged.filter((l) => l.includes('"stamp api call"') && l.includes('log-me-1'))).toHaveLength(0);
    expect(logged.join('')).not.toContain(KEYS[0]!.key);
  });

  it('never runs a string from a document as code (graphql-jit writes literals into the code it generates)', async () => {
    // graphql-jit turns a string that starts with its Date marker into `new Date(...)` in generated
    // code; documents with string literals are executed by graphql-js instead.
    const marker = '__MAGIC_DATE__33a9e76d_02e0_4128_8e92_3530ad3da74d';
    const probe = globalThis as { knownPathPwned?: number };
    delete probe.knownPathPwned;
    for (const payload of [
      `${marker}0);globalThis.knownPathPwned=1;(0`,
      `${marker}0),globalThis.knownPathPwned=2,(0`,
      '"); globalThis.knownPathPwned=3; ("',
    ]) {
      const literal = JSON.stringify(payload);
      for (const query of [
        `{ stampsOfUser(userId: ${literal}) { userId } }`,
        `query($u: String! = ${literal}) { stampsOfUser(userId: $u) { userId } }`,
        `{ stampHistory(stampIdx: ${stamp}, after: ${literal}) { pageInfo { hasNextPage } } }`,
      ]) {
        await compare(JSON.stringify({ query }));
      }
    }
    expect(probe.knownPathPwned).toBeUndefined();
  });

  it('any variables graphql-js or the input rules refuse: the same answer on both paths, nothing sent', async () => {
    const int32 = (value: unknown) => Number.isInteger(value) && (value as number) >= -(2 ** 31) && (value as number) < 2 ** 31;
    // Values of every JSON type, strings with control characters and unpaired surrogates included.
    const json = fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' });
    // A read whose stamp id is anything but an Int: refused before anything is sent.
    await fc.assert(
      fc.asyncProperty(
        json.filter((i) => !int32(i)),
        async (i) => {
          const a = await compare(JSON.stringify({ query: READ, variables: { i } }));
          expect(a.status).toBe(400);
        },
      ),
      { numRuns: 40 },
    );
    // A change whose input graphql-js cannot coerce (its stamp id never an Int), with fields of any type.
    const input = fc.oneof(
      json,
      fc.dictionary(fc.constantFrom('stampIdx', 'delta', 'idempotencyKey', 'note', '__proto__'), json, { maxKeys: 4 }),
    );
    await fc.assert(
      fc.asyncProperty(
        input.filter((value) => !int32((value as { stampIdx?: unknown } | null)?.stampIdx)),
        async (value) => {
          const a = await compare(JSON.stringify({ query: ADJUST, variables: { input: value } }));
          expect(a.status).toBe(400);
        },
      ),
      { numRuns: 40 },
    );
    // A change graphql-js accepts and the input's own rules refuse (a delta of 0 or past ±1,000), with any
    // idempotency key: the same refusal from the same resolvers, and nothing sent.
    const delta = fc.oneof(fc.constant(0), fc.integer({ min: 1_001, max: 2 ** 31 - 1 }), fc.integer({ min: -(2 ** 31), max: -1_001 }));
    const key = fc.option(fc.string({ unit: 'binary', maxLength: 300 }), { nil: undefined });
    const sent = sandbox.requests.total();
    await fc.assert(
      fc.asyncProperty(delta, key, async (d, idempotencyKey) => {
        const a = await compare(JSON.stringify({ query: ADJUST, variables: { input: { stampIdx: stamp, delta: d, idempotencyKey } } }));
        expect(JSON.parse(a.body).errors[0].extensions.code).toBe('BAD_USER_INPUT');
      }),
      { numRuns: 40 },
    );
    expect(sandbox.requests.total()).toBe(sent);
  });

  it('remembers a bounded number of documents', async () => {
    const known = fast.known!;
    for (let i = 0; i < 1_050; i++) {
      const res = await post(fast.url, JSON.stringify({ query: `query Q${i} { __typename }` }));
      expect(res.status).toBe(200);
    }
    expect(known.size).toBeLessThanOrEqual(1_000);
    expect(known.size).toBeGreaterThan(900);
  });
});

describe('what stays with yoga', () => {
  it('persisted operations only: ids from the allow-list take the path, a document sent as text is refused even after its id ran', async () => {
    const sandbox = await startSandbox();
    const stamp = seedStamp(sandbox);
    const security = { persistedOperations: { abc: READ } };
    const gw = await startGateway({ sandbox, security });
    const plainGw = await startGateway({ sandbox, security, knownOperations: false });
    const id = (sha256Hash: unknown, extra: Record<string, unknown> = {}) =>
      JSON.stringify({ variables: { i: stamp }, extensions: { persistedQuery: { version: 1, sha256Hash } }, ...extra });
    const both = async (body: string, known: boolean) => {
      await post(gw.url, body, NO_TOKEN);
      const before = gw.known!.answered;
      const a = await post(gw.url, body, NO_TOKEN);
      const b = await post(plainGw.url, body, NO_TOKEN);
      expect(seen(a)).toEqual(seen(b));
      expect(gw.known!.answered - before, body).toBe(known ? 1 : 0);
      return JSON.parse(a.body);
    };
    try {
      expect((await both(id('abc'), true)).data.stamp.stampIdx).toBe(stamp);
      expect((await both(id('abc', { operationName: 'Read' }), true)).data.stamp.stampIdx).toBe(stamp);
      // Refused as yoga refuses them: the text (even of a persisted document), an unknown id, an id
      // with a document besides, another version, an id that is a property of every object.
      const refused = [
        JSON.stringify({ query: READ, variables: { i: stamp } }),
        id('nope'),
        id('abc', { query: READ }),
        JSON.stringify({ variables: { i: stamp }, extensions: { persistedQuery: { version: 2, sha256Hash: 'abc' } } }),
        id('constructor'),
        id(42),
      ];
      for (const body of refused) expect((await both(body, false)).errors[0].extensions.code).toMatch(/^PERSISTED_QUERY|^CANNOT_SEND_PQ/);
      // Other extensions besides the id: yoga's to read.
      expect(
        (await both(id('abc', { extensions: { persistedQuery: { version: 1, sha256Hash: 'abc' }, x: 1 } }), false)).data,
      ).toBeDefined();
    } finally {
      await gw.close();
      await plainGw.close();
      await sandbox.close();
    }
  });

  it('with CORS on, a request with an Origin gets its CORS headers from yoga', async () => {
    const sandbox = await startSandbox();
    const stamp = seedStamp(sandbox);
    const gw = await startGateway({ sandbox, security: { corsOrigins: ['https://shop.example'] } });
    try {
      const body = JSON.stringify({ query: READ, variables: { i: stamp } });
      await post(gw.url, body, NO_TOKEN);
      const before = gw.known!.answered;
      const a = await post(gw.url, body, { ...NO_TOKEN, origin: 'https://shop.example' });
      expect(a.headers['access-control-allow-origin']).toBe('https://shop.example');
      expect(gw.known!.answered).toBe(before);
      await post(gw.url, body, NO_TOKEN);
      expect(gw.known!.answered).toBe(before + 1);
    } finally {
      await gw.close();
      await sandbox.close();
    }
  });

  it("yoga's choice of media type, by Accept header", () => {
    expect(regularMediaType(undefined)).toBe('application/json');
    expect(regularMediaType('application/graphql-response+json, application/json')).toBe('application/graphql-response+json');
    expect(regularMediaType('application/json, application/graphql-response+json')).toBe('application/json');
    expect(regularMediaType('text/event-stream')).toBeUndefined();
    expect(regularMediaType('multipart/mixed')).toBeUndefined();
    expect(regularMediaType('application/json; charset=iso-8859-1')).toBeUndefined();
  });
});
