import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startApp } from './app.js';
import { AuthConfigError } from './auth/authentication.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { createGateway } from './gateway.js';
import { createLogger } from './logger.js';

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
const log = createLogger(config.logLevel);

let app;
try {
  app = await startApp(config, log);
} catch (error) {
  if (!(error instanceof AuthConfigError)) throw error;
  console.error(`Invalid configuration:\n  ${error.message}`);
  process.exit(1);
}
const server = createServer(createGateway(app.parts));
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
      void app.close().then(() => {
        log.info('stopped');
        log.flush(() => process.exit(0));
      });
    });
    // Keep-alive connections are closed as they go idle; http.Server does not do it once closing.
    server.closeIdleConnections();
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    idle.unref();
  });
}
