import { describe, expect, it } from 'vitest';
import { statementsOf } from '../../src/store/database.js';
import { GATEWAY_MIGRATIONS } from '../../src/store/migrations.js';

describe('a migration is run statement by statement', () => {
  it('splits where a line ends in a semicolon', () => {
    expect(statementsOf('CREATE TABLE a (x int);\n  CREATE INDEX a_x ON a (x);  \n\nDROP TABLE b')).toEqual([
      'CREATE TABLE a (x int)',
      'CREATE INDEX a_x ON a (x)',
      'DROP TABLE b',
    ]);
  });

  it('keeps a dollar-quoted function body whole, whatever its own lines end in', () => {
    const fn = `CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$
      DECLARE n int;
      BEGIN
        n := 1;
        RETURN n;
      END $$`;
    expect(statementsOf(`CREATE TABLE t (x int);\n${fn};\nCREATE INDEX t_x ON t (x)`)).toEqual([
      'CREATE TABLE t (x int)',
      fn,
      'CREATE INDEX t_x ON t (x)',
    ]);
  });

  it('splits every gateway migration into statements that each hold whole bodies', () => {
    for (const migration of GATEWAY_MIGRATIONS) {
      for (const statement of statementsOf(migration.sql)) {
        expect((statement.match(/\$\$/g) ?? []).length % 2, `${migration.id}: ${statement.slice(0, 60)}`).toBe(0);
      }
    }
    const take = GATEWAY_MIGRATIONS.find((m) => m.id === '005-fleet-take')!;
    expect(statementsOf(take.sql)).toHaveLength(1);
  });
});
