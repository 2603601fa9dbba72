import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import sonicBoom from 'sonic-boom';
import type { YogaLogger } from 'graphql-yoga';

export type LogFormat = 'auto' | 'json' | 'pretty';

/** Where log lines go: JSON on stdout, or pino-pretty's readable lines (LOG_FORMAT=pretty, or auto in a terminal). */
export function logDestination(format: LogFormat, { sync = false, isTTY = Boolean(process.stdout.isTTY) } = {}): DestinationStream {
  if (format === 'pretty' || (format === 'auto' && isTTY)) {
    return pretty({ destination: 1, sync, colorize: isTTY, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' });
  }
  return sync ? pino.destination({ dest: 1, sync }) : bufferedStdout();
}

/**
 * stdout for pino's lines, gathered up to 4 KiB and written together, or after at most 100 ms: one
 * write for a dozen lines instead of one each under load (a write per line was a visible share of a
 * read's CPU: see the README's benchmark). sonic-boom in its buffer mode, each line handed over as a
 * Buffer: in its text mode it measures its growing buffer with Buffer.byteLength at every line, which
 * copies the whole buffer each time. Lines still buffered when the process exits are written then,
 * synchronously (as pino does for its own destination); shutdown flushes first.
 */
function bufferedStdout(): DestinationStream & { flush(cb: (error?: Error) => void): void } {
  const boom = new sonicBoom.SonicBoom({ fd: 1, sync: false, minLength: 4096, periodicFlush: 100, contentMode: 'buffer' });
  let open = true;
  // A reader gone (EPIPE) ends the log, as in pino's own destination; the gateway goes on.
  boom.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') open = false;
  });
  process.once('exit', () => {
    if (open) boom.flushSync();
  });
  return {
    write: (line: string) => {
      if (open) boom.write(Buffer.from(line) as unknown as string);
    },
    flush: (cb) => boom.flush(cb),
  };
}

/**
 * The gateway's log: pino JSON lines on stdout, written asynchronously (a synchronous write per line
 * cost the hot path more than the rest of a read, measured with npm run bench). Flush on shutdown.
 */
export function createLogger(level: string, destination: DestinationStream = bufferedStdout()): Logger {
  return pino({ level, base: { service: 'stamp-gateway' } }, destination);
}

/** What may be said about an error in a log line: its kind and message; its stack only outside production. */
export function describeError(error: unknown, production: boolean): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: String(error).slice(0, 200) };
  return { error: error.name, message: error.message.slice(0, 500), ...(production ? {} : { stack: error.stack }) };
}

/** yoga's own logging through pino: the same JSON lines on stdout, never a stack trace in production. */
export function yogaLogger(log: Logger, production: boolean): YogaLogger {
  const line =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...args: unknown[]) => {
      const error = args.find((a) => a instanceof Error);
      const text = args.filter((a) => typeof a === 'string').join(' ');
      log[level]({ source: 'yoga', ...(error ? describeError(error, production) : {}) }, text || 'yoga');
    };
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}
