import { Writable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OperationNames } from '../../src/plugins/use-metrics.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function heapAfterGc(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

describe('metric labels and log lines stay bounded, whatever operation names clients send', () => {
  let gw: TestGateway;
  let logged = '';
  let lines = 0;
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines++;
        // Keep only the longest line seen, so the test itself does not grow.
        const text = String(chunk);
        if (text.length > logged.length) logged = text;
        done();
      },
    });
    gw = await startGateway({ logger: pino({ level: 'info' }, sink), security: { maxOperationNames: 50 } });
  });
  afterAll(() => gw.close());

  const send = (name: string) =>
    fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `query ${name} { __typename }` }),
    }).then((r) => r.text());

  async function sendMany(prefix: string, count: number, pad = '') {
    for (let i = 0; i < count; i += 50) {
      await Promise.all(Array.from({ length: Math.min(50, count - i) }, (_, j) => send(`${prefix}${i + j}${pad}`)));
    }
  }

  it('labels at most the configured number of names and counts the rest as "other"', { timeout: 90_000 }, async () => {
    await sendMany('Warm', 200);
    const sizeBefore = (await (await fetch(`${gw.url}/metrics`)).text()).length;
    const heapBefore = await heapAfterGc();
    await sendMany('Op', 10_000);
    const text = await (await fetch(`${gw.url}/metrics`)).text();
    const heapAfter = await heapAfterGc();
    // Flat: counters and process metrics grow a few digits; 10,000 labels would add ~600 KB.
    expect(text.length).toBeLessThanOrEqual(sizeBefore + 4_000);
    expect(text).toMatch(/graphql_operations_total\{operation="other",type="query",outcome="ok"\} 10150/);
    expect(text.match(/graphql_operations_total\{/g)?.length).toBeLessThanOrEqual(52);
    // 10,000 requests' worth of garbage is collected; what is left must not scale with the names.
    expect(heapAfter - heapBefore).toBeLessThan(8 * 1024 * 1024);
  });

  it('never labels or logs a 60 KB operation name in full', async () => {
    const pad = 'A'.repeat(60_000);
    await sendMany('Huge', 20, pad);
    const text = await (await fetch(`${gw.url}/metrics`)).text();
    expect(text).not.toContain('AAAAAAAAAA');
    expect(lines).toBeGreaterThan(0);
    expect(logged.length).toBeLessThan(2_000);
  });
});

describe('OperationNames', () => {
  it('always knows the persisted operations, admits well-formed names up to the limit, and nothing else', () => {
    const names = new OperationNames(['DemoStamp'], 2);
    expect(names.label('DemoStamp')).toBe('DemoStamp');
    expect(names.label(undefined)).toBe('anonymous');
    expect(names.label('bad name')).toBe('other');
    expect(names.label('x'.repeat(65))).toBe('other');
    expect(names.label('First')).toBe('First');
    expect(names.label('Second')).toBe('Second');
    expect(names.label('Third')).toBe('other');
    expect(names.label('First')).toBe('First');
    expect(names.label('DemoStamp')).toBe('DemoStamp');
  });
});
