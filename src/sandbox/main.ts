import { join } from 'node:path';
import pino from 'pino';
import { createSandbox, DEFAULT_SANDBOX_API_KEY } from './server.js';

// `npm run sandbox`: the local stamp API on its own, for front-end teams and manual exploration.
// It logs as the gateway does: pino JSON lines on stdout.
const log = pino({ base: { service: 'stamp-sandbox' } }, pino.destination({ dest: 1, sync: true }));
const fatal = (message: string) => {
  log.fatal(message);
  process.exit(1);
};

const port = Number(process.env.SANDBOX_PORT ?? 4010);
if (!Number.isInteger(port) || port < 0 || port > 65535) fatal('SANDBOX_PORT: must be a port number (0 to 65535)');
const key = process.env.SANDBOX_API_KEY || DEFAULT_SANDBOX_API_KEY;
// SANDBOX_STORAGE=memory keeps nothing on disk (benchmarks, throwaway runs).
const inMemory = process.env.SANDBOX_STORAGE === 'memory';
const dataDir = inMemory ? null : join(process.env.DATA_DIR || '.data', 'sandbox');
const perMinute = Number(process.env.SANDBOX_RATE_PER_MINUTE ?? 0);
// Webhooks, as the stamp service sends them, to a gateway's POST /webhooks/vivoldi.
const webhookUrl = process.env.SANDBOX_WEBHOOK_URL || undefined;
const webhookSecret = process.env.SANDBOX_WEBHOOK_SECRET || undefined;
const signedPayload = process.env.SANDBOX_WEBHOOK_SIGNED_PAYLOAD || 'timestamp.body';
if (Boolean(webhookUrl) !== Boolean(webhookSecret)) fatal('SANDBOX_WEBHOOK_URL, SANDBOX_WEBHOOK_SECRET: give both, or neither');
if (webhookUrl && !/^https?:\/\/\S+$/.test(webhookUrl)) fatal('SANDBOX_WEBHOOK_URL: must be an http(s) URL');
if (signedPayload !== 'timestamp.body' && signedPayload !== 'body') fatal('SANDBOX_WEBHOOK_SIGNED_PAYLOAD: must be timestamp.body or body');

let sandbox: Awaited<ReturnType<typeof createSandbox>>;
try {
  sandbox = await createSandbox({
    port,
    host: process.env.SANDBOX_HOST ?? '127.0.0.1',
    dataDir,
    apiKeys: [{ key, plan: 'premium' }],
    rateLimit: perMinute > 0 ? { perMinute, perHour: perMinute * 10 } : null,
    log: (message, detail) => log.error(detail, message),
    webhooks: { url: webhookUrl, secret: webhookSecret, signedPayload: signedPayload as 'timestamp.body' | 'body' },
  });
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') fatal(`SANDBOX_PORT: port ${port} is already in use; set SANDBOX_PORT to a free port`);
  fatal((error as Error).name === 'DataDirError' ? (error as Error).message : `the sandbox could not start (${(error as Error).message})`);
}
log.info({ url: sandbox!.url }, `Stamp API sandbox listening on ${sandbox!.url} (${dataDir ? `state in ${dataDir}` : 'in memory'})`);
if (webhookUrl) log.info({ webhookUrl }, `webhooks for add, remove and redeem go to ${webhookUrl}`);
// The development key is public (it is in the README); any other key is never logged.
log.info(
  key === DEFAULT_SANDBOX_API_KEY
    ? `API key: ${key}   e.g. curl -A my-app -H 'Authorization: APIKey ${key}' '${sandbox!.url}/api/stamp/v1/validate?stampIdx=1000'`
    : 'API key: the value of SANDBOX_API_KEY',
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void sandbox!.close().then(() => process.exit(0));
  });
}
