/**
 * `npm run bench`: throughput, latency, CPU and memory, each row measured for a fixed time after a
 * warm-up, with the load generator, the sandbox and the measured process as separate processes.
 * Absolute figures move ±10% between runs on a shared 2-core machine; compare ratios within one run.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startProcess } from '../helpers/process.js';
import { measure, peakRssBytes, rssBytes, type LoadResult, type LoadSpec } from './measure.js';
import { type ShopResult, shopLoad } from './shop-load.js';
import { adjustBodies, admin, apiHeaders, createBenchStamps, KEY } from './sandbox-admin.js';
import { BENCH_HEADERS, benchGatewayEnv, GATEWAY_READY, READ_QUERY, writeBenchKeys } from './bench-gateway.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const WRITE_WARMUP = Number(process.env.BENCH_WRITE_WARMUP ?? 20);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const here = new URL('.', import.meta.url);

interface Proc {
  child: ChildProcess;
  url: string;
  pid: number;
}

/** A process of the benchmark, its output dropped once it is ready (a gateway logs every request). */
async function start(entry: string, env: Record<string, string>, ready: RegExp, nodeArgs?: string[]): Promise<Proc> {
  const started = await startProcess(entry, env, ready, { nodeArgs, keepOutput: false, timeoutMs: 120_000 });
  return { child: started.child, url: started.ready, pid: started.child.pid! };
}

const startSandbox = (env: Record<string, string>) =>
  start('src/sandbox/main.ts', { SANDBOX_PORT: '0', SANDBOX_API_KEY: KEY, ...env }, /listening on (http:\/\/[\d.:]+)[\s\S]*API key/);

interface Row extends LoadResult {
  name: string;
  process: string;
}

const rows: Row[] = [];
const shop: ShopResult[] = [];
const SHOP_MINUTES = Number(process.env.BENCH_SHOP_MINUTES ?? 3);
async function row(
  name: string,
  processName: string,
  spec: Omit<LoadSpec, 'connections' | 'seconds' | 'warmupSeconds'> & Partial<LoadSpec>,
) {
  process.stdout.write(`measuring: ${name} ... `);
  const result = await measure({ connections: CONNECTIONS, seconds: SECONDS, warmupSeconds: WARMUP, ...spec });
  if (result.errors || result.non2xx) throw new Error(`${name}: ${result.errors} errors, ${result.non2xx} non-2xx answers`);
  // A row measures answers: more than one in a thousand with GraphQL errors is a defect, not a figure.
  // Fewer are reported with the ratios and checks (a transient refusal under load).
  if (result.answersWithErrors > result.requests / 1000)
    throw new Error(`${name}: ${result.answersWithErrors} of ${result.requests} answers carry GraphQL errors`);
  if (result.answersWithErrors) extra[`answersWithErrors (${name})`] = result.answersWithErrors;
  rows.push({ name, process: processName, ...result });
  console.log(`${result.rps} req/s`);
}

/** The middle value (the upper one of an even count). */
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const rowOnly = process.env.BENCH_ROWS?.split(',');
const wanted = (id: string) => !rowOnly || rowOnly.includes(id);

