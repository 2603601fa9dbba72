import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startGateway({ security: { introspection: false } });
});
afterAll(() => gw.close());

async function post(body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const started = performance.now();
  const res = await fetch(`${gw.url}/graphql`, { method: 'POST', headers, body });
  const text = await res.text();
  return {
    status: res.status,
    text,
    json: (() => {
      try {
        return JSON.parse(text);
      } catch {
        return undefined;
      }
    })(),
    ms: performance.now() - started,
  };
}
const gql = (query: string) => post(JSON.stringify({ query }));
const codes = (r: { json?: { errors?: Array<{ extensions?: { code?: string } }> } }) =>
  r.json?.errors?.map((e) => e.extensions?.code) ?? [];

async function stillServes() {
  const res = await gql('{ stamp(stampIdx: 1000) { stampIdx } }');
  expect(res.json).toEqual({ data: { stamp: { stampIdx: 1000 } } });
}

describe('hostile input is refused before any upstream call, and the gateway keeps serving', () => {
  it('refuses a deep query', async () => {
    // The schema's deepest path is the history (connection, edge, entry, stamp, user): past a limit of 4.
    const query = `{ a: stamp(stampIdx: 1000) { user { id } } b: stampHistory(stampIdx: 1000) { edges { node { before { user { id } } upstreamCalls { endpoint } } } pageInfo { endCursor } } }`;
    const limited = await startGateway({ sandbox: gw.sandbox, security: { maxDepth: 4 } });
    try {
      const before = gw.sandbox.requests.count();
      const res = await fetch(`${limited.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      });
      const body = (await res.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
      expect(body.errors[0]?.message).toMatch(/depth/i);
      expect(body.errors[0]?.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(gw.sandbox.requests.count()).toBe(before);
    } finally {
      await limited.close();
    }
    await stillServes();
  });

  it('refuses an alias bomb', async () => {
    const before = gw.sandbox.requests.count();
    const query = `{ s: stamp(stampIdx: 1000) { ${Array.from({ length: 150 }, (_, i) => `a${i}: stampIdx`).join(' ')} } }`;
    const res = await gql(query);
    expect(res.json.errors[0].message).toMatch(/alias/i);
    expect(codes(res)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(gw.sandbox.requests.count()).toBe(before);
    await stillServes();
  });

  it('refuses a wide document with too many tokens', async () => {
    const before = gw.sandbox.requests.count();
    const wide = `{ stamp(stampIdx: 1000) { ${'stampIdx '.repeat(3000)} } }`;
    const res = await gql(wide);
    expect(res.json.errors[0].message).toMatch(/token/i);
    expect(codes(res)).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(gw.sandbox.requests.count()).toBe(before);
    await stillServes();
  });

  it('refuses a huge body with 413 without reading it', async () => {
    const res = await post(JSON.stringify({ query: `{ stamp(stampIdx: 1000) { stampIdx } } # ${'x'.repeat(200_000)}` }));
    expect(res.status).toBe(413);
    expect(codes(res)).toEqual(['BAD_REQUEST']);
    await stillServes();
  });

  it('answers malformed JSON with 400', async () => {
    const res = await post('{"query": "{ stamp(stampIdx: 1000) { stampIdx } }"');
    expect(res.status).toBe(400);
    expect(res.json.errors[0].message).toMatch(/JSON/i);
    await stillServes();
  });

  it('refuses simple content types a browser could send cross-site (CSRF)', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      const res = await post(JSON.stringify({ query: 'mutation { addStamp(input: {stampIdx: 1000}) { stampIdx } }' }), {
        'content-type': type,
      });
      expect(res.status, type).toBeGreaterThanOrEqual(400);
      expect(res.status, type).toBeLessThan(500);
    }
    expect(gw.sandbox.inspect(1000)?.stamps).toBe(3);
    await stillServes();
  });

  it('refuses a GET mutation and a body of unknown length', async () => {
    const get = await fetch(
      `${gw.url}/graphql?query=${encodeURIComponent('mutation { addStamp(input: {stampIdx: 1000}) { stampIdx } }')}`,
      {
        headers: { 'x-graphql-yoga-csrf': '1', accept: 'application/json' },
      },
    );
    expect(get.status).toBe(405);
    const chunked = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream({
        start(c) {
          c.enqueue(new TextEncoder().encode(JSON.stringify({ query: '{ __typename }' })));
          c.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(411);
    // Only POST bodies are read (yoga's own streaming limit is off): any other method with an endless
    // body is answered without reading it.
    let pulled = 0;
    const endless = await fetch(`${gw.url}/graphql`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream({
        pull(c) {
          pulled++;
          if (pulled > 10_000) return c.close();
          c.enqueue(new Uint8Array(64 * 1024));
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(endless.status).toBe(405);
    expect(pulled).toBeLessThan(10_000);
    expect(gw.sandbox.inspect(1000)?.stamps).toBe(3);
    await stillServes();
  });

  it('answers a CORS preflight from an allowed origin, with no body to limit', async () => {
    const cors = await startGateway({ sandbox: gw.sandbox, security: { corsOrigins: ['https://app.example'] } });
    try {
      const res = await fetch(`${cors.url}/graphql`, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://app.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
      expect(res.status).toBeLessThan(300);
      expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example');
    } finally {
      await cors.close();
    }
  });

  it('hides the schema when introspection is off', async () => {
    const res = await gql('{ __schema { types { name } } }');
    expect(res.json.errors[0].message).toMatch(/introspection/i);
    expect(res.text).not.toContain('StampUser');
  });
});

describe('persisted operations', () => {
  it('runs only the listed operations when an allow-list is configured', async () => {
    const allowed = await startGateway({
      sandbox: gw.sandbox,
      security: { persistedOperations: { demoStamp: '{ stamp(stampIdx: 1000) { stampIdx } }' } },
    });
    try {
      const send = (body: unknown) =>
        fetch(`${allowed.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }).then((r) => r.json());
      expect(await send({ extensions: { persistedQuery: { version: 1, sha256Hash: 'demoStamp' } } })).toEqual({
        data: { stamp: { stampIdx: 1000 } },
      });
      const before = gw.sandbox.requests.count();
      const arbitrary = (await send({ query: '{ stamp(stampIdx: 1001) { stampIdx } }' })) as { errors: Array<{ message: string }> };
      expect(arbitrary.errors[0]?.message).toMatch(/PersistedQueryOnly|persisted/i);
      const unknown = (await send({ extensions: { persistedQuery: { version: 1, sha256Hash: 'nope' } } })) as {
        errors: Array<{ message: string }>;
      };
      expect(unknown.errors[0]?.message).toMatch(/PersistedQueryNotFound|not found/i);
      // Ids that name properties every object inherits are unknown ids like any other.
      for (const id of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__']) {
        const res = await fetch(`${allowed.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: id } } }),
        });
        const body = (await res.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
        expect(res.status, id).toBeLessThan(500);
        expect(body.errors[0]?.extensions.code, id).toBe(
          (unknown as unknown as { errors: Array<{ extensions: { code: string } }> }).errors[0]?.extensions.code,
        );
      }
      expect(gw.sandbox.requests.count()).toBe(before);
    } finally {
      await allowed.close();
    }
  });
});
