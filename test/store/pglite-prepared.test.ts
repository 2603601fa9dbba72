import { PGlite } from '@electric-sql/pglite';
import * as pglite from '@electric-sql/pglite';
import { afterEach, describe, expect, it } from 'vitest';
import { type Database, openPglite, PREPARED_MAX, preparedStatements, StateError, TOGETHER_MAX } from '../../src/store/database.js';

// The embedded database runs statements with parameters prepared, one exchange each, instead of
// PGlite's query: the answers must be the same, and nothing may land in another caller's transaction.
describe('prepared statements on the embedded database', () => {
  let raw: PGlite | undefined;
  let twin: PGlite | undefined;
  let db: Database | undefined;
  afterEach(async () => {
    await raw?.close();
    await twin?.close();
    await db?.close();
    raw = twin = db = undefined;
  });

  it("answer every statement exactly as PGlite's own query does: types both ways, nulls, no rows, many rows", async () => {
    // Two databases alike: every statement runs prepared on one and through PGlite's query on the other.
    raw = await PGlite.create();
    twin = await PGlite.create();
    for (const one of [raw, twin]) {
      await one.exec('CREATE TABLE t (id bigserial PRIMARY KEY, n integer, body jsonb, at timestamptz, tags text[], note text)');
    }
    const statements = preparedStatements(raw, pglite);
    const cases: Array<[string, unknown[]]> = [
      [
        'SELECT $1::int AS a, $2::text AS b, $3::jsonb AS c, $4::timestamptz AS d, $5::boolean AS e, $6::bigint AS f, $7::text[] AS g, $8::numeric AS h, $9::int AS nothing',
        [
          42,
          'é \u0001 " \' \\ 😀',
          '{"a":[1,"x",null],"b":{"c":true}}',
          '2026-12-01T08:00:00.123Z',
          true,
          '9007199254740993',
          ['a', 'b,c', '"q"', ''],
          '1.50',
          null,
        ],
      ],
      ['SELECT $1::timestamptz AS d, $2::jsonb AS j', [new Date('2026-01-02T03:04:05.678Z'), { kind: 'change', n: [1, 2] }]],
      ['SELECT $1 AS untyped, $2::int + 1 AS next', ['text as given', 7]],
      [
        'INSERT INTO t (n, body, at, tags, note) VALUES ($1, $2::jsonb, $3, $4, $5) RETURNING *',
        [1, '{"x":1}', '2026-12-01T00:00:00Z', ['p'], 'one'],
      ],
      ['INSERT INTO t (n, body, at, tags, note) VALUES ($1, $2::jsonb, $3, $4, $5) RETURNING id, n', [2, null, null, null, null]],
      ['UPDATE t SET note = $1 WHERE n = $2', ['changed', 1]],
      ['SELECT * FROM t WHERE n = ANY($1::int[]) ORDER BY id', [[1, 2, 3]]],
      ['SELECT n FROM t WHERE n > $1', [100]],
      ['SELECT g AS i, md5(g::text) AS h FROM generate_series(1, $1::int) g', [500]],
    ];
    for (const [text, values] of cases) {
      // Twice each: once prepared on first use, once from the prepared statement.
      for (let i = 0; i < 2; i++) {
        const prepared = await statements.run(raw, text, values);
        const expected = (await twin.query(text, values)).rows;
        expect(prepared, text).toEqual(expected);
      }
    }
    const count = 'SELECT count(*)::int AS n, count(*) FILTER (WHERE note = $1)::int AS changed FROM t';
    expect(await statements.run(raw, count, ['changed'])).toEqual([{ n: 4, changed: 2 }]);
    expect((await twin.query(count, ['changed'])).rows).toEqual([{ n: 4, changed: 2 }]);
  });

  it('keeps at most PREPARED_MAX statements prepared; past that, statements run unprepared and still answer', async () => {
    raw = await PGlite.create();
    const statements = preparedStatements(raw, pglite);
    for (let i = 0; i < PREPARED_MAX + 20; i++) {
      const [row] = await statements.run<{ v: number }>(raw, `SELECT $1::int + ${i} AS v`, [1]);
      expect(row!.v).toBe(1 + i);
    }
    expect(statements.size).toBe(PREPARED_MAX);
    const prepared = await raw.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_prepared_statements');
    expect(prepared.rows[0]!.n).toBe(PREPARED_MAX);
  });

  it('statements first run side by side are each prepared once, under names of their own', async () => {
    raw = await PGlite.create();
    const statements = preparedStatements(raw, pglite);
    const texts = Array.from({ length: 6 }, (_, i) => `SELECT $1::int * ${i + 2} AS v`);
    // Each new text twice at once, all twelve before any preparation has answered.
    const answers = await Promise.all(
      texts.flatMap((text) => [statements.run<{ v: number }>(raw!, text, [5]), statements.run<{ v: number }>(raw!, text, [7])]),
    );
    expect(answers.map(([row]) => row!.v)).toEqual(texts.flatMap((_, i) => [5 * (i + 2), 7 * (i + 2)]));
    expect(statements.size).toBe(texts.length);
    const prepared = await raw.query<{ statement: string }>('SELECT statement FROM pg_prepared_statements ORDER BY name');
    expect(prepared.rows.map((row) => row.statement).sort()).toEqual([...texts].sort());
  });

  it('a failing statement is a StateError with its reason, and the next one runs; in a transaction it rolls the transaction back', async () => {
    db = await openPglite();
    await db.query('CREATE TABLE u (k text PRIMARY KEY)');
    await db.query('INSERT INTO u VALUES ($1)', ['a']);
    const duplicate = await db.query('INSERT INTO u VALUES ($1)', ['a']).catch((error: unknown) => error);
    expect(duplicate).toBeInstanceOf(StateError);
    expect((duplicate as StateError).reason).toMatch(/^23505 duplicate key/);
    // A statement that cannot be prepared (no such table) is not kept, and fails the same way each time.
    for (let i = 0; i < 2; i++) await expect(db.query('SELECT * FROM missing WHERE k = $1', ['a'])).rejects.toThrow(/42P01/);
    await db.query('INSERT INTO u VALUES ($1)', ['b']);
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO u VALUES ($1)', ['c']);
        await tx.query('INSERT INTO u VALUES ($1)', ['a']);
      }),
    ).rejects.toThrow(/23505/);
    expect(await db.query('SELECT k FROM u WHERE k <> $1 ORDER BY k', [''])).toEqual([{ k: 'a' }, { k: 'b' }]);
  });

  it('a statement from elsewhere waits for a running transaction: it neither sees its writes nor goes down with its rollback', async () => {
    db = await openPglite();
    await db.query('CREATE TABLE v (k text PRIMARY KEY)');
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inside!: () => void;
    const begun = new Promise<void>((resolve) => (inside = resolve));
    const transaction = db
      .transaction(async (tx) => {
        await tx.query('INSERT INTO v VALUES ($1)', ['in the transaction']);
        inside();
        await held;
        throw new Error('rolled back on purpose');
      })
      .catch((error: unknown) => error);
    await begun;
    const order: string[] = [];
    const outside = db.query('INSERT INTO v VALUES ($1) RETURNING k', ['outside']).then((rows) => {
      order.push('outside');
      return rows;
    });
    const read = db.query<{ k: string }>('SELECT k FROM v WHERE k <> $1 ORDER BY k', ['']).then((rows) => {
      order.push('read');
      return rows;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(order).toEqual([]);
    order.push('rollback');
    release();
    expect(await transaction).toBeInstanceOf(Error);
    expect(await outside).toEqual([{ k: 'outside' }]);
    expect(await read).toEqual([{ k: 'outside' }]);
    expect(order).toEqual(['rollback', 'outside', 'read']);
  });

  it("a statement's bound covers its wait behind a transaction", async () => {
    db = await openPglite();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const transaction = db.transaction(async (tx) => {
      await tx.query('SELECT $1::int AS one', [1]);
      await held;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const started = Date.now();
    const waited = await db.query('SELECT $1::int AS two', [2], { timeoutMs: 150 }).catch((error: unknown) => error);
    expect(waited).toBeInstanceOf(StateError);
    expect((waited as StateError).reason).toBe('the embedded database did not answer within 150 ms');
    expect(Date.now() - started).toBeLessThan(2_000);
    release();
    await transaction;
    expect(await db.query('SELECT $1::int AS three', [3])).toEqual([{ three: 3 }]);
  });
});

// Statements of callers that wait at once run together, in one exchange and one commit (group commit).
// Each caller must still get exactly what its statement alone would have given, and happen once.
describe('statements of several callers on the embedded database', () => {
  let db: Database | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });

  // The transaction a statement ran in: the same id for statements committed together.
  const TRANSACTION = 'SELECT pg_current_xact_id()::text AS tx, $1::int AS i';

  it('that wait at once commit together, each with its own answer; one alone commits alone', async () => {
    db = await openPglite();
    const together = await Promise.all(Array.from({ length: 12 }, (_, i) => db!.query<{ tx: string; i: number }>(TRANSACTION, [i])));
    expect(together.map(([row]) => row!.i)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(new Set(together.map(([row]) => row!.tx)).size).toBe(1);
    const alone: string[] = [];
    for (let i = 0; i < 3; i++) alone.push((await db.query<{ tx: string }>(TRANSACTION, [i]))[0]!.tx);
    expect(new Set(alone).size).toBe(3);
    expect(alone).not.toContain(together[0]![0]!.tx);
  });

  it('at most TOGETHER_MAX at a time: those past it go next, together, and none is lost', async () => {
    db = await openPglite();
    const many = TOGETHER_MAX * 2 + 10;
    const answers = await Promise.all(Array.from({ length: many }, (_, i) => db!.query<{ tx: string; i: number }>(TRANSACTION, [i])));
    expect(answers.map(([row]) => row!.i)).toEqual(Array.from({ length: many }, (_, i) => i));
    const sizes = new Map<string, number>();
    for (const [row] of answers) sizes.set(row!.tx, (sizes.get(row!.tx) ?? 0) + 1);
    expect([...sizes.values()]).toEqual([TOGETHER_MAX, TOGETHER_MAX, 10]);
  });

  it('run in the order they came, each seeing what those before it wrote', async () => {
    db = await openPglite();
    await db.query('CREATE TABLE w (k text PRIMARY KEY, n integer NOT NULL)');
    const answers = await Promise.all([
      db.query('INSERT INTO w VALUES ($1, $2) RETURNING n', ['a', 1]),
      db.query('UPDATE w SET n = n + $2 WHERE k = $1 RETURNING n', ['a', 10]),
      db.query('SELECT n FROM w WHERE k = $1', ['a']),
      db.query('DELETE FROM w WHERE k = $1 RETURNING n', ['a']),
      db.query('SELECT count(*)::int AS n FROM w WHERE k = $1', ['a']),
    ]);
    expect(answers).toEqual([[{ n: 1 }], [{ n: 11 }], [{ n: 11 }], [{ n: 11 }], [{ n: 0 }]]);
  });

  it('when one of them fails, it alone gets the error and every other still happens exactly once, announcements included', async () => {
    db = await openPglite();
    await db.query('CREATE TABLE x (k text PRIMARY KEY, v text)');
    await db.query('INSERT INTO x VALUES ($1, $2)', ['taken', 'before']);
    const heard: string[] = [];
    await db.listen('x_changes', (payload) => heard.push(payload));
    const insert = 'WITH made AS (INSERT INTO x VALUES ($1, $2) RETURNING k) SELECT pg_notify($3, k) AS sent FROM made';
    const keys = ['k0', 'k1', 'k2', 'taken', 'k4', 'k5'];
    const outcomes = await Promise.allSettled([
      ...keys.map((k) => db!.query(insert, [k, 'now', 'x_changes'])),
      // Statements that cannot be prepared or bound fail alone too.
      db.query('SELECT * FROM missing_table WHERE k = $1', ['k']),
      db.query('SELECT $1::int AS n', ['not a number']),
      db.query('UPDATE x SET v = $2 WHERE k = $1 RETURNING v', ['k5', 'later']),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual([
      ...keys.map((k) => (k === 'taken' ? 'rejected' : 'fulfilled')),
      'rejected',
      'rejected',
      'fulfilled',
    ]);
    const reasons = outcomes.flatMap((o) => (o.status === 'rejected' ? [(o.reason as StateError).reason] : []));
    expect(reasons).toHaveLength(3);
    expect(reasons[0]).toMatch(/^23505 duplicate key/);
    expect(reasons[1]).toMatch(/^42P01/);
    expect(reasons[2]).toMatch(/^22P02/);
    expect(outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : [])).every((e) => e instanceof StateError)).toBe(true);
    expect((outcomes.at(-1) as PromiseFulfilledResult<unknown>).value).toEqual([{ v: 'later' }]);
    const rows = await db.query<{ k: string; v: string }>('SELECT k, v FROM x WHERE k <> $1 ORDER BY k', ['']);
    expect(rows).toEqual([
      { k: 'k0', v: 'now' },
      { k: 'k1', v: 'now' },
      { k: 'k2', v: 'now' },
      { k: 'k4', v: 'now' },
      { k: 'k5', v: 'later' },
      { k: 'taken', v: 'before' },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(heard.sort()).toEqual(['k0', 'k1', 'k2', 'k4', 'k5']);
  });

  it('past PREPARED_MAX, one that cannot be prepared runs alone, after those that came before it', async () => {
    db = await openPglite();
    await db.query('CREATE TABLE z (k text PRIMARY KEY)');
    const insert = 'INSERT INTO z VALUES ($1) RETURNING k';
    const count = 'SELECT count(*)::int AS n FROM z WHERE k <> $1';
    expect(await db.query(count, [''])).toEqual([{ n: 0 }]);
    await db.query(insert, ['prepared']);
    for (let i = 2; i < PREPARED_MAX; i++) await db.query(`SELECT $1::int + ${i} AS v`, [1]);
    const unprepared = 'SELECT count(*)::int AS unprepared FROM z WHERE k <> $1';
    const answers = await Promise.all([
      db.query(insert, ['a']),
      db.query(unprepared, ['']),
      db.query(insert, ['b']),
      db.query(count, ['']),
    ]);
    expect(answers).toEqual([[{ k: 'a' }], [{ unprepared: 2 }], [{ k: 'b' }], [{ n: 3 }]]);
  });

  it('a transaction begun while they wait is not joined by them, and they are not lost with its rollback', async () => {
    db = await openPglite();
    await db.query('CREATE TABLE y (k text PRIMARY KEY)');
    const waiting = Array.from({ length: 5 }, (_, i) => db!.query('INSERT INTO y VALUES ($1) RETURNING k', [`q${i}`]));
    const transaction = db
      .transaction(async (tx) => {
        await tx.query('INSERT INTO y VALUES ($1)', ['in the transaction']);
        throw new Error('rolled back on purpose');
      })
      .catch((error: unknown) => error);
    expect(await Promise.all(waiting)).toEqual(Array.from({ length: 5 }, (_, i) => [{ k: `q${i}` }]));
    expect(await transaction).toBeInstanceOf(Error);
    expect(await db.query('SELECT k FROM y WHERE k <> $1 ORDER BY k', [''])).toEqual(Array.from({ length: 5 }, (_, i) => ({ k: `q${i}` })));
  });
});
