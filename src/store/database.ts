import { type ChildProcess, type ExecFileException, execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { runWebAssemblyUnoptimized } from '../heap.js';
// Each engine is loaded when it is used: a gateway on PostgreSQL never loads PGlite, nor one on PGlite
// node-postgres.
import type { PGlite, Results, Transaction } from '@electric-sql/pglite';
import type pg from 'pg';

/**
 * The database did not answer in time, refused the connection, or failed the statement. Whatever the
 * cause, the caller learns it as one error: its state could not be read or written.
 */
export class StateError extends Error {
  override name = 'StateError' as const;
  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`the state store failed: ${reason}`, options);
  }
}

/** A held data directory, or an unusable one: raised at start-up with the variable to change. */
export class DataDirError extends Error {
  override name = 'DataDirError' as const;
}

export interface QueryOptions {
  /** How long the statement may take, waits for connections and locks included. */
  timeoutMs?: number;
}

/** The SQL surface both engines share: PGlite embedded, PostgreSQL through node-postgres. */
export interface Queryable {
  query<Row = Record<string, unknown>>(text: string, params?: unknown[], options?: QueryOptions): Promise<Row[]>;
}

export interface Database extends Queryable {
  readonly engine: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction, bounded as a whole by `timeoutMs`. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>, options?: QueryOptions): Promise<T>;
  /**
   * Runs `fn` holding a lock on `key` that every process sharing this database respects, waiting for
   * it until `until` (epoch ms) at most; then LockTimeoutError. PGlite is one process: it only runs `fn`.
   */
  withLock<T>(namespace: number, key: number, fn: () => Promise<T>, until: number): Promise<T>;
  /** Marks this process alive for as long as it runs (and reconnects after a database restart). */
  registerOwner(owner: string): Promise<void>;
  /** Whether the process that registered `owner` still runs. */
  ownerAlive(owner: string): Promise<boolean>;
  /**
   * Hears every `pg_notify(channel, payload)` of every process sharing the database, this one's
   * included, for as long as it runs (on PostgreSQL a connection of its own, kept up across restarts).
   */
  listen(channel: string, onPayload: (payload: string) => void, onGap?: () => void): Promise<void>;
  close(): Promise<void>;
}

/** The lock on a stamp was not free before the request's deadline. */
export class LockTimeoutError extends Error {
  override name = 'LockTimeoutError' as const;
}

export interface Migration {
  id: string;
  sql: string;
}

export interface DatabaseEvents {
  /** The database stopped answering (once per outage) or answers again. */
  onHealth?: (healthy: boolean, reason?: string) => void;
}

/** Statements are bounded even when the caller gives no bound (the sandbox's storage; the gateway passes DATABASE_TIMEOUT_MS). */
const DEFAULT_TIMEOUT_MS = 5_000;
// The advisory-lock namespace that marks a live gateway process ("OW").
const OWNER_LOCK_NAMESPACE = 0x4f57;

/**
 * Text PostgreSQL can store: no NUL (refused by `text` and `jsonb`) and no unpaired surrogate (refused
 * in JSON). Either can come from the stamp API (a memo set elsewhere); stored as U+FFFD.
 */
export function storable(value: string): string {
  return (value.isWellFormed() ? value : value.toWellFormed()).replace(/\u0000/g, '\uFFFD');
}

/** A JSON value for a `jsonb` parameter: SQL NULL for none (never the JSON literal null), strings storable. */
export function jsonParam(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? storable(v) : v));
}

const params = (values: unknown[] | undefined) => values?.map((v) => (typeof v === 'string' ? storable(v) : v));

/** A 31-bit lock key for a string (an owner id). */
function lockKey(value: string): number {
  return createHash('sha256').update(value).digest().readUInt32BE(0) & 0x7fffffff;
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string, onTimeout?: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => {
        onTimeout?.();
        reject(new StateError(`${what} did not answer within ${ms} ms`));
      },
      Math.max(1, ms),
    );
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

function describe(error: unknown): string {
  const e = error as { code?: string; message?: string; name?: string; errno?: unknown } | null | undefined;
  const said = [e?.code, e?.message?.split('\n')[0]].filter(Boolean).join(' ');
  if (said) return said;
  if (e?.name === 'ErrnoError' && typeof e.errno === 'number') return `file system error ${WASM_ERRNO[e.errno] ?? `errno ${e.errno}`}`;
  return String(error);
}