const memory = await startSandbox({ SANDBOX_STORAGE: 'memory' });
const dataDir = await mkdtemp(join(tmpdir(), 'bench-'));
const procs: Proc[] = [memory];
const extra: Record<string, unknown> = {};
try {
  // 1000 stamps on a card of 100, for the batch and the write path.
  const ids = await createBenchStamps(memory.url);
  await writeBenchKeys(dataDir);
  const forwarder = await start(
    'test/bench/forwarder.ts',
    { UPSTREAM_URL: memory.url, UPSTREAM_KEY: KEY },
    /listening on (http:\/\/[\d.:]+)/,
  );
  procs.push(forwarder);
  const yogaFloor = await start('test/bench/yoga-floor.ts', {}, /listening on (http:\/\/[\d.:]+)/);
  const yogaUpstream = await start(
    'test/bench/yoga-floor.ts',
    { UPSTREAM_URL: memory.url, UPSTREAM_KEY: KEY },
    /listening on (http:\/\/[\d.:]+)/,
  );
  procs.push(yogaFloor, yogaUpstream);
  // The hand-written alternative: Apollo Server 5 + RESTDataSource, production mode.
  const apollo = await start(
    'test/bench/apollo-peer.ts',
    { UPSTREAM_URL: memory.url, UPSTREAM_KEY: KEY, NODE_ENV: 'production' },
    /listening on (http:\/\/[\d.:]+)/,
  );
  procs.push(apollo);
  // The gateway as production runs it: compiled JavaScript (npm run build), no TypeScript loader.
  const built = spawnSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('npm run build failed');
  const gatewayEnv = (name: string, extra: Record<string, string> = {}) => benchGatewayEnv(memory.url, KEY, dataDir, name, extra);
  // A gateway's first start on a fresh DATA_DIR creates its database (PGlite's initdb, in a process of
  // its own): how long that start took and the most memory the gateway held through it are reported.
  // A deployed gateway runs on its existing state, so each row is measured on a restart.
  const startGateway = async (env: Record<string, string>) => {
    const startedAt = performance.now();
    const first = await start('dist/server.js', env, GATEWAY_READY, []);
    extra.firstStartSeconds ??= Math.round((performance.now() - startedAt) / 100) / 10;
    extra.firstStartPeakRssMb ??= Math.round((peakRssBytes(first.pid) / 2 ** 20) * 10) / 10;
    const exited = new Promise((resolve) => first.child.once('exit', resolve));
    first.child.kill('SIGTERM');
    await exited;
    return start('dist/server.js', env, GATEWAY_READY, []);
  };
  const gateway = await startGateway(gatewayEnv('gateway-state'));
  procs.push(gateway);
  const gql = (query: string, variables: Record<string, unknown> = {}) => JSON.stringify({ query, variables });
  const gwHeaders = BENCH_HEADERS;
  const readQuery = READ_QUERY;

  if (wanted('direct'))
    await row('1 stamp API validate, direct', 'sandbox', {
      url: `${memory.url}/api/stamp/v1/validate?stampIdx=1000`,
      headers: apiHeaders,
      pid: memory.pid,
    });
  if (wanted('sandbox')) {
    // The sandbox's own write throughput, in memory and with its PGlite state on disk.
    const persisted = await startSandbox({ DATA_DIR: join(dataDir, 'sandbox-state') });
    procs.push(persisted);
    const counts = Array.from({ length: 10 }, (_, i) => JSON.stringify({ stampIdx: 1000, stamps: i }));
    await row('1c stamp API update, direct', 'sandbox', {
      url: `${memory.url}/api/stamp/v1/update`,
      method: 'PUT',
      headers: apiHeaders,
      bodies: counts,
      pid: memory.pid,
    });
    await row('1d stamp API update, PGlite on disk', 'sandbox', {
      url: `${persisted.url}/api/stamp/v1/update`,
      method: 'PUT',
      headers: apiHeaders,
      bodies: counts,
      pid: persisted.pid,
    });
    persisted.child.kill('SIGKILL');
  }
  if (wanted('forwarder'))
    await row('2 minimal node:http forwarder', 'forwarder', {
      url: forwarder.url,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ stampIdx: 1000 }),
      pid: forwarder.pid,
    });
  if (wanted('apollo'))
    await row('2a Apollo Server 5 + RESTDataSource, same read', 'apollo', {
      url: `${apollo.url}/`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: readQuery,
      pid: apollo.pid,
    });
  if (wanted('read'))
    await row('3 gateway read', 'gateway', {
      url: `${gateway.url}/graphql`,
      method: 'POST',
      headers: gwHeaders,
      body: readQuery,
      pid: gateway.pid,
    });
  if (wanted('paired')) {
    // This machine's speed moves by tens of percent within a minute, and rows measured a minute apart
    // carry that into their ratios. Here Apollo and the gateway take turns, 2 s each, eleven times; the
    // ratios are the medians of each turn's ratio (both measured within the same few seconds).
    process.stdout.write('measuring: Apollo and the gateway in turns (11 × 2 s each) ... ');
    const turns: Array<{ apollo: LoadResult; gateway: LoadResult }> = [];
    const turn = (url: string, headers: Record<string, string>, pid: number) =>
      measure({ url, method: 'POST', headers, body: readQuery, pid, connections: CONNECTIONS, seconds: 2, warmupSeconds: 0 });
    for (let i = 0; i < 11; i++) {
      const apolloTurn = await turn(`${apollo.url}/`, { 'content-type': 'application/json' }, apollo.pid);
      const gatewayTurn = await turn(`${gateway.url}/graphql`, gwHeaders, gateway.pid);
      if (apolloTurn.errors || apolloTurn.non2xx || gatewayTurn.errors || gatewayTurn.non2xx) throw new Error('paired: errors');
      for (const turn of [apolloTurn, gatewayTurn])
        if (turn.answersWithErrors > turn.requests / 1000)
          throw new Error(`paired: ${turn.answersWithErrors} answers carry GraphQL errors`);
      turns.push({ apollo: apolloTurn, gateway: gatewayTurn });
    }
    const round2 = (x: number) => Math.round(x * 100) / 100;
    extra.pairedGatewayOverApolloThroughput = round2(median(turns.map((t) => t.gateway.rps / t.apollo.rps)));
    extra.pairedGatewayOverApolloCpuPerRead = round2(
      median(turns.map((t) => t.gateway.cpuMicrosPerRequest / t.apollo.cpuMicrosPerRequest)),
    );
    extra.pairedGatewayOverApolloP99 = round2(median(turns.map((t) => t.gateway.p99Ms / t.apollo.p99Ms)));
    extra.pairedGatewayCpuMicrosPerRead = Math.round(median(turns.map((t) => t.gateway.cpuMicrosPerRequest)));
    extra.pairedApolloCpuMicrosPerRead = Math.round(median(turns.map((t) => t.apollo.cpuMicrosPerRequest)));
    console.log(
      `gateway ÷ Apollo: ${extra.pairedGatewayOverApolloThroughput}× the requests, ${extra.pairedGatewayOverApolloCpuPerRead}× the CPU`,
    );
    // The forwarder in turns with the gateway too, in a loop of its own: a forwarder turn between
    // Apollo's and the gateway's changed their ratio (1.35–1.49× against 1.75× in runs a few minutes apart).
    process.stdout.write('measuring: the gateway and the forwarder in turns (11 × 2 s each) ... ');
    const forwarderRatios: number[] = [];
    for (let i = 0; i < 11; i++) {
      const gatewayTurn = await turn(`${gateway.url}/graphql`, gwHeaders, gateway.pid);
      const forwarderTurn = await measure({
        url: forwarder.url,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ stampIdx: 1000 }),
        pid: forwarder.pid,
        connections: CONNECTIONS,
        seconds: 2,
        warmupSeconds: 0,
      });
      for (const one of [gatewayTurn, forwarderTurn]) {
        if (one.errors || one.non2xx || one.answersWithErrors > one.requests / 1000) throw new Error('paired: errors');
      }
      forwarderRatios.push(gatewayTurn.rps / forwarderTurn.rps);
    }
    extra.pairedGatewayOverForwarderThroughput = round2(median(forwarderRatios));
    console.log(`gateway ÷ forwarder: ${extra.pairedGatewayOverForwarderThroughput}× the requests`);
  }
  if (wanted('floor')) {
    await row('3f graphql-yoga alone, same query, no upstream', 'yoga', {
      url: `${yogaFloor.url}/graphql`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: readQuery,
      pid: yogaFloor.pid,
    });
    await row('3u graphql-yoga + the same upstream call, nothing else', 'yoga', {
      url: `${yogaUpstream.url}/graphql`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: readQuery,
      pid: yogaUpstream.pid,
    });
  }
  if (wanted('heapcap')) {
    // Memory for CPU: V8 collects the old generation more often when its heap is capped.
    const capped = await startGateway(gatewayEnv('capped-state', { NODE_OPTIONS: '--max-old-space-size=128' }));
    procs.push(capped);
    await row('3m gateway read, V8 heap capped at 128 MB', 'gateway', {
      url: `${capped.url}/graphql`,
      method: 'POST',
      headers: gwHeaders,
      body: readQuery,
      pid: capped.pid,
    });
    capped.child.kill('SIGKILL');
  }

  const peak = rows.find((r) => r.name === '3 gateway read')?.rps;
  if (peak && wanted('half')) {
    const rate = Math.max(1, Math.floor(peak / 2));
    await row(`3b gateway read at half peak (${rate}/s)`, 'gateway', {
      url: `${gateway.url}/graphql`,
      method: 'POST',
      headers: gwHeaders,
      body: readQuery,
      pid: gateway.pid,
      rate,
    });
    await row(`1b direct validate at the same rate`, 'sandbox', {
      url: `${memory.url}/api/stamp/v1/validate?stampIdx=1000`,
      headers: apiHeaders,
      pid: memory.pid,
      rate,
    });
    // The machine's own tail moves within seconds (the direct call's p99 at this rate was 4.6–16.9 ms
    // between runs), so the two rows above, measured one after the other, carry it into their
    // difference. Here they take turns, 4 s each, seven times; the figure is the median turn's. The
    // minimal forwarder and yoga with the same upstream call take the same turns at the same rate: what
    // any process in the path, and the framework, add to the direct call's tail on this machine. Each
    // turn starts with 1 s at the rate, unmeasured: a process idle through the others' turns (12 s)
    // answers its first second slower (its first scavenge, cold caches); that is waking up, not this rate.
    process.stdout.write(
      'measuring: half peak, the gateway, the forwarder, yoga + upstream and the direct call in turns (7 × 1 + 4 s each) ... ',
    );
    const common = { connections: CONNECTIONS, seconds: 4, warmupSeconds: 1, rate };
    const json = { 'content-type': 'application/json' };
    const inTurns: Record<'gateway' | 'forwarder' | 'yoga', LoadSpec & { rate: number }> = {
      gateway: { ...common, url: `${gateway.url}/graphql`, method: 'POST', headers: gwHeaders, body: readQuery, pid: gateway.pid },
      forwarder: {
        ...common,
        url: forwarder.url,
        method: 'POST',
        headers: json,
        body: JSON.stringify({ stampIdx: 1000 }),
        pid: forwarder.pid,
      },
      yoga: { ...common, url: `${yogaUpstream.url}/graphql`, method: 'POST', headers: json, body: readQuery, pid: yogaUpstream.pid },
    };
    const direct: LoadSpec = { ...common, url: `${memory.url}/api/stamp/v1/validate?stampIdx=1000`, headers: apiHeaders, pid: memory.pid };
    // Warm, whatever rows ran before: a process's first seconds (its JIT) are not its tail.
    for (const spec of Object.values(inTurns)) await measure({ ...spec, rate: undefined, seconds: 2 });
    const added = { gateway: [] as number[], forwarder: [] as number[], yoga: [] as number[] };
    for (let i = 0; i < 7; i++) {
      const p99 = {} as Record<keyof typeof added | 'direct', number>;
      for (const [name, spec] of [...Object.entries(inTurns), ['direct', direct] as const]) {
        const one = await measure(spec);
        if (one.errors || one.non2xx || one.answersWithErrors > one.requests / 1000)
          throw new Error(`half peak in turns (${name}): errors`);
        p99[name as keyof typeof p99] = one.p99Ms;
      }
      for (const name of Object.keys(added) as (keyof typeof added)[]) added[name].push(p99[name] - p99.direct);
    }
    const tenth = (x: number) => Math.round(x * 10) / 10;
    const medianOf = (xs: number[]) => tenth(median(xs));
    extra.pairedAddedP99MsAtHalfPeak = medianOf(added.gateway);
    extra.pairedAddedP99MsAtHalfPeakLeast = tenth(Math.min(...added.gateway));
    extra.pairedAddedP99MsAtHalfPeakMost = tenth(Math.max(...added.gateway));
    extra.pairedForwarderAddedP99MsAtHalfPeak = medianOf(added.forwarder);
    extra.pairedYogaUpstreamAddedP99MsAtHalfPeak = medianOf(added.yoga);
    console.log(
      `p99 added by the gateway: ${extra.pairedAddedP99MsAtHalfPeak} ms (turns ${extra.pairedAddedP99MsAtHalfPeakLeast} to ${extra.pairedAddedP99MsAtHalfPeakMost}); ` +
        `by the forwarder ${extra.pairedForwarderAddedP99MsAtHalfPeak} ms, by yoga + upstream ${extra.pairedYogaUpstreamAddedP99MsAtHalfPeak} ms`,
    );
  }

  if (wanted('batch')) {
    await admin(memory.url, 'POST', '/faults', { endpoint: 'validate', action: { type: 'delay', ms: 20 }, times: 'always' });
    const batch = gql('query($ids: [Int!]!) { stamps(stampIdxs: $ids) { stampIdx stamps } }', { ids: ids.slice(0, 100) });
    await row('4 gateway batch of 100 (upstream +20 ms)', 'gateway', {
      url: `${gateway.url}/graphql`,
      method: 'POST',
      headers: gwHeaders,
      body: batch,
      pid: gateway.pid,
      connections: 1,
      warmupSeconds: 0,
    });
    // Batches alone (after the row's last request has drained), to count their upstream calls exactly
    // and time them: the median of five, one at a time.
    await new Promise((r) => setTimeout(r, 1500));
    const times: number[] = [];
    const calls: number[] = [];
    for (let i = 0; i < 5; i++) {
      const before = await admin(memory.url, 'GET', '/requests/total?endpoint=validate');
      const t0 = performance.now();
      const one = await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: gwHeaders, body: batch });
      const oneBody = (await one.json()) as { data?: { stamps: unknown[] }; errors?: unknown };
      times.push(performance.now() - t0);
      if (oneBody.errors || oneBody.data?.stamps.length !== 100) throw new Error(`batch failed: ${JSON.stringify(oneBody).slice(0, 300)}`);
      calls.push((await admin(memory.url, 'GET', '/requests/total?endpoint=validate')) - before);
      await new Promise((r) => setTimeout(r, 200));
    }
    times.sort((a, b) => a - b);
    extra.batchSingleMs = Math.round(times[2]!);
    // Every batch alone must make exactly 100: the most and the fewest any of the five made.
    extra.batchUpstreamCallsMax = Math.max(...calls);
    extra.batchUpstreamCallsMin = Math.min(...calls);
    extra.batchTargetMs = 1.3 * Math.ceil(100 / 32) * 20;
    await admin(memory.url, 'DELETE', '/faults');
  }

  if (wanted('write')) {
    const bodies = adjustBodies(ids);
    await row('5 gateway write: adjustStampCount', 'gateway', {
      url: `${gateway.url}/graphql`,
      method: 'POST',
      headers: gwHeaders,
      bodies,
      pid: gateway.pid,
      // The row measures a running gateway's writes, not its warm-up: the first mutation starts the
      // embedded store, whose WebAssembly V8 then recompiles function by function as it runs hot, for
      // ~20 s under this load (and the mutation path's JavaScript is optimized meanwhile).
      warmupSeconds: WRITE_WARMUP,
    });
  }

  if (wanted('mix')) {
    // A shop's day in one closed loop: 90% reads over a Zipf-skewed set of the 1,000 stamps, 10%
    // changes (addStamp, adjustStampCount -1), with the read cache on at its default.
    const { STAMP_READ_CACHE_TTL_MS: _off, ...cacheDefault } = gatewayEnv('mix-state');
    const mixed = await startGateway(cacheDefault);
    procs.push(mixed);
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const weights = ids.map((_, k) => 1 / (k + 1) ** 1.1);
    const total = weights.reduce((a, b) => a + b, 0);
    const zipf = () => {
      let r = random() * total;
      for (let k = 0; k < ids.length; k++) if ((r -= weights[k]!) <= 0) return ids[k]!;
      return ids[ids.length - 1]!;
    };
    const bodies = Array.from({ length: 2000 }, (_, n) => {
      const i = zipf();
      if (n % 20 === 0) return gql('mutation($i: Int!) { addStamp(input: {stampIdx: $i}) { stampIdx } }', { i });
      if (n % 20 === 10) return gql('mutation($i: Int!) { adjustStampCount(input: {stampIdx: $i, delta: -1}) { newStamps } }', { i });
      return gql('query($i: Int!) { stamp(stampIdx: $i) { stampIdx stamps maxStamps active user { id } } }', { i });
    });
    const before = (await admin(memory.url, 'GET', '/requests/total')) as number;
    await row('7 shop mix: 90% Zipf reads, 10% changes, cache on (default)', 'gateway', {
      url: `${mixed.url}/graphql`,
      method: 'POST',
      headers: gwHeaders,
      bodies,
      pid: mixed.pid,
      // A shop's refusals are answers (a full stamp, none to remove, a change of the same stamp still
      // running: CONFLICT); any other error fails the row.
      verifyBody: (body) => !body.includes('"errors"') || body.includes('"code":"CONFLICT"'),
    });
    const calls = ((await admin(memory.url, 'GET', '/requests/total')) as number) - before;
    const mixRow = rows.at(-1)!;
    // Requests sent: the measured seconds' and the warm-up's (calls are counted over both).
    extra.mixUpstreamCallsPer1000Requests = Math.round((calls / Math.max(1, (mixRow.requests * (SECONDS + WARMUP)) / SECONDS)) * 1000);
    mixed.child.kill('SIGKILL');
  }

  if (wanted('shop')) {
    // Minutes of wall time, so the three scenarios run side by side, each in processes of its own.
    console.log(`measuring: a shop chain's load, ${SHOP_MINUTES} min cold (webhooks off and on) and ${2 * SHOP_MINUTES} min warm ...`);
    shop.push(
      ...(await Promise.all([
        shopLoad({ name: '6a webhooks off (3 s TTL), cold', webhooks: false, warm: false, minutes: SHOP_MINUTES }),
        shopLoad({ name: '6b webhooks on (5 min TTL), cold', webhooks: true, warm: false, minutes: SHOP_MINUTES }),
        shopLoad({
          name: '6c webhooks on, every stamp confirmed before (steady state)',
          webhooks: true,
          warm: true,
          minutes: 2 * SHOP_MINUTES,
        }),
      ])),
    );
    const last = (r: ShopResult) => r.minutes.at(-1)!;
    for (const r of shop) extra[`shop ${r.name.slice(0, 2)} last minute answered %`] = last(r).answeredPercent;
    const steady = shop.find((r) => r.name.startsWith('6c'));
    if (steady) {
      extra.steadyReadsPerUpstreamCall = Math.round((1000 / Math.max(1, last(steady).upstreamCallsPer1000Reads)) * 10) / 10;
      extra.steadyStaleReadsAfter1s = steady.minutes.reduce((n, m) => n + m.staleAfter1s, 0);
    }
  }

  if (wanted('leak')) {
    // The target is about the heap: a gateway of its own with the inspector on loopback, so that the
    // benchmark can force a full GC and read what is left, after 10,000 and after 100,000 reads.
    process.stdout.write('measuring: heap after a forced GC, after 10,000 and 100,000 reads ... ');
    const inspected = await startProcess('dist/server.js', gatewayEnv('leak-state'), GATEWAY_READY, {
      nodeArgs: ['--inspect=127.0.0.1:0'],
      keepOutput: false,
      timeoutMs: 120_000,
    });
    procs.push({ child: inspected.child, url: inspected.ready, pid: inspected.child.pid! });
    const inspector = /Debugger listening on (ws:\/\/\S+)/.exec(inspected.output())?.[1];
    if (!inspector) throw new Error('leak: no inspector URL');
    const { runCount } = await import('./measure.js');
    const reads = (amount: number) =>
      runCount({
        url: `${inspected.ready}/graphql`,
        method: 'POST',
        headers: gwHeaders,
        body: readQuery,
        connections: CONNECTIONS,
        amount,
      });
    await reads(10_000);
    const heap10k = await heapAfterGc(inspector);
    const rss10k = rssBytes(inspected.child.pid!);
    await reads(90_000);
    const heap100k = await heapAfterGc(inspector);
    const rss100k = rssBytes(inspected.child.pid!);
    extra.heapAfterGcAt10kMb = Math.round((heap10k / 2 ** 20) * 10) / 10;
    extra.heapAfterGcAt100kMb = Math.round((heap100k / 2 ** 20) * 10) / 10;
    extra.heapGrowthPercent = Math.round(((heap100k - heap10k) / heap10k) * 1000) / 10;
    extra.rssAfter10kMb = Math.round(rss10k / 2 ** 20);
    extra.rssAfter100kMb = Math.round(rss100k / 2 ** 20);
    console.log(`${extra.heapAfterGcAt10kMb} MB, then ${extra.heapAfterGcAt100kMb} MB`);
    inspected.child.kill('SIGKILL');
  }
} finally {
  for (const p of procs) p.child.kill('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
}

const byName = (prefix: string) => rows.find((r) => r.name.startsWith(prefix));
const ratios: Record<string, number | undefined> = {
  gatewayOverForwarderThroughput: ratio(byName('3 ')?.rps, byName('2 ')?.rps),
  gatewayOverApolloThroughput: ratio(byName('3 ')?.rps, byName('2a')?.rps),
  gatewayOverApolloCpuPerRead: ratio(byName('3 ')?.cpuMicrosPerRequest, byName('2a')?.cpuMicrosPerRequest),
  gatewayOverApolloP99: ratio(byName('3 ')?.p99Ms, byName('2a')?.p99Ms),
  apolloCpuMicrosPerRead: byName('2a')?.cpuMicrosPerRequest,
  directOverGatewayThroughput: ratio(byName('1 ')?.rps, byName('3 ')?.rps),
  gatewayCpuMicrosPerRead: byName('3 ')?.cpuMicrosPerRequest,
  yogaFloorCpuMicrosPerRead: byName('3f')?.cpuMicrosPerRequest,
  gatewayCpuMicrosOverYoga:
    byName('3 ') && byName('3f') ? byName('3 ')!.cpuMicrosPerRequest - byName('3f')!.cpuMicrosPerRequest : undefined,
  smallestYogaGatewayOverForwarderThroughput: ratio(byName('3u')?.rps, byName('2 ')?.rps),
  gatewayOverSmallestYogaGatewayThroughput: ratio(byName('3 ')?.rps, byName('3u')?.rps),
  addedP99MsAtHalfPeak:
    byName('3b')?.p99Ms !== undefined && byName('1b') ? Math.round((byName('3b')!.p99Ms - byName('1b')!.p99Ms) * 10) / 10 : undefined,
  ...(extra as Record<string, number>),
};
/** Forces two full GCs in a process through its inspector and returns the heap left in use, in bytes. */
async function heapAfterGc(inspectorUrl: string): Promise<number> {
  const socket = new WebSocket(inspectorUrl);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  let next = 0;
  const call = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<any>((resolve, reject) => {
      const id = ++next;
      const onMessage = (data: WebSocket.RawData) => {
        const message = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: { message: string } };
        if (message.id !== id) return;
        socket.off('message', onMessage);
        if (message.error) reject(new Error(message.error.message));
        else resolve(message.result);
      };
      socket.on('message', onMessage);
      socket.send(JSON.stringify({ id, method, params }));
    });
  try {
    await call('HeapProfiler.collectGarbage');
    await call('HeapProfiler.collectGarbage');
    const evaluated = await call('Runtime.evaluate', { expression: 'process.memoryUsage().heapUsed', returnByValue: true });
    return evaluated.result.value as number;
  } finally {
    socket.close();
  }
}

