import { join } from 'node:path';
import { createSandbox, DEFAULT_SANDBOX_API_KEY } from './server.js';

// `npm run sandbox`: the local stamp API on its own, for front-end teams and manual exploration.
const port = Number(process.env.SANDBOX_PORT ?? 4010);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`SANDBOX_PORT must be a port number, got "${process.env.SANDBOX_PORT}"`);
  process.exit(1);
}
const key = process.env.SANDBOX_API_KEY || DEFAULT_SANDBOX_API_KEY;
// SANDBOX_STORAGE=memory keeps nothing on disk (benchmarks, throwaway runs).
const inMemory = process.env.SANDBOX_STORAGE === 'memory';
const dataDir = inMemory ? null : join(process.env.DATA_DIR || '.data', 'sandbox');
const perMinute = Number(process.env.SANDBOX_RATE_PER_MINUTE ?? 0);

const sandbox = await createSandbox({
  port,
  host: process.env.SANDBOX_HOST ?? '127.0.0.1',
  dataDir,
  apiKeys: [{ key, plan: 'premium' }],
  rateLimit: perMinute > 0 ? { perMinute, perHour: perMinute * 10 } : null,
});
console.log(`Stamp API sandbox listening on ${sandbox.url} (${dataDir ? `state in ${dataDir}` : 'in memory'})`);
console.log(
  key === DEFAULT_SANDBOX_API_KEY
    ? `API key: ${key}   e.g. curl -A my-app -H 'Authorization: APIKey ${key}' '${sandbox.url}/api/stamp/v1/validate?stampIdx=1000'`
    : 'API key: the value of SANDBOX_API_KEY',
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void sandbox.close().then(() => process.exit(0));
  });
}
