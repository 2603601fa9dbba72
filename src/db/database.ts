import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';

/** The SQL surface both engines share: PGlite embedded, PostgreSQL through node-postgres. */
export interface Queryable {
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
}

export interface Database extends Queryable {
  readonly engine: 'pglite' | 'postgres';
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
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
  const db = await PGlite.create(dataDir);
  const run = async <Row>(q: Pick<PGlite, 'query'>, text: string, params?: unknown[]) =>
    (await q.query<Row>(text, params)).rows;
  return {
    engine: 'pglite',
    query: (text, params) => run(db, text, params),
    transaction: (fn) => db.transaction((tx) => fn({ query: (text, params) => run(tx, text, params) })),
    close: () => db.close(),
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
