import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { type App, StartupError, startApp } from './app.js';
import { AuthConfigError } from './auth/authentication.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { createGateway } from './gateway.js';
import { createLogger, describeError, logDestination } from './logger.js';
import { attachWebSockets } from './websockets.js';

/** A start-up problem: one log line that says what to change, and exit 1. */
function fatal(log: Logger, message: string, detail: Record<string, unknown> = {}): never {
  log.fatal(detail, message);
  log.flush();
  process.exit(1);
}

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  const format = process.env.LOG_FORMAT === 'json' || process.env.LOG_FORMAT === 'pretty' ? process.env.LOG_FORMAT : 'auto';
  fatal(createLogger('info', logDestination(format, { sync: true })), error.message.replace(/\n\s*/g, ' '));
}
// Fatal lines are written at once; the rest asynchronously, off the hot path.
const fatalLog = createLogger(config.logLevel, logDestination(config.logFormat, { sync: true }));
const log = createLogger(config.logLevel, logDestination(config.logFormat));

let app: App;
try {
  app = await startApp(config, log);
} catch (error) {
  if (error instanceof AuthConfigError) fatal(fatalLog, `Invalid configuration: ${error.message}`);
  if (error instanceof StartupError) fatal(fatalLog, error.message);
  fatal(fatalLog, 'the gateway could not start', describeError(error, config.production));
}
const { yoga, handle } = createGateway(app.parts);
const server = createServer(handle);
try {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
} catch (error) {
  await app.close().catch(() => undefined);
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE')
    fatal(fatalLog, `PORT: ${config.host}:${config.port} is already in use; set PORT to a free port (or stop the other process)`);
  if (code === 'EACCES')
    fatal(fatalLog, `PORT: this process may not listen on ${config.host}:${config.port}; set PORT to a port above 1023`);
  fatal(fatalLog, `HOST, PORT: cannot listen on ${config.host}:${config.port} (${code ?? (error as Error).message})`);
}
// Subscriptions over WebSocket (graphql-ws) on the same port and path, once it listens; SSE needs nothing more.
const sockets = attachWebSockets(server, yoga, app.parts);
const { port } = server.address() as AddressInfo;
const shownHost = config.host === '0.0.0.0' ? 'localhost' : config.host;
app.listening(`http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`);

// /metrics and /ready on a port of their own, when asked: the GraphQL port then answers them 404.
let operatorServer: Server | undefined;
if (config.security.metricsPort !== undefined) {
  const operator = app.parts.operator;
  operatorServer = createServer((req, res) => {
    const answer = operator.answer(new URL(req.url ?? '/', 'http://operator').pathname, req.headers.authorization ?? null);
    if (!answer) return void res.writeHead(404).end();
    void answer.then((a) => res.writeHead(a.status, a.headers).end(a.body));
  });
  try {
    await new Promise<void>((resolve, reject) => {
      operatorServer!.once('error', reject);
      operatorServer!.listen(config.security.metricsPort, config.host, resolve);
    });
  } catch (error) {
    await app.close().catch(() => undefined);
    fatal(
      fatalLog,
      `METRICS_PORT: cannot listen on ${config.host}:${config.security.metricsPort} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); set METRICS_PORT to a free port`,
    );
  }
  log.info(`/metrics and /ready on http://${shownHost}:${(operatorServer.address() as AddressInfo).port}`);
} else if (config.production && !config.security.metricsToken) {
  log.warn('/metrics and /ready are open to anyone on the GraphQL port (quota left, operation names): set METRICS_TOKEN or METRICS_PORT');
}
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
    operatorServer?.close();
    void sockets.close();
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
