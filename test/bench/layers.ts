/**
 * `npm run bench:layers`: what each layer of the gateway costs per read, from CPU profiles. The
 * gateway (compiled, production, every feature on) and the smallest yoga gateway (yoga + the same
 * upstream call) each answer the benchmark's read under the same load with `--cpu-prof`; the samples
 * of the measured seconds are priced by layer (layers-of.ts) and divided by the reads answered. On a
 * 2-core machine whose speed drifts, one layer's share of a profile is steadier than rows that each
 * turn a layer off and compare throughputs a minute apart. The profiler adds its own few percent.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProcess, type Started } from '../helpers/process.js';
import { BENCH_HEADERS, benchGatewayEnv, GATEWAY_READY, READ_QUERY, startMemorySandbox, writeBenchKeys } from './bench-gateway.js';
import { type CpuProfile, LAYERS, type Layer, priceLayers } from './layers-of.js';
import { measure } from './measure.js';
import { KEY } from './sandbox-admin.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CONNECTIONS = 32;
const nowMicros = () => Number(process.hrtime.bigint() / 1000n);

interface Priced {
  reads: number;
  rps: number;
  total: number;
  byLayer: Map<Layer, number>;
}

/** Loads one process with the read, then stops it so that it writes its profile, and prices it. */
async function profileOf(started: Started, url: string, profileDir: string): Promise<Priced> {
  const spec = {
    url,
    method: 'POST' as const,
    headers: BENCH_HEADERS,
    body: READ_QUERY,
    connections: CONNECTIONS,
    pid: started.child.pid!,
  };
  let from: number;
  let to: number;
  let load: Awaited<ReturnType<typeof measure>>;
  try {
    await measure({ ...spec, seconds: WARMUP, warmupSeconds: 0 });
    from = nowMicros();
    load = await measure({ ...spec, seconds: SECONDS, warmupSeconds: 0 });
    to = nowMicros();
  } finally {
    // SIGINT: both servers end on it and write their profile as they exit.
    await started.stop('SIGINT');
  }
  if (load.errors || load.non2xx || load.answersWithErrors > load.requests / 1000)
    throw new Error(`${load.errors} errors, ${load.non2xx} non-2xx answers, ${load.answersWithErrors} with GraphQL errors under load`);
  const [file] = (await readdir(profileDir)).filter((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no CPU profile was written in ${profileDir}`);
  const profile = JSON.parse(await readFile(join(profileDir, file), 'utf8')) as CpuProfile;
  await rm(profileDir, { recursive: true, force: true });
  return { reads: load.requests, rps: load.rps, ...priceLayers(profile, from, to) };
}

const work = await mkdtemp(join(tmpdir(), 'bench-layers-'));
const sandbox = await startMemorySandbox();
try {
  await writeBenchKeys(work);
  const built = spawnSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('npm run build failed');
  const runs: Record<'gateway' | 'yoga', Priced[]> = { gateway: [], yoga: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const which of ['gateway', 'yoga'] as const) {
      const profileDir = join(work, `profile-${which}-${round}`);
      const profiling = ['--cpu-prof', '--cpu-prof-dir', profileDir];
      process.stdout.write(`round ${round + 1}: profiling ${which} ... `);
      const started =
        which === 'gateway'
          ? await startProcess('dist/modules/server.js', benchGatewayEnv(sandbox.ready, KEY, work, 'state'), GATEWAY_READY, {
              nodeArgs: profiling,
              keepOutput: false,
              timeoutMs: 120_000,
            })
          : await startProcess(
              'test/bench/yoga-floor.ts',
              { UPSTREAM_URL: sandbox.ready, UPSTREAM_KEY: KEY },
              /listening on (http:\/\/[\d.:]+)/,
              {
                nodeArgs: [...profiling, '--import', 'tsx'],
                keepOutput: false,
              },
            );
      const priced = await profileOf(started, `${started.ready}/graphql`, profileDir);
      runs[which].push(priced);
      console.log(`${priced.rps} req/s, ${Math.round(priced.total / priced.reads)} µs of CPU per read (profiled)`);
    }
  }

  const perRead = (priced: Priced[], layer?: Layer) =>
    priced.map((p) => (layer ? (p.byLayer.get(layer) ?? 0) : p.total) / p.reads).sort((a, b) => a - b);
  const range = (values: number[]) => {
    const lo = Math.round(values[0]!);
    const hi = Math.round(values.at(-1)!);
    return lo === hi ? String(lo) : `${lo}–${hi}`;
  };
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 10)}: ${ROUNDS} round(s), each ${SECONDS} s of reads at ${CONNECTIONS} connections after ${WARMUP} s of warm-up, per process, under \`--cpu-prof\`.`,
    '',
    '| layer | gateway µs/read | yoga + upstream µs/read | gateway share |',
    '|---|---:|---:|---:|',
  ];
  const gatewayTotal = perRead(runs.gateway);
  const middle = (values: number[]) => values[Math.floor(values.length / 2)]!;
  for (const layer of LAYERS) {
    const gw = perRead(runs.gateway, layer);
    const yo = perRead(runs.yoga, layer);
    const share = Math.round((middle(gw) / middle(gatewayTotal)) * 1000) / 10;
    lines.push(`| ${layer} | ${range(gw)} | ${range(yo)} | ${share}% |`);
  }
  lines.push(`| **total** | ${range(gatewayTotal)} | ${range(perRead(runs.yoga))} | 100% |`);
  lines.push(
    '',
    `Reads per second under the profiler: gateway ${runs.gateway.map((p) => p.rps).join(', ')}; yoga + upstream ${runs.yoga.map((p) => p.rps).join(', ')}.`,
  );
  const table = lines.join('\n');
  console.log(`\n${table}`);
  await writeFile(new URL('./layers.md', import.meta.url), `${table}\n`);
} finally {
  await sandbox.stop();
  await rm(work, { recursive: true, force: true });
}
