/** The gateway as the benchmark runs it: one caller with every scope, limits above the load, read cache off. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Started, startProcess } from '../helpers/process.js';
import { KEY } from './sandbox-admin.js';

export const BENCH_TOKEN = 'bench-caller-key-0123456789';

/** Writes the benchmark caller's key file into `dataDir`. */
export async function writeBenchKeys(dataDir: string): Promise<void> {
  await writeFile(
    join(dataDir, 'keys.json'),
    JSON.stringify([{ name: 'bench', key: BENCH_TOKEN, scopes: ['stamps:read', 'stamps:write', 'stamps:redeem', 'stamps:admin'] }]),
  );
}

/**
 * The environment of a gateway under load: production mode, logs on, the stamp API at `upstreamUrl`,
 * its state in `dataDir/name`, every rate limit far above what the benchmark sends, the read cache off.
 */
export function benchGatewayEnv(upstreamUrl: string, apiKey: string, dataDir: string, name: string, extra: Record<string, string> = {}) {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    STAMP_API_URL: upstreamUrl,
    STAMP_API_KEY: apiKey,
    GATEWAY_API_KEYS_FILE: join(dataDir, 'keys.json'),
    DATA_DIR: join(dataDir, name),
    MUTATIONS_PER_MINUTE: '1000000',
    STAMP_MUTATIONS_PER_MINUTE: '1000000',
    STAMP_API_RATE_PER_MINUTE: '1000000',
    STAMP_API_RATE_PER_HOUR: '60000000',
    STAMP_READ_CACHE_TTL_MS: '0',
    NODE_OPTIONS: '',
    ...extra,
  };
}

/** The gateway's line once it answers, with its address. */
export const GATEWAY_READY = /ready: (http:\/\/[^\s/]+)\/graphql/;

/** The benchmark caller's request headers. */
export const BENCH_HEADERS = { 'content-type': 'application/json', authorization: `Bearer ${BENCH_TOKEN}` };

/** The read every throughput row sends: one stamp with its user. */
export const READ_QUERY = JSON.stringify({
  query: 'query($i: Int!) { stamp(stampIdx: $i) { stampIdx stamps maxStamps active user { id } } }',
  variables: { i: 1000 },
});

/** The sandbox with its state in memory, as the upstream of a benchmark. */
export function startMemorySandbox(): Promise<Started> {
  return startProcess(
    'src/sandbox/main.ts',
    { SANDBOX_PORT: '0', SANDBOX_API_KEY: KEY, SANDBOX_STORAGE: 'memory' },
    /listening on (http:\/\/[\d.:]+)[\s\S]*API key/,
    { keepOutput: false, timeoutMs: 120_000 },
  );
}
