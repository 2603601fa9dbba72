import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirError, type Database, holdsDatabase, openPglite, openPgliteOnFirstUse } from '../../src/store/database.js';

const databaseModule = fileURLToPath(new URL('../../src/store/database.ts', import.meta.url));

// PGlite's initdb grows WebAssembly memory to ~600 MB that V8 never gives back: a fresh data directory
// gets its database from a process of its own, and the gateway opens it as it opens any other.
describe("a fresh data directory's database", () => {
  const dirs: string[] = [];
  let db: Database | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });
  const freshDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'initdb-'));
    dirs.push(dir);
    return dir;
  };

  it('is made outside the opening process, whose peak memory stays that of a running PGlite', async () => {
    const dir = await freshDir();
    // The opening process reports its peak resident memory (VmHWM) once it has used the database.
    const script = `
      const { openPglite } = await import(${JSON.stringify(databaseModule)});
      const db = await openPglite(${JSON.stringify(dir)});
      await db.query('CREATE TABLE kept (note text)');
      await db.query('INSERT INTO kept VALUES ($1)', ['made on the first start']);
      await db.close();
      const status = (await import('node:fs')).readFileSync('/proc/self/status', 'utf8');
      console.log(Number(/VmHWM:\\s+(\\d+)/.exec(status)[1]) / 1024);
    `;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    // ~170 MB with initdb elsewhere; 730–750 MB when it ran in the same process.
    expect(Number(run.stdout.trim())).toBeLessThan(400);
    expect(holdsDatabase(dir)).toBe(true);
    expect(existsSync(join(dir, '.initdb'))).toBe(false);
    db = await openPglite(dir);
    expect(await db.query('SELECT note FROM kept')).toEqual([{ note: 'made on the first start' }]);
  });

  it('is not left being made by a child when the opening process exits meanwhile', async () => {
    const dir = await freshDir();
    const script = `
      const { openPglite } = await import(${JSON.stringify(databaseModule)});
      openPglite(${JSON.stringify(dir)}).catch(() => undefined);
      setTimeout(() => process.exit(0), 1500);
    `;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    // No process is left whose command line names the directory being made.
    const building = join(dir, '.initdb');
    const writers = () =>
      readdirSync('/proc')
        .filter((entry) => /^\d+$/.test(entry))
        .filter((pid) => {
          try {
            return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(building);
          } catch {
            return false;
          }
        });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(writers()).toEqual([]);
    expect(holdsDatabase(dir)).toBe(false);
    // The next start makes it again.
    db = await openPglite(dir);
    expect(await db.query('SELECT $1::int AS n', [7])).toEqual([{ n: 7 }]);
  });

  it('is made again from scratch after a start that was interrupted while making it', async () => {
    const dir = await freshDir();
    // What a start killed during initdb leaves: the half-made cluster, and files already moved.
    await mkdir(join(dir, '.initdb', 'base'), { recursive: true });
    await writeFile(join(dir, '.initdb', 'base', 'half'), 'x');
    await mkdir(join(dir, 'global'), { recursive: true });
    await writeFile(join(dir, 'global', 'stale'), 'x');
    expect(holdsDatabase(dir)).toBe(false);
    db = await openPglite(dir);
    expect(await db.query('SELECT $1::int + 1 AS n', [41])).toEqual([{ n: 42 }]);
    expect(existsSync(join(dir, '.initdb'))).toBe(false);
    expect(existsSync(join(dir, 'global', 'stale'))).toBe(false);
    expect(existsSync(join(dir, 'global', 'pg_control'))).toBe(true);
  });

  // A directory whose own path fits the system's limit (4,095 bytes) but whose database's files would
  // not: the file system refuses PGlite what it accepted from the gateway.
  const nearTheLimit = async () => {
    let dir = await freshDir();
    while (dir.length < 4080 - 250) dir = join(dir, 'd'.repeat(200));
    dir = join(dir, 'e'.repeat(4080 - dir.length - 1));
    mkdirSync(dir, { recursive: true });
    return dir;
  };

  it("is refused with the file system's reason when the child cannot make it, and the directory is left unlocked", async () => {
    const dir = await nearTheLimit();
    const opening = openPgliteOnFirstUse(dir);
    await expect(opening).rejects.toBeInstanceOf(DataDirError);
    const message = await opening.then(
      () => '',
      (error: Error) => error.message,
    );
    // The child's own report, not the last line node prints after an uncaught error ("Node.js v20…").
    expect(message).toBe(`DATA_DIR: cannot create the embedded database in ${dir} (file system error ENAMETOOLONG)`);
    expect(existsSync(join(dir, '.lock'))).toBe(false);
    expect(holdsDatabase(dir)).toBe(false);
  });

  it("names the file system's reason when PGlite fails in this process too", async () => {
    const dir = await nearTheLimit();
    await writeFile(join(dir, 'PG_VERSION'), '17\n');
    const opening = openPglite(dir);
    await expect(opening).rejects.toBeInstanceOf(DataDirError);
    await expect(opening).rejects.toThrow(`DATA_DIR: cannot open the embedded database in ${dir} (file system error ENAMETOOLONG)`);
    expect(existsSync(join(dir, '.lock'))).toBe(false);
  });
});
