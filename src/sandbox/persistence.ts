import { type Database, migrate, openPglite } from '../store/database.js';
import type { Card, Change, SandboxState, StampRow } from './state.js';

const MIGRATIONS = [
  {
    id: '001-sandbox-state',
    sql: `
      CREATE TABLE sandbox_cards (card_idx integer PRIMARY KEY, data jsonb NOT NULL);
      CREATE TABLE sandbox_stamps (stamp_idx integer PRIMARY KEY, data jsonb NOT NULL);
      CREATE TABLE sandbox_meta (key text PRIMARY KEY, value bigint NOT NULL)`,
  },
  {
    // As JSON text: jsonb refuses a NUL (\u0000), and the stamp service stores whatever it is sent.
    id: '002-sandbox-json-as-text',
    sql: `
      ALTER TABLE sandbox_cards ALTER COLUMN data TYPE text USING data::text;
      ALTER TABLE sandbox_stamps ALTER COLUMN data TYPE text USING data::text`,
  },
];

const parse = <T>(data: string | T): T => (typeof data === 'string' ? (JSON.parse(data) as T) : data);

/**
 * Write-through persistence of the sandbox state in PGlite: the state lives in memory and every change
 * is written before the response goes out, so a restart finds exactly what clients were told.
 */
export class SandboxPersistence {
  private constructor(private readonly db: Database) {}

  static async open(dataDir: string): Promise<SandboxPersistence> {
    const db = await openPglite(dataDir, { variable: 'DATA_DIR' });
    await migrate(db, 'sandbox', MIGRATIONS);
    return new SandboxPersistence(db);
  }

  /** Loads the stored state; returns false when the store is empty (a first start). */
  async load(state: SandboxState): Promise<boolean> {
    const cards = await this.db.query<{ data: string }>('SELECT data FROM sandbox_cards');
    const stamps = await this.db.query<{ data: string }>('SELECT data FROM sandbox_stamps');
    const meta = await this.db.query<{ key: string; value: string }>('SELECT key, value FROM sandbox_meta');
    state.load(
      cards.map((r) => parse<Card>(r.data)),
      stamps.map((r) => parse<StampRow>(r.data)),
    );
    for (const { key, value } of meta) {
      if (key === 'next_stamp_idx') state.nextStampIdx = Math.max(state.nextStampIdx, Number(value));
      if (key === 'next_card_idx') state.nextCardIdx = Math.max(state.nextCardIdx, Number(value));
    }
    return cards.length > 0 || meta.length > 0;
  }

  async save(change: Change, state: SandboxState): Promise<void> {
    await this.db.transaction(async (tx) => {
      if (change.kind === 'card') {
        await tx.query(
          'INSERT INTO sandbox_cards (card_idx, data) VALUES ($1, $2) ON CONFLICT (card_idx) DO UPDATE SET data = EXCLUDED.data',
          [change.card.cardIdx, JSON.stringify(change.card)],
        );
      } else if (change.kind === 'stamp') {
        await tx.query(
          'INSERT INTO sandbox_stamps (stamp_idx, data) VALUES ($1, $2) ON CONFLICT (stamp_idx) DO UPDATE SET data = EXCLUDED.data',
          [change.stamp.stampIdx, JSON.stringify(change.stamp)],
        );
      } else {
        await tx.query('DELETE FROM sandbox_stamps WHERE stamp_idx = $1', [change.stampIdx]);
      }
      // Ids are never reused, even after the newest stamp is deleted.
      await tx.query(
        `INSERT INTO sandbox_meta (key, value) VALUES ('next_stamp_idx', $1), ('next_card_idx', $2)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
        [state.nextStampIdx, state.nextCardIdx],
      );
    });
  }

  /** Raw SQL on the sandbox's storage (tests make it fail on purpose). */
  query(sql: string): Promise<unknown> {
    return this.db.query(sql);
  }

  close(): Promise<void> {
    return this.db.close();
  }
}
