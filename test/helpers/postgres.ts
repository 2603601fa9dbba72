import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throwaway PostgreSQL cluster of a test's own, which the test may stop, start, freeze and lock as
 * an operator's bad day would (see notes: PostgreSQL on these machines). Needs Debian's postgresql
 * and root (initdb runs as the postgres user); `available` says whether this machine can.
 */
export interface Cluster {
  url: string;
  port: number;
  /** `immediate` is a crash or failover; `fast` a clean stop. */
  stop(mode?: 'immediate' | 'fast'): void;
  start(): void;
  /** SIGSTOP the postmaster and its children: sockets stay open, nothing answers. */
  freeze(): void;
  thaw(): void;
  /** Holds an ACCESS EXCLUSIVE lock on `table` from another session for `seconds`; resolves when it is taken. */
  lockTable(table: string, seconds: number, schema?: string): Promise<void>;
  destroy(): void;
}

const bin = (() => {
  try {
    const dir = '/usr/lib/postgresql';
    const version = readdirSync(dir)
      .sort((a, b) => Number(a) - Number(b))
      .at(-1);
    return version ? join(dir, version, 'bin') : undefined;
  } catch {
    return undefined;
  }
})();

export const clusterAvailable = Boolean(bin && existsSync(join(bin!, 'initdb')) && process.getuid?.() === 0);
if (!clusterAvailable) console.warn("PostgreSQL fault tests skipped: they need Debian's postgresql and root (.ci/run has both)");

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const asPostgres = (command: string) => execFileSync('su', ['postgres', '-c', command], { stdio: ['ignore', 'ignore', 'pipe'] });

export async function startCluster(): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), 'pg-fault-'));
  chownSync(
    dir,
    Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
    Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
  );
  const port = await freePort();
  const data = join(dir, 'data');
  asPostgres(`${bin}/initdb -D ${data} -A trust -U postgres >/dev/null`);
  const start = () => asPostgres(`${bin}/pg_ctl -D ${data} -o '-p ${port} -k ${dir} -c listen_addresses=127.0.0.1' -l ${dir}/log -w start`);
  start();
  execFileSync(`${bin}/psql`, ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-qc', 'create database gateway']);
  const pids = () => {
    const postmaster = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const children = execFileSync('pgrep', ['-P', String(postmaster)])
      .toString()
      .trim()
      .split('\n')
      .filter(Boolean)
      .map(Number);
    return [postmaster, ...children];
  };
  let frozen: number[] = [];
  const thaw = () => {
    for (const pid of frozen) process.kill(pid, 'SIGCONT');
    frozen = [];
  };
  return {
    url: `postgres://postgres@127.0.0.1:${port}/gateway`,
    port,
    stop: (mode = 'immediate') => asPostgres(`${bin}/pg_ctl -D ${data} -m ${mode} stop`),
    start,
    freeze() {
      frozen = pids();
      for (const pid of frozen) process.kill(pid, 'SIGSTOP');
    },
    thaw,
    lockTable(table, seconds, schema) {
      const qualified = schema ? `${schema}.${table}` : table;
      const child = spawn(
        `${bin}/psql`,
        [
          '-h',
          '127.0.0.1',
          '-p',
          String(port),
          '-U',
          'postgres',
          '-d',
          'gateway',
          '-c',
          `begin; lock table ${qualified} in access exclusive mode; select 'locked'; select pg_sleep(${seconds}); commit;`,
        ],
        {
          stdio: ['ignore', 'pipe', 'ignore'],
        },
      );
      return new Promise((resolve) => child.stdout.on('data', (d) => String(d).includes('locked') && resolve()));
    },
    destroy() {
      try {
        thaw();
        asPostgres(`${bin}/pg_ctl -D ${data} -m immediate stop`);
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
