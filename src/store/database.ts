import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

/** The SQL surface both engines share: PGlite embedded, PostgreSQL through node-postgres. */
export interface Queryable {
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
}

export interface Database extends Queryable {
  readonly engine: 'pglite' | 'postgres';
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` holding a lock on `key` that every process sharing this database respects. PGlite is
   * single-process, so there it only runs `fn`; callers serialise within the process themselves.
   */
  withLock<T>(namespace: number, key: number, fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface Migration {
  id: string;
  sql: string;
}

/**
 * Opens an embedded PGlite database: in memory without `dataDir`, otherwise persisted there.
 * A fresh directory takes a few seconds (initdb); reopening one is fast.
 */
export async function openPglite(dataDir?: string): Promise<Database> {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  // The gateway's state is small (idempotency keys, history): PostgreSQL's default 128 MB of shared
  // buffers would sit in this process's memory for nothing.
  const db = await PGlite.create(dataDir, { postgresqlconf: ['shared_buffers=16MB'] });
  const run = async <Row>(q: Pick<PGlite, 'query'>, text: string, params?: unknown[]) =>
    (await q.query<Row>(text, params)).rows;
  return {
    engine: 'pglite',
    query: (text, params) => run(db, text, params),
    transaction: (fn) => db.transaction((tx) => fn({ query: (text, params) => run(tx, text, params) })),
    withLock: (_namespace, _key, fn) => fn(),
    close: () => db.close(),
  };
}

/**
 * Opens PostgreSQL through node-postgres. Locks are session advisory locks taken on connections of
 * their own, so a holder never waits for a connection that a lock waiter occupies.
 */
export async function openPostgres(
  connectionString: string,
  options: { max?: number; lockMax?: number; schema?: string } = {},
): Promise<Database> {
  if (options.schema && !/^[a-z_][a-z0-9_]{0,62}$/.test(options.schema)) throw new Error(`Bad schema name ${options.schema}`);
  // A schema of its own keeps separate deployments (or test runs) in one database apart.
  const searchPath = options.schema ? { options: `-c search_path=${options.schema}` } : {};
  if (options.schema) {
    const setup = new pg.Client({ connectionString });
    await setup.connect();
    await setup.query(`CREATE SCHEMA IF NOT EXISTS ${options.schema}`).finally(() => setup.end());
  }
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10, ...searchPath });
  const lockPool = new pg.Pool({ connectionString, max: options.lockMax ?? 20, ...searchPath });
  await pool.query('SELECT 1');
  return {
    engine: 'postgres',
    query: async (text, params) => (await pool.query(text, params as unknown[])).rows,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({ query: async (text, params) => (await client.query(text, params as unknown[])).rows });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async withLock(namespace, key, fn) {
      const client = await lockPool.connect();
      let healthy = true;
      try {
        await client.query('SELECT pg_advisory_lock($1::int, $2::int)', [namespace, key]);
        try {
          return await fn();
        } finally {
          await client.query('SELECT pg_advisory_unlock($1::int, $2::int)', [namespace, key]).catch(() => (healthy = false));
        }
      } finally {
        // A connection whose unlock failed may still hold the lock: never give it back to the pool.
        client.release(!healthy);
      }
    },
    async close() {
      await Promise.all([pool.end(), lockPool.end()]);
    },
  };
}

/**
 * Applies the migrations not yet recorded in `<scope>_migrations`, in order, each in its own transaction.
 * The same SQL runs on PGlite and PostgreSQL.
 */
export async function migrate(db: Database, scope: string, migrations: Migration[]): Promise<void> {
  const table = `${scope}_migrations`;
  await db.query(`CREATE TABLE IF NOT EXISTS ${table} (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
  const done = new Set((await db.query<{ id: string }>(`SELECT id FROM ${table}`)).map((r) => r.id));
  for (const migration of migrations) {
    if (done.has(migration.id)) continue;
    await db.transaction(async (tx) => {
      for (const statement of migration.sql.split(/;\s*\n/).map((s) => s.trim()).filter(Boolean)) {
        await tx.query(statement);
      }
      await tx.query(`INSERT INTO ${table} (id) VALUES ($1)`, [migration.id]);
    });
  }
}
