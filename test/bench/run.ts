/**
 * `npm run bench`: throughput, latency, CPU and memory, each row measured for a fixed time after a
 * warm-up, with the load generator, the sandbox and the measured process as separate processes.
 * Absolute figures move ±10% between runs on a shared 2-core machine; compare ratios within one run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { measure, type LoadResult, type LoadSpec } from './measure.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const KEY = 'sandbox-dev-key';
const UA = 'StampGatewayBench/1.0';
const here = new URL('.', import.meta.url);

interface Proc {
  child: ChildProcess;
  url: string;
  pid: number;
}

function start(entry: string, env: Record<string, string>, ready: RegExp): Promise<Proc> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d;
      const m = ready.exec(out);
      if (m) resolve({ child, url: m[1]!, pid: child.pid! });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${entry} exited (${code}):\n${out}`)));
  });
}

const startSandbox = (env: Record<string, string>) =>
  start('src/sandbox/main.ts', { SANDBOX_PORT: '0', SANDBOX_API_KEY: KEY, ...env }, /listening on (http:\/\/[\d.:]+)[\s\S]*API key/);

interface Row extends LoadResult {
  name: string;
  process: string;
}

const rows: Row[] = [];
async function row(name: string, processName: string, spec: Omit<LoadSpec, 'connections' | 'seconds' | 'warmupSeconds'> & Partial<LoadSpec>) {
  process.stdout.write(`measuring: ${name} ... `);
  const result = await measure({ connections: CONNECTIONS, seconds: SECONDS, warmupSeconds: WARMUP, ...spec });
  if (result.errors || result.non2xx) throw new Error(`${name}: ${result.errors} errors, ${result.non2xx} non-2xx answers`);
  rows.push({ name, process: processName, ...result });
  console.log(`${result.rps} req/s`);
}

const apiHeaders = { authorization: `APIKey ${KEY}`, 'user-agent': UA, 'content-type': 'application/json' };

const memory = await startSandbox({ SANDBOX_STORAGE: 'memory' });
const dataDir = await mkdtemp(join(tmpdir(), 'bench-'));
const persisted = await startSandbox({ DATA_DIR: dataDir });
try {
  await row('sandbox validate (in memory)', 'sandbox', { url: `${memory.url}/api/stamp/v1/validate?stampIdx=1000`, headers: apiHeaders, pid: memory.pid });
  const counts = Array.from({ length: 10 }, (_, i) => JSON.stringify({ stampIdx: 1000, stamps: i }));
  await row('sandbox update (in memory)', 'sandbox', { url: `${memory.url}/api/stamp/v1/update`, method: 'PUT', headers: apiHeaders, bodies: counts, pid: memory.pid });
  await row('sandbox update (PGlite on disk)', 'sandbox', { url: `${persisted.url}/api/stamp/v1/update`, method: 'PUT', headers: apiHeaders, bodies: counts, pid: persisted.pid });
} finally {
  memory.child.kill('SIGKILL');
  persisted.child.kill('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
}

const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const header = ['row', 'req/s', 'p50 ms', 'p99 ms', 'CPU µs/req', 'peak RSS MB'];
const table = [header, ...rows.map((r) => [r.name, r.rps, r.p50Ms, r.p99Ms, r.cpuMicrosPerRequest, r.peakRssMb].map(String))];
const widths = header.map((_, i) => Math.max(...table.map((t) => t[i]!.length)));
const markdown = [
  `| ${header.join(' | ')} |`,
  `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
  ...table.slice(1).map((t) => `| ${t.join(' | ')} |`),
].join('\n');
console.log(`\n${machine}; ${CONNECTIONS} connections, ${WARMUP} s warm-up, ${SECONDS} s measured\n`);
for (const t of table) console.log(t.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));

const at = new Date().toISOString();
await writeFile(new URL('results.json', here), `${JSON.stringify({ at, machine, connections: CONNECTIONS, seconds: SECONDS, warmupSeconds: WARMUP, rows }, null, 2)}\n`);
await writeFile(new URL('results.md', here), `Measured ${at.slice(0, 10)} on ${machine}; ${CONNECTIONS} connections.\n\n${markdown}\n`);
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
