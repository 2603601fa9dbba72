import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seoulToday } from '../../src/dates.js';
import type { FaultSpec } from '../../src/sandbox/faults.js';
import { graphql } from '../gql/index.js';
import { expectNoErrors, onlyError, startGateway, type TestGateway } from '../helpers/gateway.js';
import { seedStamp } from '../helpers/sandbox.js';

const ReadOne = graphql(`
  query ReadOne($stampIdx: Int!) { stamp(stampIdx: $stampIdx) { stampIdx stamps } }
`);
const AddOne = graphql(`
  mutation AddOne($input: AddStampInput!) { addStamp(input: $input) { stampIdx } }
`);
const SetCount = graphql(`
  mutation SetCount($input: UpdateStampInput!) { updateStamp(input: $input) { stampIdx } }
`);
const IssueOne = graphql(`
  mutation IssueOne($input: CreateStampInput!) { createStamp(input: $input) { stampIdx } }
`);

let gw: TestGateway;
const today = seoulToday(new Date());

beforeAll(async () => {
  gw = await startGateway({ upstream: { timeoutMs: 300 } });
});
afterAll(() => gw.close());
beforeEach(() => {
  gw.sandbox.requests.clear();
  gw.sandbox.faults.clear();
});

const freshStamp = () => seedStamp(gw.sandbox);

type Row = {
  name: string;
  fault: FaultSpec['action'];
  code: string;
  outcome: 'NOT_APPLIED' | 'UNKNOWN';
  extensions?: Record<string, unknown>;
};

// The README's error table, row by row, provoked through the sandbox on a non-idempotent mutation.
const TABLE: Row[] = [
  {
    name: 'an envelope with code != 0',
    fault: { type: 'envelope', code: 4321, message: 'Nope' },
    code: 'UPSTREAM_REJECTED',
    outcome: 'NOT_APPLIED',
    extensions: { upstreamCode: 4321, upstreamMessage: 'Nope' },
  },
  {
    name: 'HTTP 401',
    fault: { type: 'status', status: 401, body: 'empty' },
    code: 'UPSTREAM_AUTH_FAILED',
    outcome: 'NOT_APPLIED',
    extensions: { httpStatus: 401 },
  },
  {
    name: 'HTTP 403',
    fault: { type: 'status', status: 403 },
    code: 'UPSTREAM_AUTH_FAILED',
    outcome: 'NOT_APPLIED',
    extensions: { httpStatus: 403 },
  },
  {
    name: 'HTTP 503 with an HTML page',
    fault: { type: 'status', status: 503 },
    code: 'UPSTREAM_UNAVAILABLE',
    outcome: 'UNKNOWN',
    extensions: { httpStatus: 503 },
  },
  { name: 'a dropped connection', fault: { type: 'drop' }, code: 'UPSTREAM_UNAVAILABLE', outcome: 'UNKNOWN' },
  { name: 'a hang past the timeout', fault: { type: 'hang' }, code: 'UPSTREAM_TIMEOUT', outcome: 'UNKNOWN' },
];

