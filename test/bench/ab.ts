/**
 * Two builds of the gateway side by side, for a change's effect on a read (or, with `--write`, on the
 * write row's `adjustStampCount` over 1,000 stamps):
 * `npx tsx test/bench/ab.ts DIR_A DIR_B [turns] [--write]`, each DIR a checkout with its node_modules
 * and `npm run build` done (e.g. `git worktree add /tmp/a REV`). Both run at once on one sandbox and are
 * loaded in turns (3 s each, A and B going first in turn, after a warm-up of 3 s each, 20 s for writes),
 * so both meet the same moments of this machine; it prints each turn and the medians of B's CPU per
 * request and throughput over A's. With `DATABASE_URL` set, both keep their state in that PostgreSQL
 * database (and share its fleet budget) instead of PGlite. `AB_NODE_ARGS_A` and `AB_NODE_ARGS_B` give
 * either side node flags (space-separated), e.g. one build with and without a V8 flag the gateway sets.
 * Each side's peak RSS over all its turns is printed at the end.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProcess } from '../helpers/process.js';
import { BENCH_HEADERS, benchGatewayEnv, GATEWAY_READY, READ_QUERY, startMemorySandbox, writeBenchKeys } from './bench-gateway.js';
import { measure } from './measure.js';
import { adjustBodies, createBenchStamps, KEY } from './sandbox-admin.js';

const write = process.argv.includes('--write');
const [dirA, dirB, turnsArg] = process.argv.slice(2).filter((arg) => arg !== '--write');
if (!dirA || !dirB) {
  console.error('usage: npx tsx test/bench/ab.ts DIR_A DIR_B [turns] [--write]');
  process.exit(2);
}
const turns = Number(turnsArg ?? 10);

const dataDir = await mkdtemp(join(tmpdir(), 'bench-ab-'));
const sandbox = await startMemorySandbox();
const started = [sandbox];
try {
  await writeBenchKeys(dataDir);
  const bodies = write ? { bodies: adjustBodies(await createBenchStamps(sandbox.ready)) } : { body: READ_QUERY };
  const nodeArgsOf = (name: string) => (process.env[`AB_NODE_ARGS_${name.toUpperCase()}`] ?? '').split(' ').filter(Boolean);
  const gateway = async (dir: string, name: string) => {
    const env = benchGatewayEnv(
      sandbox.ready,
      KEY,
      dataDir,
      name,
      process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {},
    );
    const one = await startProcess(join(dir, 'dist/server.js'), env, GATEWAY_READY, {
      nodeArgs: nodeArgsOf(name),
      keepOutput: false,
      timeoutMs: 120_000,
    });
    started.push(one);
    return one;
  };
  const a = await gateway(dirA, 'a');
  const b = await gateway(dirB, 'b');
  const load = (url: string, pid: number, seconds: number) =>
    measure({
      url: `${url}/graphql`,
      method: 'POST',
      headers: BENCH_HEADERS,
      ...bodies,
      pid,
      connections: 32,
      seconds,
      warmupSeconds: 0,
    });
  // Warm-up. Writes start the embedded store, whose WebAssembly V8 recompiles as it runs hot for ~20 s.
  const warmup = write ? 20 : 3;
  await load(a.ready, a.child.pid!, warmup);
  await load(b.ready, b.child.pid!, warmup);
  const peakRss = { a: 0, b: 0 };
  const cpu: number[] = [];
  const throughput: number[] = [];
  for (let i = 0; i < turns; i++) {
    // A first in one turn, B first in the next: the second of a pair measured ~6% more CPU per request
    // here (two builds gave B/A 1.06 one way round and 1.07 the other).
    const first = i % 2 === 0 ? a : b;
    const second = first === a ? b : a;
    const r1 = await load(first.ready, first.child.pid!, 3);
    const r2 = await load(second.ready, second.child.pid!, 3);
    const [ra, rb] = first === a ? [r1, r2] : [r2, r1];
    if (ra.errors || rb.errors || ra.non2xx || rb.non2xx || ra.answersWithErrors || rb.answersWithErrors)
      throw new Error(`turn ${i + 1}: errors (A ${JSON.stringify(ra)}, B ${JSON.stringify(rb)})`);
    peakRss.a = Math.max(peakRss.a, ra.peakRssMb);
    peakRss.b = Math.max(peakRss.b, rb.peakRssMb);
    cpu.push(rb.cpuMicrosPerRequest / ra.cpuMicrosPerRequest);
    throughput.push(rb.rps / ra.rps);
    console.log(
      `turn ${i + 1}: A ${ra.cpuMicrosPerRequest} µs ${ra.rps}/s, B ${rb.cpuMicrosPerRequest} µs ${rb.rps}/s, B/A CPU ${cpu.at(-1)!.toFixed(3)}`,
    );
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!.toFixed(3);
  const what = write ? 'write' : 'read';
  console.log(
    `median B/A CPU per ${what}: ${median(cpu)}, throughput: ${median(throughput)} (${turns} turns); peak RSS A ${peakRss.a} MB, B ${peakRss.b} MB`,
  );
} finally {
  for (const p of started) await p.stop('SIGKILL').catch(() => undefined);
  await rm(dataDir, { recursive: true, force: true });
}
