/**
 * A shop chain's app against the gateway, as issue 15 measures the cache: 20 customer reads a second
 * over 2,000 stamps, a few regulars often and most rarely (Zipf 1.1), the Personal plan's 180 calls a
 * minute, the production build; a change made "outside" (the sandbox's dashboard endpoint) every 5 s,
 * which reaches the gateway only by webhook, when webhooks are on. Per minute: reads answered, upstream
 * calls per 1,000 reads, the oldest `asOf` served, and reads still showing a count older than one a
 * change made outside more than 1 s before.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProcess } from '../helpers/process.js';
import { signedToken } from '../helpers/tokens.js';
import { admin, apiHeaders, KEY } from './sandbox-admin.js';
import { GATEWAY_READY } from './bench-gateway.js';

const JWT_SECRET = 'bench-shop-chain-secret-long-enough-for-hs256';
const WEBHOOK_SECRET = 'bench-shop-chain-webhook-secret';
const STAMPS = 2_000;
const READS_PER_SECOND = 20;
const OUTSIDE_CHANGE_EVERY_MS = 5_000;

export interface ShopMinute {
  minute: number;
  reads: number;
  answeredPercent: number;
  upstreamCallsPer1000Reads: number;
  oldestAsOfSeconds: number;
  /** Reads that showed a count older than a change made outside more than 1 s before. */
  staleAfter1s: number;
}

export interface ShopResult {
  name: string;
  minutes: ShopMinute[];
}