describe('the error table', () => {
  for (const row of TABLE) {
    it(`maps ${row.name} to ${row.code} (${row.outcome}) and never retries add`, async () => {
      const stampIdx = freshStamp();
      gw.sandbox.faults.add({ endpoint: 'add', action: row.fault });
      const error = onlyError(await gw.request(AddOne, { input: { stampIdx } }));
      expect(error.extensions).toMatchObject({ code: row.code, outcome: row.outcome, ...row.extensions });
      expect(error.path).toEqual(['addStamp']);
      expect(gw.sandbox.requests.count('add')).toBe(1);
    });
  }

  it('maps a 2xx answer that is no envelope to UPSTREAM_BAD_RESPONSE (UNKNOWN)', async () => {
    const stampIdx = freshStamp();
    // A 2xx HTML page, as a captive proxy or a maintenance page in front of the API would send.
    const html = await startHtmlUpstream();
    const gw2 = await startGateway({ sandbox: gw.sandbox, upstream: { url: html.url } });
    try {
      const error = onlyError(await gw2.request(AddOne, { input: { stampIdx } }));
      expect(error.extensions).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', outcome: 'UNKNOWN' });
      expect(error.message).toMatch(/not JSON \(an HTML page\)/);
    } finally {
      await gw2.close();
      await html.close();
    }
  });

  it('maps a refused connection to UPSTREAM_UNAVAILABLE with outcome NOT_APPLIED', async () => {
    const port = await closedPort();
    const down = await startGateway({ sandbox: gw.sandbox, upstream: { url: `http://127.0.0.1:${port}` } });
    try {
      const error = onlyError(await down.request(AddOne, { input: { stampIdx: 1000 } }));
      expect(error.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', outcome: 'NOT_APPLIED' });
      expect(error.message).toMatch(/ECONNREFUSED/);
    } finally {
      await down.close();
    }
  });

  it('maps a stamp of the wrong shape to UPSTREAM_BAD_RESPONSE, naming the fields, with no stack or path', async () => {
    gw.sandbox.faults.add({ endpoint: 'validate', action: { type: 'result', result: { stampIdx: 'not a number' } } });
    const res = await gw.request(ReadOne, { stampIdx: 1000 });
    const error = onlyError(res);
    expect(error.extensions?.code).toBe('UPSTREAM_BAD_RESPONSE');
    expect(error.message).toMatch(/missing or mistyped fields \(stampIdx, cardIdx/);
    expect(JSON.stringify(res.body)).not.toMatch(/ at |\/src\/|\.ts:/);
  });

  it('reports a wrong API key as UPSTREAM_AUTH_FAILED and never shows the key', async () => {
    const wrongKey = await startGateway({ sandbox: gw.sandbox, upstream: { apiKey: 'secret-key-that-must-not-leak' } });
    try {
      const res = await wrongKey.request(AddOne, { input: { stampIdx: 1000 } });
      expect(onlyError(res).extensions).toMatchObject({ code: 'UPSTREAM_AUTH_FAILED', outcome: 'NOT_APPLIED', httpStatus: 401 });
      expect(JSON.stringify(res.body)).not.toContain('secret-key-that-must-not-leak');
    } finally {
      await wrongKey.close();
    }
  });
});

describe('retries', () => {
  it('retries a validate call after a 503 but never retries add', async () => {
    gw.sandbox.faults.add({ endpoint: 'validate', action: { type: 'status', status: 503 }, times: 1 });
    expectNoErrors(await gw.request(ReadOne, { stampIdx: 1000 }));
    expect(gw.sandbox.requests.count('validate')).toBe(2);

    const stampIdx = freshStamp();
    gw.sandbox.faults.add({ endpoint: 'add', action: { type: 'status', status: 503 }, times: 1 });
    expect(onlyError(await gw.request(AddOne, { input: { stampIdx } })).extensions?.outcome).toBe('UNKNOWN');
    expect(gw.sandbox.requests.count('add')).toBe(1);
  });

  it('retries an absolute update after a dropped connection, which cannot double-apply', async () => {
    const stampIdx = freshStamp();
    gw.sandbox.faults.add({ endpoint: 'update', action: { type: 'drop' }, applyFirst: true });
    expectNoErrors(await gw.request(SetCount, { input: { stampIdx, stamps: 4 } }));
    expect(gw.sandbox.requests.count('update')).toBe(2);
    expect(gw.sandbox.inspect(stampIdx)?.stamps).toBe(4);
  });

  it('never retries create, even when the failure came after the stamp was issued', async () => {
    const before = gw.sandbox.state.stamps.size;
    gw.sandbox.faults.add({ endpoint: 'create', action: { type: 'status', status: 502 }, applyFirst: true });
    const error = onlyError(await gw.request(IssueOne, { input: { cardIdx: 1, startDate: today, endDate: today } }));
    expect(error.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', outcome: 'UNKNOWN' });
    expect(gw.sandbox.requests.count('create')).toBe(1);
    expect(gw.sandbox.state.stamps.size).toBe(before + 1);
  });

  it('gives up on validate after two retries', async () => {
    gw.sandbox.faults.add({ endpoint: 'validate', action: { type: 'status', status: 502 }, times: 'always' });
    expect(onlyError(await gw.request(ReadOne, { stampIdx: 1000 })).extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(gw.sandbox.requests.count('validate')).toBe(3);
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** An upstream that answers every call with 200 and an HTML page, as a captive proxy would. */
async function startHtmlUpstream() {
  const { createServer: createHttpServer } = await import('node:http');
  const server = createHttpServer((_, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<html><body>Maintenance</body></html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('an upstream 429', () => {
  it('maps to UPSTREAM_RATE_LIMITED (NOT_APPLIED) with retryAfter, and slows every caller down, not just one', async () => {
    const own = await startGateway({ sandbox: gw.sandbox, resilience: { maxQueueWaitMs: 100 } });
    try {
      const stampIdx = freshStamp();
      gw.sandbox.faults.add({ endpoint: 'add', action: { type: 'status', status: 429, retryAfter: 30, body: 'text' } });
      const error = onlyError(await own.request(AddOne, { input: { stampIdx } }));
      expect(error.extensions).toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', outcome: 'NOT_APPLIED', retryAfter: 30, httpStatus: 429 });
      const before = gw.sandbox.requests.count();
      // Another caller, another stamp, another endpoint: held back too, without spending quota on a 429.
      const shed = onlyError(await own.request(ReadOne, { stampIdx: 1000 }));
      expect(shed.extensions).toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', shedBy: 'quota' });
      expect(shed.extensions?.retryAfter).toBeGreaterThanOrEqual(29);
      expect(gw.sandbox.requests.count()).toBe(before);
    } finally {
      await own.close();
    }
  });
});
