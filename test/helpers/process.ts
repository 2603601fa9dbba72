import { type ChildProcess, spawn } from 'node:child_process';

export interface Started {
  child: ChildProcess;
  /** The first capture group of the ready pattern. */
  ready: string;
  output: () => string;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface StartOptions {
  /** How long to wait for the ready line. @default 45000 */
  timeoutMs?: number;
  /** Node's arguments before the entry: tsx by default; `[]` runs compiled JavaScript. */
  nodeArgs?: string[];
  /**
   * Keep what the process prints after it is ready, for `output()`. A benchmark turns this off: a
   * gateway under load prints two lines per request.
   */
  keepOutput?: boolean;
}

/**
 * Runs an entry point and waits for its ready line: TypeScript through tsx as `npm start` does, or
 * with `nodeArgs: []` compiled JavaScript as `npm run start:prod` does.
 */
export function startProcess(
  entry: string,
  env: Record<string, string>,
  ready: RegExp,
  { timeoutMs = 45_000, nodeArgs = ['--import', 'tsx'], keepOutput = true }: StartOptions = {},
): Promise<Started> {
  const child = spawn(process.execPath, [...nodeArgs, entry], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${entry} printed no ready line within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    // Matched until ready, then only kept (or dropped): matching all the output again on every
    // chunk costs this process more with every line the child prints.
    const keep = (chunk: Buffer) => void (output += chunk);
    const untilReady = (chunk: Buffer) => {
      output += chunk;
      const m = ready.exec(output);
      if (!m) return;
      clearTimeout(timer);
      for (const stream of [child.stdout!, child.stderr!]) {
        stream.off('data', untilReady);
        if (keepOutput) stream.on('data', keep);
        else stream.resume();
      }
      resolve({
        child,
        ready: m[1] ?? m[0],
        output: () => output,
        stop: (signal = 'SIGTERM') => {
          if (child.exitCode === null) child.kill(signal);
          return exited;
        },
      });
    };
    child.stdout!.on('data', untilReady);
    child.stderr!.on('data', untilReady);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited with ${code} before it was ready:\n${output}`));
    });
  });
}

/** Runs a command-line tool (TypeScript through tsx, as `npm run` does) to its end. */
export function runTool(
  entry: string,
  args: string[],
  env: Record<string, string | undefined> = {},
  { timeoutMs = 60_000 } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => void (stdout += chunk));
  child.stderr!.on('data', (chunk: Buffer) => void (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}
