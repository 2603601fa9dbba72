import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addDays, seoulToday } from '../../src/dates.js';
import type { FaultSpec } from '../../src/sandbox/faults.js';
import { startGateway } from '../helpers/gateway.js';
import { ENGINES } from '../helpers/store.js';

const today = seoulToday(new Date());
const MUTATIONS = Number(process.env.SOAK_MUTATIONS ?? 300);

/** Every kind of fault the sandbox can inject, each at random on a share of the calls. */
const FAULTS: FaultSpec[] = [
  { endpoint: '*', action: { type: 'status', status: 503, body: 'html' }, applyFirst: true, probability: 0.05, times: 'always' },
  { endpoint: '*', action: { type: 'status', status: 502, body: 'empty' }, probability: 0.04, times: 'always' },
  { endpoint: '*', action: { type: 'status', status: 500, body: 'text' }, applyFirst: true, probability: 0.04, times: 'always' },
  { endpoint: '*', action: { type: 'status', status: 429, retryAfter: 0 }, probability: 0.04, times: 'always' },
  { endpoint: '*', action: { type: 'envelope', code: 4000, message: 'Busy' }, probability: 0.03, times: 'always' },
  { endpoint: '*', action: { type: 'drop' }, applyFirst: true, probability: 0.04, times: 'always' },
  { endpoint: '*', action: { type: 'drop' }, probability: 0.03, times: 'always' },
  { endpoint: '*', action: { type: 'hang' }, applyFirst: true, probability: 0.03, times: 'always' },
  { endpoint: '*', action: { type: 'hang' }, probability: 0.02, times: 'always' },
  { endpoint: '*', action: { type: 'delay', ms: 30 }, probability: 0.05, times: 'always' },
];

interface Sent {
  key: string;
  requestId: string;
  stampIdx: number;
  op: 'add' | 'remove' | 'adjust';
  outcome: 'OK' | 'NOT_APPLIED' | 'UNKNOWN' | 'NONE';
  code?: string;
}

describe.each(ENGINES)('a fault soak on $name: every answer agrees with what the stamp API committed', ({ open }) => {
  it(`${MUTATIONS} concurrent mutations under random faults, retried once with the same key after UNKNOWN`, {
    timeout: 240_000,
  }, async () => {
    const store = await open();
    const gw = await startGateway({
      store,
      upstream: { timeoutMs: 250 },
      resilience: { deadlineMs: 4_000 },
      security: { mutations: { perCaller: 1e6, perCallerAndStamp: 1e6 } },
    });
    try {
      const stamps = Array.from({ length: 40 }, () => {
        const idx = gw.sandbox.state.create({ cardIdx: 1, strtYmd: addDays(today, -1), endYmd: addDays(today, 30) }, 'premium')
          .result as number;
        gw.sandbox.state.update({ stampIdx: idx, stamps: 5 }, 'premium');
        return idx;
      });
      gw.sandbox.requests.clear();
      for (const fault of FAULTS) gw.sandbox.faults.add(fault);

      const send = async (s: Omit<Sent, 'outcome' | 'code' | 'requestId'>, requestId: string): Promise<Sent> => {
        const query =
          s.op === 'adjust'
            ? 'mutation($i: Int!, $k: String) { adjustStampCount(input: {stampIdx: $i, delta: 2, idempotencyKey: $k}) { newStamps } }'
            : `mutation($i: Int!, $k: String) { ${s.op}Stamp(input: {stampIdx: $i, idempotencyKey: $k}) { stampIdx } }`;
        const res = await gw.post(query, { i: s.stampIdx, k: s.key }, { 'x-request-id': requestId });
        const error = res.body.errors?.[0];
        if (!error) return { ...s, requestId, outcome: 'OK' };
        const outcome = error.extensions?.outcome as Sent['outcome'] | undefined;
        return { ...s, requestId, outcome: outcome ?? 'NONE', code: error.extensions?.code };
      };
      const ops: Array<Omit<Sent, 'outcome' | 'code' | 'requestId'>> = Array.from({ length: MUTATIONS }, (_, n) => ({
        key: `soak-${randomUUID()}`,
        stampIdx: stamps[n % stamps.length]!,
        op: (['add', 'remove', 'adjust'] as const)[n % 3]!,
      }));
      const first = await Promise.all(ops.map((op) => send(op, `soak-req-${randomUUID()}`)));
      // One retry with the same key after an UNKNOWN outcome: it must never apply the change a second time.
      const retries = await Promise.all(first.filter((r) => r.outcome === 'UNKNOWN').map((r) => send(r, `soak-retry-${randomUUID()}`)));
      gw.sandbox.faults.clear();
      await gw.parts.stamps.outbox.flush(10_000);

      const endpointOf = { add: 'add', remove: 'remove', adjust: 'update' } as const;
      const committed = (r: Sent) =>
        gw.sandbox.requests.list(endpointOf[r.op]).filter((l) => l.headers['x-request-id'] === r.requestId && l.applied).length;
      const summary: Record<string, number> = {};
      for (const r of [...first, ...retries]) {
        const n = committed(r);
        const context = JSON.stringify({ ...r, committed: n });
        summary[`${r.outcome}:${n > 0 ? 'committed' : 'not'}`] = (summary[`${r.outcome}:${n > 0 ? 'committed' : 'not'}`] ?? 0) + 1;
        // Nothing committed was answered without an outcome, and NOT_APPLIED committed none.
        if (r.outcome === 'NOT_APPLIED' || r.outcome === 'NONE') expect(n, context).toBe(0);
        // A success committed its change: exactly once for add and remove (never retried); an absolute
        // update may have been sent again by a retry of the call, with the same count.
        if (r.outcome === 'OK') {
          if (r.op === 'adjust') expect(n, context).toBeGreaterThanOrEqual(1);
          else expect(n, context).toBe(1);
        }
      }
      // No key committed two changes, across the first attempt and its retry.
      for (const r of first) {
        const again = retries.find((x) => x.key === r.key);
        const both = committed(r) + (again ? committed(again) : 0);
        if (r.op !== 'adjust') expect(both, JSON.stringify({ r, again })).toBeLessThanOrEqual(1);
        if (again) expect(again.outcome === 'OK' ? committed(again) : 0, JSON.stringify({ r, again })).toBe(0);
      }
      // Every committed change is in the history, under the request that made it, never as NOT_APPLIED.
      for (const r of first) {
        if (!committed(r)) continue;
        const rows = await gw.store.db.query<{ outcome: string }>('SELECT outcome FROM mutation_history WHERE request_id = $1', [
          r.requestId,
        ]);
        expect(
          rows.map((x) => x.outcome),
          JSON.stringify(r),
        ).toHaveLength(1);
        expect(['APPLIED', 'UNKNOWN']).toContain(rows[0]!.outcome);
      }
      const running = await gw.store.db.query<{ n: number }>("SELECT count(*)::int AS n FROM idempotency_keys WHERE state = 'running'");
      expect(running[0]!.n).toBe(0);
      // The run met the faults: some answers of each kind.
      expect(first.filter((r) => r.outcome === 'OK').length, JSON.stringify(summary)).toBeGreaterThan(MUTATIONS / 4);
      expect(first.filter((r) => r.outcome === 'UNKNOWN').length, JSON.stringify(summary)).toBeGreaterThan(0);
      expect(first.filter((r) => r.outcome === 'NOT_APPLIED').length, JSON.stringify(summary)).toBeGreaterThan(0);
    } finally {
      await gw.close();
      await store.close();
    }
  });
});