/** Ranks 1..n with weight 1/k^s, drawn by inverse CDF. */
function zipf(n: number, s: number): () => number {
  const cdf: number[] = [];
  let total = 0;
  for (let k = 1; k <= n; k++) total += 1 / k ** s;
  let acc = 0;
  for (let k = 1; k <= n; k++) cdf.push((acc += 1 / k ** s / total));
  return () => {
    const u = Math.random();
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/**
 * One scenario in processes of its own (sandbox, gateway). `warm`: the gateway's state store already
 * holds a confirmed state of every stamp (an earlier run of the same deployment), which is what
 * "steady state" means here; else it starts cold.
 */
export async function shopLoad(options: { name: string; webhooks: boolean; warm: boolean; minutes: number }): Promise<ShopResult> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-shop-'));
  const procs: Array<{ kill(signal?: NodeJS.Signals): void }> = [];
  try {
    const sandbox = await startProcess(
      'src/sandbox/main.ts',
      { SANDBOX_PORT: '0', SANDBOX_API_KEY: KEY, SANDBOX_STORAGE: 'memory' },
      /listening on (http:\/\/[\d.:]+)[\s\S]*API key/,
      { keepOutput: false, timeoutMs: 120_000 },
    );
    procs.push(sandbox.child);
    const cardIdx = await admin(sandbox.ready, 'POST', '/cards', { cardNm: 'Shop chain', maxStamps: 100 });
    const ids: number[] = [];
    for (let i = 0; i < STAMPS; i++) {
      const res = await fetch(`${sandbox.ready}/api/stamp/v1/create`, {
        method: 'POST',
        headers: apiHeaders,
        body: JSON.stringify({ cardIdx, strtYmd: '2020-01-01', endYmd: '2030-12-31', userId: `cust-${i}` }),
      });
      ids.push(((await res.json()) as { result: number }).result);
    }
    const tokens = await Promise.all(ids.map((_, i) => signedToken(JWT_SECRET, `cust-${i}`, 'stamps:read', '12h')));
    await writeFile(
      join(dir, 'keys.json'),
      JSON.stringify([{ name: 'warmer', key: 'bench-warmer-key-0123456789', scopes: ['stamps:read', 'stamps:admin'], quotaShare: 1 }]),
    );
    const env = (perMinute: string) => ({
      PORT: '0',
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
      STAMP_API_URL: sandbox.ready,
      STAMP_API_KEY: KEY,
      JWT_SECRET,
      JWT_MAX_LIFETIME_S: '86400',
      GATEWAY_API_KEYS_FILE: join(dir, 'keys.json'),
      DATA_DIR: join(dir, 'gateway'),
      STAMP_API_RATE_PER_MINUTE: perMinute,
      STAMP_API_RATE_PER_HOUR: String(Number(perMinute) * 10),
      ...(options.webhooks ? { STAMP_WEBHOOK_SECRET: WEBHOOK_SECRET } : {}),
    });
    const gatewayOpts = { nodeArgs: [] as string[], keepOutput: false, timeoutMs: 120_000 };
    if (options.warm) {
      // An earlier run of the deployment confirmed every stamp once; its state store keeps them.
      const warmer = await startProcess('dist/server.js', env('100000'), GATEWAY_READY, gatewayOpts);
      // Its state store runs, as a deployment's does once anything has needed it (a change, a history
      // read): an embedded store nothing has started keeps no known states for reads.
      await fetch(`${warmer.ready}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer bench-warmer-key-0123456789' },
        body: JSON.stringify({ query: `{ stampHistory(stampIdx: ${ids[0]}, first: 1) { edges { cursor } } }` }),
      }).then((res) => res.json());
      for (let i = 0; i < ids.length; i += 100) {
        const res = await fetch(`${warmer.ready}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer bench-warmer-key-0123456789' },
          body: JSON.stringify({
            query: 'query($ids: [Int!]!) { stamps(stampIdxs: $ids) { stampIdx } }',
            variables: { ids: ids.slice(i, i + 100) },
          }),
        });
        await res.json();
      }
      // The known states are written after the answers: give them a moment, then stop cleanly.
      await new Promise((r) => setTimeout(r, 1_000));
      await warmer.stop('SIGTERM');
    }
    const gateway = await startProcess('dist/server.js', env('180'), GATEWAY_READY, gatewayOpts);
    procs.push(gateway.child);
    if (options.webhooks) {
      await admin(sandbox.ready, 'POST', '/webhooks', { url: `${gateway.ready}/webhooks/vivoldi`, secret: WEBHOOK_SECRET });
    }

    const pick = zipf(STAMPS, 1.1);
    // Outside changes: per stamp, when (bench clock) each new count was made.
    const outside = new Map<number, Array<{ at: number; stamps: number }>>();
    const truthAt = (idx: number, at: number): number => {
      let count = 0;
      for (const change of outside.get(idx) ?? []) if (change.at <= at) count = change.stamps;
      return count;
    };
    interface Sample {
      at: number;
      answered: boolean;
      ageMs: number;
      stale: boolean;
    }
    const samples: Sample[] = [];
    const start = Date.now();
    const end = start + options.minutes * 60_000;
    const callsAt: number[] = [await admin(sandbox.ready, 'GET', '/requests/total?endpoint=validate')];
    const inFlight = new Set<Promise<void>>();
    const readOnce = async () => {
      const n = pick();
      const idx = ids[n]!;
      const res = await fetch(`${gateway.ready}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[n]}` },
        body: JSON.stringify({ query: 'query($i: Int!) { stamp(stampIdx: $i) { stamps asOf } }', variables: { i: idx } }),
      }).catch(() => undefined);
      const at = Date.now();
      const body = res ? ((await res.json().catch(() => ({}))) as { data?: { stamp?: { stamps: number; asOf: string } } }) : {};
      const stamp = body.data?.stamp;
      samples.push({
        at,
        answered: Boolean(stamp),
        ageMs: stamp ? at - Date.parse(stamp.asOf) : 0,
        stale: stamp ? stamp.stamps < truthAt(idx, at - 1_000) : false,
      });
    };
    const reader = setInterval(() => {
      const p = readOnce();
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    }, 1_000 / READS_PER_SECOND);
    const changer = setInterval(() => {
      const idx = ids[pick()]!;
      void admin(sandbox.ready, 'POST', `/stamps/${idx}/add`).then((r: { stamps?: number } | null) => {
        if (r?.stamps !== undefined) outside.set(idx, [...(outside.get(idx) ?? []), { at: Date.now(), stamps: r.stamps }]);
      });
    }, OUTSIDE_CHANGE_EVERY_MS);
    const minuteTimer = setInterval(
      async () => callsAt.push(await admin(sandbox.ready, 'GET', '/requests/total?endpoint=validate')),
      60_000,
    );
    await new Promise((r) => setTimeout(r, end - Date.now() + 50));
    clearInterval(reader);
    clearInterval(changer);
    clearInterval(minuteTimer);
    await Promise.allSettled([...inFlight]);
    while (callsAt.length < options.minutes + 1) callsAt.push(await admin(sandbox.ready, 'GET', '/requests/total?endpoint=validate'));

    const minutes: ShopMinute[] = [];
    for (let m = 0; m < options.minutes; m++) {
      const inMinute = samples.filter((s) => s.at >= start + m * 60_000 && s.at < start + (m + 1) * 60_000);
      const reads = inMinute.length || 1;
      minutes.push({
        minute: m + 1,
        reads: inMinute.length,
        answeredPercent: Math.round((1000 * inMinute.filter((s) => s.answered).length) / reads) / 10,
        upstreamCallsPer1000Reads: Math.round((1000 * (callsAt[m + 1]! - callsAt[m]!)) / reads),
        oldestAsOfSeconds: Math.round(Math.max(0, ...inMinute.map((s) => s.ageMs)) / 1000),
        staleAfter1s: inMinute.filter((s) => s.stale).length,
      });
    }
    return { name: options.name, minutes };
  } finally {
    for (const p of procs) p.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
}