// PGlite's file system fails with Emscripten's ErrnoError: a number in WASI's numbering and no message.
// The names of those a data directory meets.
const WASM_ERRNO: Record<number, string> = {
  2: 'EACCES',
  19: 'EDQUOT',
  20: 'EEXIST',
  29: 'EIO',
  31: 'EISDIR',
  32: 'ELOOP',
  33: 'EMFILE',
  37: 'ENAMETOOLONG',
  41: 'ENFILE',
  44: 'ENOENT',
  48: 'ENOMEM',
  51: 'ENOSPC',
  54: 'ENOTDIR',
  55: 'ENOTEMPTY',
  63: 'EPERM',
  69: 'EROFS',
  75: 'EXDEV',
};

/** Any failure of the database as the one error callers handle. */
function asStateError(error: unknown): StateError {
  return error instanceof StateError ? error : new StateError(describe(error), { cause: error });
}

/**
 * Takes the data directory for this process: a second process (another `npm start`, or `npm run
 * sandbox` beside it) is refused rather than sharing files that PGlite cannot share.
 */
function lockDataDir(dataDir: string, variable: string): () => void {
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    throw new DataDirError(`${variable}: cannot create ${dataDir} (${describe(error)})`);
  }
  const file = join(dataDir, '.lock');
  for (let tries = 0; tries < 2; tries++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new DataDirError(`${variable}: cannot use ${dataDir} (${describe(error)})`);
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new DataDirError(
          `${variable}: ${dataDir} is in use by process ${pid}; give each process a DATA_DIR of its own (or use DATABASE_URL)`,
        );
      }
      // Left by a process that is gone.
      rmSync(file, { force: true });
    }
  }
  throw new DataDirError(`${variable}: cannot lock ${dataDir}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Opens an embedded PGlite database: in memory without `dataDir`, otherwise persisted there (and held
 * by this process alone). A fresh directory takes a few seconds (initdb); reopening one is fast.
 */
export async function openPglite(dataDir?: string, options: { variable?: string; timeoutMs?: number } = {}): Promise<Database> {
  const unlock = dataDir ? lockDataDir(dataDir, options.variable ?? 'DATA_DIR') : () => undefined;
  return startPglite(dataDir, unlock, options);
}

async function startPglite(
  dataDir: string | undefined,
  unlock: () => void,
  options: { variable?: string; timeoutMs?: number },
): Promise<Database> {
  let db: PGlite;
  let pglite: typeof import('@electric-sql/pglite');
  try {
    if (dataDir && !holdsDatabase(dataDir)) await initdbApart(dataDir);
    runWebAssemblyUnoptimized();
    pglite = await import('@electric-sql/pglite');
    db = await pglite.PGlite.create(dataDir, { postgresqlconf: POSTGRESQL_CONF });
  } catch (error) {
    unlock();
    throw new DataDirError(`${options.variable ?? 'DATA_DIR'}: cannot open the embedded database in ${dataDir} (${describe(error)})`);
  }
  const statements = preparedStatements(db, pglite);
  // Every use of the database goes through here: a transaction holds the gate for its whole length, so
  // a statement from elsewhere never lands inside it (PGlite's own query does the same with its mutex).
  const gate = new pglite.Mutex();
  // Statements (outside transactions) of different callers that wait for the gate at once run together
  // (group commit): they are gathered until the end of this turn of the event loop, so the answers and
  // requests that came in it are all in, then take the gate as one, in the order they came. Nothing
  // waits on a timer: alone, a statement runs at once.
  // A run is due whenever one waits: the first to wait asks for it.
  const waiting: Waiting[] = [];
  // Those that come while the gate is held join them until it is theirs; past TOGETHER_MAX, the rest
  // go next, as a batch of their own.
  const runWaiting = (): Promise<void> =>
    gate.runExclusive(async () => {
      const batch = waiting.splice(0, TOGETHER_MAX);
      if (waiting.length > 0) void runWaiting();
      // Every caller is answered, whatever fails.
      await statements.runTogether(batch).catch((error: unknown) => {
        for (const item of batch) item.reject(error);
      });
    });
  const together = <Row>(text: string, values: unknown[] | undefined) =>
    new Promise<Row[]>((resolve, reject) => {
      if (waiting.push({ text, values, resolve: resolve as (rows: unknown[]) => void, reject }) === 1) setImmediate(runWaiting);
    });
  // PGlite runs in this process: nothing can freeze it from outside, but a statement is still bounded.
  const bound = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // The bound covers the wait for the gate too.
  const run = async <Row>(work: Promise<Row>, timeoutMs = bound) => {
    try {
      return await withTimeout(work, timeoutMs, 'the embedded database');
    } catch (error) {
      throw asStateError(error);
    }
  };
  return {
    engine: 'pglite',
    query: (text, values, o) => run(together(text, params(values)), o?.timeoutMs),
    transaction: (fn, o) =>
      withTimeout(
        gate.runExclusive(() =>
          db.transaction((tx) => fn({ query: (text, values) => run(statements.run(tx, text, params(values)), o?.timeoutMs) })),
        ),
        o?.timeoutMs ?? bound,
        'the embedded database',
      ).catch((error: unknown) => {
        throw asStateError(error);
      }),
    withLock: (_namespace, _key, fn) => fn(),
    registerOwner: async () => undefined,
    // One process per data directory (lockDataDir): the only live owner is this one.
    ownerAlive: async () => false,
    async listen(channel, onPayload) {
      await db.listen(channel, onPayload);
    },
    async close() {
      await db.close();
      unlock();
    },
  };
}

// The gateway's state is small (idempotency keys, history): PostgreSQL's default 128 MB of shared
// buffers would sit in this process's memory for nothing.
const POSTGRESQL_CONF = ['shared_buffers=16MB'];

/** How long creating a fresh data directory's database may take. */
const INITDB_TIMEOUT_MS = 120_000;

/** How the initdb child reports a failure: this, then the error's fields as JSON, on a line of its own. */
const INITDB_FAILED = 'initdb failed: ';

// Run by `node --input-type=module -e`, with PGlite's URL, the directory and the settings as arguments.
// A failure is reported on one line (INITDB_FAILED): an uncaught error would end stderr with node's
// version, and PGlite's file system errors have no message, only a number.
const INITDB_SCRIPT = `
const [url, dir, conf] = process.argv.slice(1);
try {
  const { PGlite } = await import(url);
  const db = await PGlite.create(dir, { postgresqlconf: JSON.parse(conf) });
  await db.close();
} catch (error) {
  const { name, message, code, errno } = error ?? {};
  process.stderr.write('\\n' + ${JSON.stringify(INITDB_FAILED)} + JSON.stringify({ name, message: String(message ?? ''), code, errno }) + '\\n');
  process.exit(1);
}
`;

/**
 * Creates the database of a fresh data directory in a process of its own, as PostgreSQL's initdb is.
 * PGlite's initdb grows WebAssembly memory to ~600 MB, which V8 never gives back: run in the gateway,
 * that memory stayed resident for as long as the gateway ran. It is made in `.initdb` inside the
 * directory and moved into place with PG_VERSION last, so the directory holds a database
 * (holdsDatabase) only once it is whole, and one interrupted is made again at the next start. The
 * child's environment is PATH alone: none of the gateway's secrets.
 */
async function initdbApart(dataDir: string): Promise<void> {
  const building = join(dataDir, '.initdb');
  rmSync(building, { recursive: true, force: true });
  const url = import.meta.resolve('@electric-sql/pglite');
  // A gateway that exits meanwhile takes its initdb with it: the next start makes the directory again,
  // and must not find a child of this one still writing there.
  let child: ChildProcess | undefined;
  const stop = () => child?.kill('SIGKILL');
  process.once('exit', stop);
  try {
    await new Promise<void>((resolve, reject) => {
      child = execFile(
        process.execPath,
        ['--input-type=module', '-e', INITDB_SCRIPT, url, building, JSON.stringify(POSTGRESQL_CONF)],
        { env: { PATH: process.env.PATH ?? '' }, timeout: INITDB_TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: 1024 * 1024 },
        (error, _stdout, stderr) => {
          if (!error) return resolve();
          reject(new Error(error.killed ? `initdb did not finish within ${INITDB_TIMEOUT_MS} ms` : initdbFailure(error, stderr)));
        },
      );
    });
  } finally {
    process.off('exit', stop);
  }
  const made = readdirSync(building);
  if (!made.includes('PG_VERSION')) throw new Error('initdb made no database');
  for (const name of [...made.filter((entry) => entry !== 'PG_VERSION'), 'PG_VERSION']) {
    // What an earlier start left half-made in the directory itself.
    rmSync(join(dataDir, name), { recursive: true, force: true });
    renameSync(join(building, name), join(dataDir, name));
  }
  rmSync(building, { recursive: true, force: true });
}

/** Why the initdb child failed: its report, else the signal that stopped it, else its last words. */
function initdbFailure(error: ExecFileException, stderr: string): string {
  const report = stderr
    .split('\n')
    .find((line) => line.startsWith(INITDB_FAILED))
    ?.slice(INITDB_FAILED.length);
  if (report !== undefined) {
    try {
      return describe(JSON.parse(report));
    } catch {
      return report;
    }
  }
  if (error.signal) return `initdb was stopped by ${error.signal}`;
  return stderr.trim().split('\n').filter(Boolean).at(-1) ?? describe(error);
}

/** How many statements the embedded database keeps prepared; the store's are far fewer. */
export const PREPARED_MAX = 256;

/**
 * The most statements that run together in one exchange: a longer one holds the event loop longer, and
 * when one of them fails, every other runs again alone.
 */
export const TOGETHER_MAX = 64;

/** A statement waiting to run together with those of other callers, and its caller's answer. */
interface Waiting {
  text: string;
  values: unknown[] | undefined;
  resolve: (rows: unknown[]) => void;
  reject: (error: unknown) => void;
}

/**
 * Statements with parameters run prepared on PGlite: parsed and planned once, then each run is one
 * exchange with the engine (bind, describe, execute, sync) where PGlite's own query makes six (parse,
 * describe, bind, describe, execute, sync), each a pass through its WebAssembly main loop. Parameters
 * are serialized and rows parsed with PGlite's own serializers and parsers, by the types PostgreSQL
 * describes, as its query does. Statements without parameters (migrations, VACUUM) and any past
 * PREPARED_MAX distinct texts take PGlite's query. Callers hold the gate (run in order, outside any
 * other caller's transaction).
 */
export function preparedStatements(db: PGlite, { protocol: { serialize }, parse }: typeof import('@electric-sql/pglite')) {
  // A preparation in flight is shared: two callers of one new text prepare it once.
  const prepared = new Map<string, Promise<{ name: string; types: number[] }>>();
  let named = 0;
  const exchange = (inTransaction: boolean, messages: Uint8Array[], throwOnError = true) =>
    db.runExclusive(async () => {
      const message = new Uint8Array(messages.reduce((n, m) => n + m.length, 0));
      let at = 0;
      for (const m of messages) {
        message.set(m, at);
        at += m.length;
      }
      const { messages: answer } = await db.execProtocol(message, { syncToFs: false, throwOnError });
      // As PGlite's query: what a statement outside a transaction wrote is synced to the file system.
      if (!inTransaction) await db.syncToFs();
      return answer;
    });
  const prepare = (text: string, inTransaction: boolean) => {
    const name = `gateway_${++named}`;
    const statement = exchange(inTransaction, [
      serialize.parse({ name, text }),
      serialize.describe({ type: 'S', name }),
      serialize.sync(),
    ]).then((answer) => ({ name, types: parse.parseDescribeStatementResults(answer) }));
    prepared.set(text, statement);
    // A statement PostgreSQL refuses is not kept: the next caller gets the same error from PGlite's query.
    statement.catch(() => prepared.delete(text));
    return statement;
  };
  /** The prepared statement of `text`, prepared now if need be; undefined past PREPARED_MAX. */
  const preparing = (text: string, inTransaction: boolean) =>
    prepared.get(text) ?? (prepared.size < PREPARED_MAX ? prepare(text, inTransaction) : undefined);
  /** Bind, describe and execute one run of a prepared statement: an exchange's messages but its sync. */
  const execution = (statement: { name: string; types: number[] }, values: unknown[]) => {
    const serialized = values.map((value, i) => {
      if (value === null || value === undefined) return null;
      const serializer = db.serializers[statement.types[i]!];
      return serializer ? serializer(value) : String(value);
    });
    return [serialize.bind({ statement: statement.name, values: serialized }), serialize.describe({ type: 'P' }), serialize.execute({})];
  };
  const statements = {
    /** How many statements are prepared. */
    get size() {
      return prepared.size;
    },
    /** Runs a statement on `q`: the database, or the transaction it belongs to. */
    async run<Row>(q: Pick<PGlite, 'query'> | Transaction, text: string, values: unknown[] | undefined): Promise<Row[]> {
      const inTransaction = q !== db;
      const statement = values?.length ? preparing(text, inTransaction) : undefined;
      if (!statement) return (await q.query<Row>(text, values)).rows;
      const answer = await exchange(inTransaction, [...execution(await statement, values!), serialize.sync()]);
      return (parse.parseResults(answer, db.parsers)[0] as Results<Row>).rows;
    },
    /**
     * Runs the statements of several callers, outside any transaction, in one exchange and one
     * transaction committed once, where each alone would be an exchange and a commit of its own. Each
     * caller gets what its statement alone would have given: they run in order, each seeing what those
     * before it wrote; when one fails, PostgreSQL rolls them all back, and each runs again alone, in
     * order, so the failure is its own and the others still happen once. One that is not run prepared
     * (no parameters, or past PREPARED_MAX) runs alone in its turn.
     */
    async runTogether(waiting: Waiting[]): Promise<void> {
      const ready: Array<{ item: Waiting; messages: Uint8Array[] }> = [];
      for (const item of waiting) {
        try {
          const statement = item.values?.length ? preparing(item.text, false) : undefined;
          if (statement) {
            ready.push({ item, messages: execution(await statement, item.values!) });
            continue;
          }
          // Without parameters (migrations, VACUUM) or past PREPARED_MAX: alone, after those before it.
          await statements.commit(ready.splice(0));
          item.resolve(await statements.run(db, item.text, item.values));
        } catch (error) {
          item.reject(error);
        }
      }
      await statements.commit(ready);
    },
    /** Runs prepared executions in one exchange and one transaction (runTogether). */
    async commit(ready: Array<{ item: Waiting; messages: Uint8Array[] }>): Promise<void> {
      if (ready.length === 0) return;
      let answer: Awaited<ReturnType<typeof exchange>>;
      try {
        answer = await exchange(false, [...ready.flatMap((r) => r.messages), serialize.sync()], ready.length === 1);
      } catch (error) {
        for (const { item } of ready) item.reject(error);
        return;
      }
      if (!answer.some((message) => message.name === 'error')) {
        const results = parse.parseResults(answer, db.parsers);
        for (const [i, { item }] of ready.entries()) {
          const result = results[i];
          if (result) item.resolve(result.rows);
          else item.reject(new Error('the embedded database ran the statement but gave no answer for it'));
        }
        return;
      }
      for (const { item } of ready) {
        try {
          item.resolve(await statements.run(db, item.text, item.values));
        } catch (error) {
          item.reject(error);
        }
      }
    },
  };
  return statements;
}

/** An embedded database that starts when first used; `started` says whether it has. */
export interface OnFirstUse extends Database {
  readonly started: boolean;
  /**
   * Runs each time the database starts, in order, before anything else uses it (migrations): `prepare`
   * with the database itself; then `afterStart` tasks, which may use the database as anyone does (start-
   * up recovery), awaited by whatever started it.
   */
  onStart(hooks: { prepare?: (db: Database) => Promise<void>; afterStart?: () => Promise<void> }): void;
}

/**
 * PGlite over a data directory, started on first use. PostgreSQL in WASM holds ~130 MB from the moment
 * it starts (its minimum WASM memory, never given back), and a gateway that only reads never needs it:
 * the state store is for changes. The directory is locked at once, so a second process is still refused
 * at start-up, and a fresh one gets its database at once (initdb, in a process of its own), so a first
 * use waits only for the start.
 */
export async function openPgliteOnFirstUse(
  dataDir: string,
  options: { variable?: string; timeoutMs?: number; startupTimeoutMs?: number } = {},
): Promise<OnFirstUse> {
  const variable = options.variable ?? 'DATA_DIR';
  const unlock = lockDataDir(dataDir, variable);
  if (!holdsDatabase(dataDir)) {
    try {
      await initdbApart(dataDir);
    } catch (error) {
      unlock();
      throw new DataDirError(`${variable}: cannot create the embedded database in ${dataDir} (${describe(error)})`);
    }
  }
  let db: Database | undefined;
  let starting: Promise<Database> | undefined;
  let closed = false;
  const listeners: Array<[string, (payload: string) => void]> = [];
  const prepares: Array<(db: Database) => Promise<void>> = [];
  const afterStarts: Array<() => Promise<void>> = [];
  const start = (): Promise<Database> => {
    if (db) return Promise.resolve(db);
    if (closed) return Promise.reject(new StateError('the embedded database is closed'));
    starting ??= (async () => {
      const started = await startPglite(dataDir, () => undefined, options);
      try {
        for (const prepare of prepares) await prepare(started);
        for (const [channel, onPayload] of listeners) await started.listen(channel, onPayload);
      } catch (error) {
        await started.close().catch(() => undefined);
        throw asStateError(error);
      }
      db = started;
      // Each task reports its own failures: the use that started the database goes on regardless.
      for (const task of afterStarts) await task().catch(() => undefined);
      return started;
    })().catch((error: unknown) => {
      // The next use tries again.
      starting = undefined;
      throw asStateError(error);
    });
    return starting;
  };
  // A use waits for the start as long as a start-up may take (DATABASE_STARTUP_TIMEOUT_MS), then fails
  // like a statement that did not answer; the start goes on for the next use.
  const whenStarted = () => withTimeout(start(), options.startupTimeoutMs ?? 10_000, 'the embedded database (starting)');
  return {
    engine: 'pglite',
    get started() {
      return db !== undefined;
    },
    onStart({ prepare, afterStart }) {
      if (prepare) prepares.push(prepare);
      if (afterStart) afterStarts.push(afterStart);
    },
    query: (text, values, o) => (db ? db.query(text, values, o) : whenStarted().then((d) => d.query(text, values, o))),
    transaction: (fn, o) => (db ? db.transaction(fn, o) : whenStarted().then((d) => d.transaction(fn, o))),
    withLock: (_namespace, _key, fn) => fn(),
    registerOwner: async () => undefined,
    ownerAlive: async () => false,
    async listen(channel, onPayload) {
      listeners.push([channel, onPayload]);
      if (db) await db.listen(channel, onPayload);
    },
    async close() {
      closed = true;
      const running = db ?? (await starting?.catch(() => undefined));
      await running?.close();
      unlock();
    },
  };
}

/** Whether a data directory already holds a PostgreSQL database (else the first start runs initdb). */
export function holdsDatabase(dataDir: string): boolean {
  return existsSync(join(dataDir, 'PG_VERSION'));
}

/** The connection string without its password, for messages. */
export function safeUrl(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    return `${url.hostname}:${url.port || 5432}${url.pathname}`;
  } catch {
    return 'the DATABASE_URL';
  }
}

/** How long closing the pools may take before the store stops waiting for them. */
const CLOSE_TIMEOUT_MS = 5_000;

/**
 * Opens PostgreSQL through node-postgres, every wait bounded: connecting and waiting for a pooled
 * connection (connectionTimeoutMillis), statements and lock waits on the server (statement_timeout,
 * lock_timeout) and on this side (a connection that does not answer is destroyed, as when the server
 * is frozen). Every connection error is handled: a database that goes away never ends the process, and
 * the pool reconnects when it is back. Start-up waits `startupTimeoutMs` at most for a first answer.
 */
export async function openPostgres(
  connectionString: string,
  options: { max?: number; lockMax?: number; schema?: string; timeoutMs?: number; startupTimeoutMs?: number } & DatabaseEvents = {},
): Promise<Database> {
  if (options.schema && !/^[a-z_][a-z0-9_]{0,62}$/.test(options.schema)) throw new Error(`Bad schema name ${options.schema}`);
  const { default: pg } = await import('pg');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const settings = [
    `-c statement_timeout=${timeoutMs}`,
    `-c lock_timeout=${timeoutMs}`,
    ...(options.schema ? [`-c search_path=${options.schema}`] : []),
  ];
  const config = { connectionString, connectionTimeoutMillis: timeoutMs, keepAlive: true, options: settings.join(' ') };
  let healthy = true;
  const health = (ok: boolean, reason?: string) => {
    if (ok === healthy) return;
    healthy = ok;
    options.onHealth?.(ok, reason);
  };
  const onClientError = (error: Error) => health(false, describe(error));
  const makePool = (max: number) => {
    const pool = new pg.Pool({ ...config, max });
    // An idle connection that dies emits 'error' on the pool; one checked out emits it on the client.
    // Unhandled, either ends the process.
    pool.on('error', onClientError);
    pool.on('connect', (client) => client.on('error', onClientError));
    return pool;
  };

  // First contact, bounded: a database that is down or frozen at start-up is reported, not waited for.
  const startupUntil = Date.now() + (options.startupTimeoutMs ?? 10_000);
  for (;;) {
    const setup = new pg.Client({ ...config, connectionTimeoutMillis: Math.max(1, Math.min(timeoutMs, startupUntil - Date.now())) });
    setup.on('error', () => undefined);
    try {
      await withTimeout(
        (async () => {
          await setup.connect();
          // Instances starting together may race to create it: the loser's duplicate is no failure.
          if (options.schema) {
            await setup.query(`CREATE SCHEMA IF NOT EXISTS ${options.schema}`).catch((error: { code?: string }) => {
              if (error.code !== '23505' && error.code !== '42P06') throw error;
            });
          }
          await setup.query('SELECT 1');
        })(),
        Math.max(1, startupUntil - Date.now()),
        `PostgreSQL at ${safeUrl(connectionString)}`,
      );
      break;
    } catch (error) {
      if (Date.now() >= startupUntil)
        throw new StateError(`cannot reach PostgreSQL at ${safeUrl(connectionString)} (${describe(error)})`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 250));
    } finally {
      void setup.end().catch(() => undefined);
    }
  }

  const pool = makePool(options.max ?? 10);
  // Locks are held on connections of their own, so a holder never waits for a connection a lock waiter occupies.
  const lockPool = makePool(options.lockMax ?? 20);

  /** A connection from `from` within `ms`, else StateError. */
  const connectWithin = async (from: pg.Pool, ms: number) => {
    const connecting = from.connect();
    try {
      return await withTimeout(connecting, ms, 'PostgreSQL');
    } catch (error) {
      // The pool may still hand a connection to a wait that has given up: it goes straight back, or it
      // would be held for good and the pool would shrink with every wait that timed out.
      connecting.then(
        (late) => late.release(),
        () => undefined,
      );
      throw error;
    }
  };

  /** Runs `work` on a pooled connection, bounded; a connection that does not answer in time is destroyed. */
  async function onConnection<T>(from: pg.Pool, work: (client: pg.PoolClient) => Promise<T>, ms: number): Promise<T> {
    const started = Date.now();
    let client: pg.PoolClient;
    try {
      client = await connectWithin(from, ms);
    } catch (error) {
      // A wait that ran out while every connection was in use says nothing of the database (the
      // statements holding them report it if it is the cause); one for a new connection does.
      if (!(error instanceof StateError) || from.totalCount < (from.options.max ?? 10)) health(false, describe(error));
      throw asStateError(error);
    }
    const left = ms - (Date.now() - started);
    if (left < 1) {
      // The bound was spent waiting: the connection is sound and goes back unused.
      client.release();
      throw new StateError(`PostgreSQL did not answer within ${ms} ms`);
    }
    let broken = false;
    try {
      const result = await withTimeout(work(client), left, 'PostgreSQL', () => (broken = true));
      health(true);
      return result;
    } catch (error) {
      if (
        error instanceof StateError ||
        !(error as { code?: string }).code ||
        /^(08|57|53|E[A-Z])/.test((error as { code: string }).code)
      ) {
        broken = true;
        health(false, describe(error));
      }
      throw asStateError(error);
    } finally {
      client.release(broken ? new Error('destroyed: it did not answer') : undefined);
    }
  }

  const query: Queryable['query'] = (text, values, o) =>
    onConnection(pool, async (client) => (await client.query(text, params(values))).rows, o?.timeoutMs ?? timeoutMs);

  // Listeners: one connection, LISTENing on every channel asked for, re-established after a restart.
  const channels = new Map<string, Array<(payload: string) => void>>();
  // Told when the listening connection came back: what was sent meanwhile was not heard.
  const gaps: Array<() => void> = [];
  let heardBefore = false;
  let listener: pg.Client | undefined;
  let closing = false;
  const connectListener = async (): Promise<void> => {
    if (closing || !channels.size) return;
    const client = new pg.Client(config);
    listener = client;
    let retried = false;
    // Once per connection: its end (a restart, a network cut) or a failed connect tries again shortly.
    const again = () => {
      if (retried || closing || listener !== client) return;
      retried = true;
      void client.end().catch(() => undefined);
      setTimeout(() => void connectListener(), 500).unref();
    };
    client.on('error', again);
    client.on('end', again);
    client.on('notification', (message) => {
      for (const hear of channels.get(message.channel) ?? []) hear(message.payload ?? '');
    });
    try {
      await client.connect();
      for (const channel of channels.keys()) await client.query(`LISTEN "${channel}"`);
      if (heardBefore) for (const gap of gaps) gap();
      heardBefore = true;
    } catch {
      again();
    }
  };

  // Liveness: a session advisory lock held for as long as this process runs. PostgreSQL drops it the
  // moment the process's connection closes (kill -9 included), so other processes know at once.
  let owner: { id: string; client?: pg.Client; stopped: boolean } | undefined;
  const holdOwner = async () => {
    if (!owner || owner.stopped) return;
    const client = new pg.Client(config);
    owner.client = client;
    const retry = () => {
      if (owner && !owner.stopped && owner.client === client) setTimeout(() => void holdOwner(), 500).unref();
    };
    client.on('error', () => undefined);
    client.on('end', retry);
    try {
      await client.connect();
      await client.query('SELECT pg_advisory_lock($1::int, $2::int)', [OWNER_LOCK_NAMESPACE, lockKey(owner.id)]);
    } catch {
      void client.end().catch(() => undefined);
    }
  };

  return {
    engine: 'postgres',
    query,
    transaction: (fn, o) =>
      onConnection(
        pool,
        async (client) => {
          await client.query('BEGIN');
          try {
            const result = await fn({ query: async (text, values) => (await client.query(text, params(values))).rows });
            await client.query('COMMIT');
            return result;
          } catch (error) {
            await client.query('ROLLBACK').catch(() => undefined);
            throw error;
          }
        },
        o?.timeoutMs ?? timeoutMs,
      ),
    async withLock(namespace, key, fn, until) {
      let client: pg.PoolClient;
      try {
        client = await connectWithin(lockPool, Math.min(timeoutMs, Math.max(1, until - Date.now())));
      } catch (error) {
        throw asStateError(error);
      }
      let held = false;
      let healthyConnection = true;
      try {
        // Polled, so that the wait ends at the request's deadline whatever the database does.
        for (let wait = 5; ; wait = Math.min(wait * 2, 50)) {
          const left = until - Date.now();
          const rows = await withTimeout(
            client.query('SELECT pg_try_advisory_lock($1::int, $2::int) AS ok', [namespace, key]),
            Math.min(timeoutMs, Math.max(1, left)),
            'PostgreSQL',
            () => (healthyConnection = false),
          );
          if (rows.rows[0]?.ok) break;
          if (Date.now() + wait >= until) throw new LockTimeoutError(`the lock on ${key} was not free in time`);
          await new Promise((resolve) => setTimeout(resolve, wait));
        }
        held = true;
        return await fn();
      } catch (error) {
        if (error instanceof LockTimeoutError || held) throw error;
        healthyConnection = false;
        throw asStateError(error);
      } finally {
        if (held) {
          await withTimeout(
            client.query('SELECT pg_advisory_unlock($1::int, $2::int)', [namespace, key]),
            timeoutMs,
            'PostgreSQL',
            () => (healthyConnection = false),
          ).catch(() => (healthyConnection = false));
        }
        // A connection whose unlock failed may still hold the lock: never give it back to the pool.
        client.release(healthyConnection ? undefined : new Error('lock connection discarded'));
      }
    },
    async registerOwner(id) {
      owner = { id, stopped: false };
      await holdOwner();
    },
    async listen(channel, onPayload, onGap) {
      if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`Bad channel name ${channel}`);
      if (onGap) gaps.push(onGap);
      const known = channels.has(channel);
      channels.set(channel, [...(channels.get(channel) ?? []), onPayload]);
      if (!listener) await connectListener();
      else if (!known) await listener.query(`LISTEN "${channel}"`).catch(() => undefined);
    },
    async ownerAlive(id) {
      const rows = await query<{ alive: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2
           AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
           AND classid = $1::oid AND objid = $2::oid) AS alive`,
        [String(OWNER_LOCK_NAMESPACE), String(lockKey(id))],
      );
      return rows[0]?.alive === true;
    },
    async close() {
      closing = true;
      await listener?.end().catch(() => undefined);
      if (owner) {
        owner.stopped = true;
        await owner.client?.end().catch(() => undefined);
      }
      // Bounded: a client checked out while the pool ends can keep pool.end() waiting for ever, and a
      // shutdown must finish (the server closes the connections of an exited process).
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all([pool.end(), lockPool.end()]),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, CLOSE_TIMEOUT_MS);
          timer.unref();
        }),
      ]).finally(() => clearTimeout(timer));
    },
  };
}

