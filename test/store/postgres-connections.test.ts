import { afterEach, describe, expect, it } from 'vitest';
import { type Database, openPostgres, StateError } from '../../src/store/database.js';
import { DATABASE_URL_TEST, freshSchema } from '../helpers/store.js';

// A statement that gives up waiting for a pooled connection must not take one later: a burst of reads
// bounded at a few hundred milliseconds once drained the pool this way, and everything after them
// (the fleet's quota, mutations) waited for connections that never came back.
describe.skipIf(!DATABASE_URL_TEST)('PostgreSQL connections', () => {
  let db: Database | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });

  it('a wait for a connection that times out gives the connection back when the pool hands it over later', async () => {
    db = await openPostgres(DATABASE_URL_TEST!, { max: 2, schema: freshSchema(), timeoutMs: 5_000 });
    // Both connections busy for a while.
    const busy = [db.query('SELECT pg_sleep(0.4)'), db.query('SELECT pg_sleep(0.4)')];
    const gaveUp = await Promise.all(
      Array.from({ length: 6 }, (_, i) => db!.query('SELECT $1::int AS n', [i], { timeoutMs: 50 }).catch((error: unknown) => error)),
    );
    for (const error of gaveUp) {
      expect(error).toBeInstanceOf(StateError);
      expect((error as StateError).reason).toBe('PostgreSQL did not answer within 50 ms');
    }
    await Promise.all(busy);
    // Both connections serve again, side by side, well within the pool's own 5 s wait.
    const answers = await Promise.all(
      [1, 2, 3, 4].map((n) => db!.query<{ n: number }>('SELECT $1::int AS n, pg_sleep(0.05)', [n], { timeoutMs: 1_000 })),
    );
    expect(answers.map((rows) => rows[0]!.n)).toEqual([1, 2, 3, 4]);
  });

  it('so does a wait for a lock connection', async () => {
    db = await openPostgres(DATABASE_URL_TEST!, { max: 1, lockMax: 1, schema: freshSchema(), timeoutMs: 5_000 });
    let release!: () => void;
    const held = db.withLock(1, 1, () => new Promise<void>((resolve) => (release = resolve)), Date.now() + 5_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Another key: it needs the one lock connection only, and gives up waiting for it.
    const gaveUp = await db.withLock(1, 2, async () => 'ran', Date.now() + 50).catch((error: unknown) => error);
    expect(gaveUp).toBeInstanceOf(StateError);
    release();
    await held;
    expect(await db.withLock(1, 2, async () => 'ran', Date.now() + 1_000)).toBe('ran');
  });

  it('a wait that runs out while every connection is busy is not reported as the database failing, and closes no connection', async () => {
    const told: Array<[boolean, string | undefined]> = [];
    db = await openPostgres(DATABASE_URL_TEST!, {
      max: 2,
      schema: freshSchema(),
      timeoutMs: 5_000,
      onHealth: (healthy, reason) => told.push([healthy, reason]),
    });
    const backends = async () =>
      (await db!.query<{ pid: number }>('SELECT pg_backend_pid() AS pid, $1::int AS n, pg_sleep(0.05)', [0])).map((row) => row.pid);
    const before = new Set([...(await backends()), ...(await Promise.all([backends(), backends()])).flat()]);
    const busy = [db.query('SELECT pg_sleep(0.3)'), db.query('SELECT pg_sleep(0.3)')];
    for (let i = 0; i < 5; i++) await expect(db.query('SELECT $1::int AS n', [i], { timeoutMs: 40 })).rejects.toThrow(StateError);
    await Promise.all(busy);
    expect(told).toEqual([]);
    // The same two server processes serve on: none was closed and opened again.
    const after = new Set((await Promise.all([backends(), backends()])).flat());
    expect([...after].every((pid) => before.has(pid))).toBe(true);
  });
});
