import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { migrate, openPostgres } from '../../src/store/database.js';
import { FleetLimits } from '../../src/store/fleet-limits.js';
import { GATEWAY_MIGRATIONS } from '../../src/store/migrations.js';
import { GatewayStore } from '../../src/store/store.js';
import { DATABASE_URL_TEST, freshSchema } from '../helpers/store.js';

describe.skipIf(!DATABASE_URL_TEST)('fleet limits in PostgreSQL: one budget for every instance', () => {
  const schema = freshSchema();
  let a: GatewayStore;
  let b: GatewayStore;
  beforeAll(async () => {
    a = await GatewayStore.open({ databaseUrl: DATABASE_URL_TEST, schema });
    b = await GatewayStore.open({ databaseUrl: DATABASE_URL_TEST, schema });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('two instances taking at once never pass the limit between them, and say how long to wait', async () => {
    const [fa, fb] = [new FleetLimits(a.db, 3_000), new FleetLimits(b.db, 3_000)];
    const window = [{ limit: 30, windowMs: 60_000 }];
    const waits = await Promise.all(Array.from({ length: 80 }, (_, i) => (i % 2 ? fa : fb).take('k1', window)));
    expect(waits.filter((w) => w === 0)).toHaveLength(30);
    for (const w of waits.filter((w) => w > 0)) expect(w).toBeGreaterThan(55_000);
    expect(await fa.used('k1', 60_000)).toBe(30);
    // Another key has a budget of its own.
    expect(await fb.take('k2', window)).toBe(0);
  });

  it('eight takers at once over two stores (eight instances) count each slot once', async () => {
    const takers = Array.from({ length: 8 }, (_, i) => new FleetLimits((i % 2 ? a : b).db, 3_000));
    const window = [{ limit: 50, windowMs: 60_000 }];
    const waits = await Promise.all(Array.from({ length: 240 }, (_, i) => takers[i % 8]!.take('crowd', window)));
    expect(waits.filter((w) => w === 0)).toHaveLength(50);
    expect(await takers[0]!.used('crowd', 60_000)).toBe(50);
  });

  it("sends one instance's takes of a key together, a few per statement, counting them in arrival order", async () => {
    let statements = 0;
    // The real store, its statements counted.
    const db: typeof a.db = {
      ...a.db,
      query: (text, values, options) => {
        statements++;
        return a.db.query(text, values, options);
      },
    };
    const f = new FleetLimits(db, 3_000);
    const window = [{ limit: 30, windowMs: 60_000 }];
    const waits = await Promise.all(Array.from({ length: 40 }, () => f.take('together', window)));
    expect(waits.slice(0, 30)).toEqual(Array(30).fill(0));
    for (const w of waits.slice(30)) expect(w).toBeGreaterThan(55_000);
    // 40 takes: the first alone, then batches of at most eight; none once the key is known full.
    expect(statements).toBeGreaterThanOrEqual(5);
    expect(statements).toBeLessThanOrEqual(7);
    expect(await f.used('together', 60_000)).toBe(30);
  });

  it('slides: a slot frees when the oldest call leaves the window, not at a window edge', async () => {
    const f = new FleetLimits(a.db, 3_000);
    const window = [{ limit: 3, windowMs: 800 }];
    for (let i = 0; i < 3; i++) {
      expect(await f.take('slide', window)).toBe(0);
      await new Promise((r) => setTimeout(r, 200));
    }
    const wait = await f.take('slide', window);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(800);
    await new Promise((r) => setTimeout(r, wait + 20));
    expect(await f.take('slide', window)).toBe(0);
    // Only one slot freed: the next call waits again.
    expect(await f.take('slide', window)).toBeGreaterThan(0);
  });

  it("keeps a key's rows bounded however many calls its windows hold, so a take's cost does not grow with them", async () => {
    const f = new FleetLimits(a.db, 3_000);
    const windows = [
      { limit: 100_000, windowMs: 60_000 },
      { limit: 1_000_000, windowMs: 3_600_000 },
    ];
    // 3,000 calls over ~1.5 s: one row each would be 3,000 rows to count in every later take.
    for (let round = 0; round < 15; round++) {
      const waits = await Promise.all(Array.from({ length: 200 }, () => f.take('busy', windows)));
      expect(waits.every((w) => w === 0)).toBe(true);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await f.used('busy', 60_000)).toBe(3_000);
    expect(await f.used('busy', 3_600_000)).toBe(3_000);
    const [counted] = await a.db.query<{ rows: number }>(`SELECT count(*)::int AS rows FROM fleet_counts WHERE key = 'busy'`);
    // At most one bucket per 1/600th of a window: ~1.6 s is ≤ 17 buckets of the minute, ≤ 2 of the hour.
    expect(counted?.rows).toBeLessThanOrEqual(25);
  });

  it('counts the calls made before the buckets (an upgraded fleet keeps its hour), and an old call frees no slot early', async () => {
    const schema = freshSchema();
    const db = await openPostgres(DATABASE_URL_TEST!, { schema });
    try {
      await migrate(
        db,
        'gateway',
        GATEWAY_MIGRATIONS.filter((m) => m.id < '006'),
      );
      // Calls an instance of the version before made: 50 in the last minute, 20 half an hour ago, 5 over an hour ago.
      const calls = (ago: string, n: number) =>
        db.query(`INSERT INTO fleet_calls (key, at) SELECT 'account', clock_timestamp() - ${ago} FROM generate_series(1, ${n}) g`);
      await calls(`g * interval '1 s'`, 50);
      await calls(`interval '30 min'`, 20);
      await calls(`interval '61 min'`, 5);
      await migrate(db, 'gateway', GATEWAY_MIGRATIONS);
      const f = new FleetLimits(db, 3_000);
      expect(await f.used('account', 60_000)).toBe(50);
      expect(await f.used('account', 3_600_000)).toBe(70);
      const windows = [
        { limit: 60, windowMs: 60_000 },
        { limit: 1_000, windowMs: 3_600_000 },
      ];
      const waits = await Promise.all(Array.from({ length: 15 }, () => f.take('account', windows)));
      expect(waits.filter((w) => w === 0)).toHaveLength(10);
      // The oldest of the minute's 60 newest calls was made ~50 s ago: its slot frees in ~10 s, not before.
      for (const w of waits.filter((w) => w > 0)) {
        expect(w).toBeGreaterThan(8_000);
        expect(w).toBeLessThanOrEqual(12_000);
      }
      const [left] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM fleet_calls');
      expect(left?.n).toBe(0);
    } finally {
      await db.query(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
      await db.close();
    }
  });

  it('counts a call once in two windows of the same length', async () => {
    const f = new FleetLimits(a.db, 3_000);
    const windows = [
      { limit: 3, windowMs: 60_000 },
      { limit: 5, windowMs: 60_000 },
    ];
    const waits = await Promise.all(Array.from({ length: 6 }, () => f.take('same', windows)));
    expect(waits.filter((w) => w === 0)).toHaveLength(3);
    expect(await f.used('same', 60_000)).toBe(3);
  });

  it('forgets the buckets that have left their window', async () => {
    const window = [{ limit: 10, windowMs: 200 }];
    expect(await new FleetLimits(a.db, 3_000).take('gone', window)).toBe(0);
    const rowsOf = async (key: string) =>
      (await a.db.query<{ n: number }>('SELECT count(*)::int AS n FROM fleet_counts WHERE key = $1', [key]))[0]?.n;
    expect(await rowsOf('gone')).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    // A new instance prunes at its first take (then every 30 s), not awaited by the take.
    expect(await new FleetLimits(b.db, 3_000).take('other', [{ limit: 10, windowMs: 60_000 }])).toBe(0);
    await vi.waitFor(async () => expect(await rowsOf('gone')).toBe(0), { timeout: 2_000 });
    expect(await rowsOf('other')).toBe(1);
  });

  it('counts a call only when it fits every window of its key', async () => {
    const f = new FleetLimits(a.db, 3_000);
    const windows = [
      { limit: 5, windowMs: 60_000 },
      { limit: 2, windowMs: 3_600_000 },
    ];
    expect(await f.take('two', windows)).toBe(0);
    expect(await f.take('two', windows)).toBe(0);
    expect(await f.take('two', windows)).toBeGreaterThan(3_000_000);
    expect(await f.used('two', 60_000)).toBe(2);
  });
});