function ratio(a?: number, b?: number) {
  return a !== undefined && b ? Math.round((a / b) * 100) / 100 : undefined;
}
const state = process.env.DATABASE_URL ? 'gateway state in PostgreSQL' : 'gateway state in embedded PGlite';
const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${state}`;
const header = ['row', 'req/s', 'p50 ms', 'p99 ms', 'CPU µs/req', 'peak RSS MB'];
const table = [header, ...rows.map((r) => [r.name, r.rps, r.p50Ms, r.p99Ms, r.cpuMicrosPerRequest, r.peakRssMb].map(String))];
const widths = header.map((_, i) => Math.max(...table.map((t) => t[i]!.length)));
const markdown = [
  `| ${header.join(' | ')} |`,
  `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
  ...table.slice(1).map((t) => `| ${t.join(' | ')} |`),
].join('\n');
const shopHeader = [
  'scenario',
  'minute',
  'reads',
  'answered %',
  'upstream calls / 1,000 reads',
  'oldest asOf served (s)',
  'stale > 1 s after an outside change',
];
const shopMarkdown = shop.length
  ? [
      `| ${shopHeader.join(' | ')} |`,
      `|${shopHeader.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
      ...shop.flatMap((r) =>
        r.minutes.map(
          (m) =>
            `| ${r.name} | ${m.minute} | ${m.reads} | ${m.answeredPercent} | ${m.upstreamCallsPer1000Reads} | ${m.oldestAsOfSeconds} | ${m.staleAfter1s} |`,
        ),
      ),
    ].join('\n')
  : '';
console.log(`\n${machine}; ${CONNECTIONS} connections, ${WARMUP} s warm-up (the write row ${WRITE_WARMUP} s), ${SECONDS} s measured\n`);
for (const t of table) console.log(t.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
if (shopMarkdown) console.log(`\nA shop chain's load (20 customer reads/s, Zipf 1.1 over 2,000 stamps, 180 calls/min):\n${shopMarkdown}`);

const at = new Date().toISOString();
console.log('\nratios and checks:');
for (const [k, v] of Object.entries(ratios)) if (v !== undefined) console.log(`  ${k}: ${v}`);
const ratioLines = Object.entries(ratios)
  .filter(([, v]) => v !== undefined)
  .map(([k, v]) => `- ${k}: ${v}`)
  .join('\n');
await writeFile(
  new URL('results.json', here),
  `${JSON.stringify({ at, machine, connections: CONNECTIONS, seconds: SECONDS, warmupSeconds: WARMUP, writeWarmupSeconds: WRITE_WARMUP, rows, shop, ratios }, null, 2)}\n`,
);
await writeFile(
  new URL('results.md', here),
  `Measured ${at.slice(0, 10)} on ${machine}; ${CONNECTIONS} connections, ${WARMUP} s warm-up (the write row ${WRITE_WARMUP} s), ${SECONDS} s per row.\n\n${markdown}\n\n${
    shopMarkdown
      ? `A shop chain's load: 20 customer reads a second, Zipf 1.1 over 2,000 stamps, 180 calls a minute, an outside change every 5 s (by webhook when on).\n\n${shopMarkdown}\n\n`
      : ''
  }${ratioLines}\n`,
);
await writeFile(new URL('chart.svg', here), chart(rows, `${machine} — ${at.slice(0, 10)}`));
console.log('\nwrote test/bench/results.json, results.md and chart.svg');

function chart(data: Row[], caption: string): string {
  const barH = 26;
  const left = 260;
  const width = 760;
  const max = Math.max(...data.map((d) => d.rps));
  const bars = data
    .map((d, i) => {
      const w = Math.max(2, ((width - left - 90) * d.rps) / max);
      const y = 40 + i * (barH + 10);
      return `<text x="${left - 8}" y="${y + 18}" text-anchor="end">${d.name}</text><rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${barH}" fill="#e10098"/><text x="${left + w + 6}" y="${y + 18}">${d.rps} req/s</text>`;
    })
    .join('\n');
  const height = 60 + data.length * (barH + 10);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="13">
<rect width="100%" height="100%" fill="white"/>
<text x="10" y="22" font-weight="bold">Requests per second (higher is better)</text>
${bars}
<text x="10" y="${height - 8}" font-size="11" fill="#555">${caption}</text>
</svg>
`;
}