/**
 * A migration's statements: split where a line ends in `;`, except inside a dollar-quoted body (`$$ … $$`,
 * a function's), whose own statements end lines the same way.
 */
export function statementsOf(sql: string): string[] {
  const statements: string[] = [];
  let current = '';
  sql.split('$$').forEach((part, i) => {
    if (i % 2 === 1) {
      current += `$$${part}$$`;
      return;
    }
    const pieces = part.split(/;\s*\n/);
    current += pieces[0];
    for (const piece of pieces.slice(1)) {
      statements.push(current);
      current = piece;
    }
  });
  statements.push(current);
  return statements.map((s) => s.trim()).filter(Boolean);
}

/**
 * Applies the migrations not yet recorded in `<scope>_migrations`, in order, each in its own transaction.
 * The same SQL runs on PGlite and PostgreSQL.
 */
export async function migrate(db: Database, scope: string, migrations: Migration[]): Promise<void> {
  const table = `${scope}_migrations`;
  // Instances of a fleet start together: one migrates while the others wait for it, per schema.
  await db.transaction(
    async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('stamp_gateway_migrate:' || current_schema()))`);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${table} (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
      const done = new Set((await tx.query<{ id: string }>(`SELECT id FROM ${table}`)).map((r) => r.id));
      for (const migration of migrations) {
        if (done.has(migration.id)) continue;
        for (const statement of statementsOf(migration.sql)) await tx.query(statement);
        await tx.query(`INSERT INTO ${table} (id) VALUES ($1)`, [migration.id]);
      }
    },
    { timeoutMs: 60_000 },
  );
}
