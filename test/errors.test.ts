import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../src/errors.js';
import { startGateway, type TestGateway } from './helpers/gateway.js';

/** The codes of the README's error table (the first column of the table under "### Errors"). */
function readmeCodes(): string[] {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('### Errors'));
  const table = section.slice(0, section.indexOf('\n\n', section.indexOf('| `')));
  return [...table.matchAll(/^\| ((?:`[A-Z_]+`(?:, )?)+) \|/gm)].flatMap((m) => [...m[1]!.matchAll(/`([A-Z_]+)`/g)].map((c) => c[1]!));
}

describe('the error table', () => {
  it('is the README table, both ways', () => {
    expect(readmeCodes().sort()).toEqual([...ERROR_CODES].sort());
  });

  it('names the CSRF header a non-browser client must send', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toMatch(/x-graphql-yoga-csrf/);
  });
});

describe('every error a client can meet carries a code from the table', () => {
  let gw: TestGateway;
  let persisted: TestGateway;
  const lines: Array<Record<string, unknown>> = [];
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    gw = await startGateway({ logger: pino({ level: 'info' }, sink) });
    persisted = await startGateway({
      sandbox: gw.sandbox,
      security: { persistedOperations: { demo: 'query Demo { stamp(stampIdx: 1000) { stampIdx } }' } },
    });
  });
  afterAll(async () => {
    await persisted.close();
    await gw.close();
  });

  const send = (init: RequestInit & { path?: string; to?: TestGateway }) =>
    fetch(`${(init.to ?? gw).url}${init.path ?? '/graphql'}`, init).then(async (res) => ({ status: res.status, text: await res.text() }));
  const json = { 'content-type': 'application/json' };
  const post = (body: unknown, to?: TestGateway) =>
    send({ method: 'POST', headers: json, body: typeof body === 'string' ? body : JSON.stringify(body), to });

  // The HTTP status where it is ours to decide (0: whatever yoga answers for the media type, below 500).
  const CASES: Array<[string, () => Promise<{ status: number; text: string }>, string, number]> = [
    ['malformed JSON', () => post('{"query": "{ stamp'), 'BAD_REQUEST', 400],
    ['no query', () => post({}), 'BAD_REQUEST', 400],
    ['a query that is not a string', () => post({ query: 5 }), 'BAD_REQUEST', 400],
    ['variables that are not an object', () => post({ query: '{ __typename }', variables: 5 }), 'BAD_REQUEST', 400],
    [
      'a mutation over GET',
      () =>
        send({
          path: `/graphql?query=${encodeURIComponent('mutation { addStamp(input: {stampIdx: 1000}) { stampIdx } }')}`,
          headers: { 'x-graphql-yoga-csrf': '1' },
        }),
      'BAD_REQUEST',
      405,
    ],
    ['PUT', () => send({ method: 'PUT', headers: json, body: '{}' }), 'BAD_REQUEST', 405],
    [
      'a simple content type without the CSRF header',
      () => send({ method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"query":"{ __typename }"}' }),
      'CSRF_HEADER_REQUIRED',
      403,
    ],
    [
      'a GET without the CSRF header',
      () => send({ path: `/graphql?query=${encodeURIComponent('{ __typename }')}` }),
      'CSRF_HEADER_REQUIRED',
      403,
    ],
    [
      'an operation name not in the document',
      () => post({ query: 'query A { __typename }', operationName: 'B' }),
      'OPERATION_RESOLUTION_FAILURE',
      0,
    ],
    [
      'two operations and no name',
      () => post({ query: 'query A { __typename } query B { __typename }' }),
      'OPERATION_RESOLUTION_FAILURE',
      0,
    ],
    ['a syntax error', () => post({ query: '{ stamp(' }), 'GRAPHQL_PARSE_FAILED', 0],
    ['an unknown field', () => post({ query: '{ nope }' }), 'GRAPHQL_VALIDATION_FAILED', 0],
    ['a document over a persisted-only gateway', () => post({ query: '{ __typename }' }, persisted), 'CANNOT_SEND_PQ_ID_AND_BODY', 0],
    ['no persisted id', () => post({ extensions: { persistedQuery: { version: 1 } } }, persisted), 'PERSISTED_QUERY_ID_REQUIRED', 0],
    [
      'an unknown persisted id',
      () => post({ extensions: { persistedQuery: { version: 1, sha256Hash: 'nope' } } }, persisted),
      'PERSISTED_QUERY_NOT_IN_LIST',
      0,
    ],
  ];

  for (const [name, request, code, status] of CASES) {
    it(`${name}: ${code}`, async () => {
      const res = await request();
      const body = JSON.parse(res.text) as { errors: Array<{ extensions?: Record<string, unknown> }> };
      expect(
        body.errors.map((e) => e.extensions?.code),
        res.text,
      ).toEqual([code]);
      expect(ERROR_CODES).toContain(code);
      // Never an echo of the request, or of an internal error.
      expect(res.text).not.toMatch(/originalError|stack|node_modules|\{ stamp/);
      if (status) expect(res.status).toBe(status);
      else expect(res.status).toBeLessThan(500);
    });
  }

  it('answers a bad value the same inline and in variables: BAD_USER_INPUT with issues and path, HTTP 400, counted and logged as such', async () => {
    const mutation = (startDate: string) =>
      `mutation Bad { createStamp(input: {cardIdx: 1, startDate: ${startDate}, endDate: "2025-03-01"}) { stampIdx } }`;
    const cases: Array<[string, unknown, unknown]> = [
      [
        'Date',
        { query: mutation('"2025-02-30"') },
        { query: mutation('$d').replace('mutation Bad', 'mutation Bad($d: Date!)'), variables: { d: '2025-02-30' } },
      ],
      [
        'Date (not a string)',
        { query: mutation('20250230') },
        { query: mutation('$d').replace('mutation Bad', 'mutation Bad($d: Date!)'), variables: { d: 20250230 } },
      ],
      [
        'Int',
        { query: 'query Bad { stamp(stampIdx: "abc") { stampIdx } }' },
        { query: 'query Bad($i: Int!) { stamp(stampIdx: $i) { stampIdx } }', variables: { i: 'abc' } },
      ],
      [
        'Int past 32 bits',
        { query: 'query Bad { stamp(stampIdx: 99999999999) { stampIdx } }' },
        { query: 'query Bad($i: Int!) { stamp(stampIdx: $i) { stampIdx } }', variables: { i: 99999999999 } },
      ],
    ];
    for (const [scalar, inline, variables] of cases) {
      const a = await post(inline);
      const b = await post(variables);
      const strip = (text: string) => {
        const body = JSON.parse(text) as { errors: Array<Record<string, unknown>> };
        return body.errors.map(({ locations: _l, ...rest }) => rest);
      };
      const [ea] = strip(a.text);
      expect(ea, `${scalar} inline: ${a.text}`).toMatchObject({
        extensions: { code: 'BAD_USER_INPUT', issues: [expect.objectContaining({ path: expect.any(String) })] },
      });
      expect((ea!.path as string[])[0], a.text).toMatch(/createStamp|stamp/);
      expect(strip(b.text), `${scalar}: variables ${b.text} vs inline ${a.text}`).toEqual(strip(a.text));
      expect([a.status, b.status], scalar).toEqual([400, 400]);
    }
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metrics).toMatch(/graphql_operations_total\{operation="Bad",type="mutation",outcome="BAD_USER_INPUT"\} 4/);
    expect(metrics).toMatch(/graphql_operations_total\{operation="Bad",type="query",outcome="BAD_USER_INPUT"\} 4/);
    expect(metrics).not.toMatch(/outcome="INTERNAL_SERVER_ERROR"/);
    const logged = lines.filter((l) => l.operation === 'Bad');
    expect(logged.length).toBe(8);
    for (const line of logged) expect(line.errors).toEqual(['BAD_USER_INPUT']);
  });
});
