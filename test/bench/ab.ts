/**
 * Two builds of the gateway side by side, for a change's effect on a read:
 * `npx tsx test/bench/ab.ts DIR_A DIR_B [turns]`, each DIR a checkout with its node_modules and
 * `npm run build` done (e.g. `git worktree add /tmp/a REV`). Both run at once on one sandbox and are
 * loaded in turns (3 s each), so both meet the same moments of this machine; it prints each turn and
 * the median of B's CPU per read over A's.
 */
import { join } from 'node:path';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { startProcess } from '../helpers/process.js';
import { measure } from './measure.js';
import { KEY } from './sandbox-admin.js';

const [dirA, dirB, turnsArg] = process.argv.slice(2);
if (!dirA || !dirB) {
  console.error('usage: npx tsx test/bench/ab.ts DIR_A DIR_B [turns]');
  process.exit(2);
}
const turns = Number(turnsArg ?? 10);
const TOKEN = 'bench-caller-key-0123456789';
const READY = /ready: (http:\/\/[^\s/]+)\/graphql/;

const dataDir = await mkdtemp(join(tmpdir(), 'bench-ab-'));
const sandbox = await startProcess(
  'src/sandbox/main.ts',
  { SANDBOX_PORT: '0', SANDBOX_API_KEY: KEY, SANDBOX_STORAGE: 'memory' },
  /listening on (http:\/\/[\d.:]+)[\s\S]*API key/,
  { keepOutput: false },
);
const started = [sandbox];
try {
  await writeFile(join(dataDir, 'keys.json'), JSON.stringify([{ name: 'bench', key: TOKEN, scopes: ['stamps:read'] }]));
  const gateway = async (dir: string, name: string) => {
    const env = {
      PORT: '0',
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      STAMP_API_URL: sandbox.ready,
      STAMP_API_KEY: KEY,
      GATEWAY_API_KEYS_FILE: join(dataDir, 'keys.json'),
      DATA_DIR: join(dataDir, name),
      STAMP_API_RATE_PER_MINUTE: '1000000',
      STAMP_API_RATE_PER_HOUR: '60000000',
      STAMP_READ_CACHE_TTL_MS: '0',
      NODE_OPTIONS: '',
    };
    const one = await startProcess(join(dir, 'dist/server.js'), env, READY, { nodeArgs: [], keepOutput: false, timeoutMs: 120_000 });
    started.push(one);
    return one;
  };
  const a = await gateway(dirA, 'a');
  const b = await gateway(dirB, 'b');
  const body = JSON.stringify({
    query: 'query($i: Int!) { stamp(stampIdx: $i) { stampIdx stamps maxStamps active user { id } } }',
    variables: { i: 1000 },
  });
  const load = (url: string, pid: number, seconds: number) =>
    measure({
      url: `${url}/graphql`,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body,
      pid,
      connections: 32,
      seconds,
      warmupSeconds: 0,
    });
  await load(a.ready, a.child.pid!, 3);
  await load(b.ready, b.child.pid!, 3);
  const ratios: number[] = [];
  for (let i = 0; i < turns; i++) {
    const ra = await load(a.ready, a.child.pid!, 3);
    const rb = await load(b.ready, b.child.pid!, 3);
    ratios.push(rb.cpuMicrosPerRequest / ra.cpuMicrosPerRequest);
    console.log(
      `turn ${i + 1}: A ${ra.cpuMicrosPerRequest} µs ${ra.rps}/s, B ${rb.cpuMicrosPerRequest} µs ${rb.rps}/s, B/A ${ratios.at(-1)!.toFixed(3)}`,
    );
  }
  const median = [...ratios].sort((x, y) => x - y)[Math.floor(ratios.length / 2)]!;
  console.log(`median B/A CPU per read: ${median.toFixed(3)} (${turns} turns)`);
} finally {
  for (const p of started) await p.stop('SIGKILL').catch(() => undefined);
  await rm(dataDir, { recursive: true, force: true });
}
