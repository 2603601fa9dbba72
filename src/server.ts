import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import pino from 'pino';
import { ConfigError, loadConfig } from './config.js';
import { AuthConfigError, Authenticator } from './auth/callers.js';
import { createGateway } from './gateway.js';
import { recoverReissues } from './safety/reissue.js';
import { GatewayStore } from './store/store.js';
import { createUpstreamClient } from './upstream/client.js';
import { StampApi } from './upstream/stamps.js';
import { createSandbox, DEFAULT_SANDBOX_API_KEY, type Sandbox } from './sandbox/server.js';

let config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
// Asynchronous writes: a synchronous write per log line costs the hot path more than the
// rest of a read (measured with npm run bench). Flushed on shutdown.
const logDestination = pino.destination({ dest: 1, sync: false });
const log = pino({ level: config.logLevel, base: { service: 'stamp-gateway' } }, logDestination);

let sandbox: Sandbox | undefined;
if (config.mode === 'sandbox') {
  const sandboxOptions = { host: '127.0.0.1', dataDir: join(config.dataDir, 'sandbox'), apiKeys: [{ key: DEFAULT_SANDBOX_API_KEY, plan: 'premium' as const }] };
  const wanted = Number(process.env.SANDBOX_PORT ?? 4010);
  sandbox = await createSandbox({ ...sandboxOptions, port: wanted }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE') throw error;
    log.warn(`port ${wanted} is taken; the sandbox takes a free one`);
    return createSandbox({ ...sandboxOptions, port: 0 });
  });
  config.upstream.url = sandbox.url;
  config.upstream.apiKey = sandbox.apiKey;
  log.info({ sandboxUrl: sandbox.url }, `sandbox mode: no STAMP_API_KEY, so the embedded stamp API sandbox serves at ${sandbox.url} (state in ${join(config.dataDir, 'sandbox')})`);
} else {
  log.info({ upstreamUrl: config.upstream.url }, `upstream mode: calling the stamp API at ${config.upstream.url}`);
}

const store = await GatewayStore.open({ databaseUrl: config.databaseUrl, schema: config.databaseSchema, dataDir: config.dataDir });
log.info(store.engine === 'postgres' ? 'gateway state in PostgreSQL (DATABASE_URL)' : `gateway state in embedded PGlite under ${join(config.dataDir, 'gateway')}`);
const upstream = { baseUrl: config.upstream.url, ...config.upstream };
let auth: Authenticator;
try {
  auth = await Authenticator.create(config.auth);
} catch (error) {
  if (!(error instanceof AuthConfigError)) throw error;
  console.error(`Invalid configuration:\n  ${error.message}`);
  process.exit(1);
}
if (config.auth.mode === 'off') log.warn('GATEWAY_AUTH=off: every request acts as an administrator. Never expose this gateway.');
if (config.auth.mode === 'local-admin') {
  log.warn('NO CALLERS CONFIGURED: sandbox mode, so requests without a token act as a LOCAL ADMINISTRATOR. Configure GATEWAY_API_KEYS_FILE or JWT_* before exposing this gateway.');
}
const yoga = createGateway({
  upstream,
  store,
  auth,
  security: config.security,
  resilience: config.resilience,
  logger: log,
  readyChecks: sandbox
    ? {
        sandbox: async () => {
          const res = await fetch(`${sandbox!.url}/health`);
          if (!res.ok) throw new Error(`the embedded sandbox answered ${res.status}`);
        },
      }
    : {},
});
// Idempotency keys live 24 h; a key never reused would otherwise stay forever.
const sweepKeys = () =>
  store.deleteExpiredKeys().then(
    (n) => n && log.info({ deleted: n }, 'expired idempotency keys removed'),
    (error: Error) => log.warn({ error: error.message }, 'could not remove expired idempotency keys'),
  );
await sweepKeys();
setInterval(() => void sweepKeys(), 3_600_000).unref();
const recovered = await recoverReissues(store, new StampApi(createUpstreamClient(upstream), 'start-up-recovery'), upstream.timeoutMs * 6 + 5_000);
if (recovered.parked || recovered.finished) {
  log.warn(recovered, 'redeem-and-reissue operations left by a stopped gateway: finished the safe ones, parked the ambiguous ones for an operator');
}
const server = createServer(yoga);
await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
const { port } = server.address() as AddressInfo;
const shownHost = config.host === '0.0.0.0' ? 'localhost' : config.host;
log.info(`Stamp Gateway ready: http://${shownHost}:${port}/graphql${config.production ? '' : ' (GraphiQL in a browser)'}`);

// Graceful shutdown: stop accepting, let in-flight requests finish within a bound, close the database.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log.info({ signal, timeoutMs: config.shutdownTimeoutMs }, 'shutting down: no new connections, finishing in-flight requests');
    const force = setTimeout(() => {
      log.warn('shutdown timeout: closing the connections still open');
      server.closeAllConnections();
    }, config.shutdownTimeoutMs);
    force.unref();
    server.close(() => {
      void Promise.all([store.close(), sandbox?.close()]).then(() => {
        log.info('stopped');
        logDestination.flushSync();
        process.exit(0);
      });
    });
    server.closeIdleConnections();
    // Keep-alive connections that become idle after answering are closed as they go idle.
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    idle.unref();
  });
}
