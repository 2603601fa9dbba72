import { PGlite } from '@electric-sql/pglite';
const mu = () => JSON.stringify(Object.fromEntries(Object.entries(process.memoryUsage()).map(([k,v])=>[k,Math.round(v/2**20)])));
const conf = process.env.CONF ? JSON.parse(process.env.CONF) : undefined;
const o = conf ? { postgresqlconf: conf } : {};
let db = await PGlite.create(process.argv[2] || undefined, o);
console.log('after create', mu());
if (process.env.REOPEN) { await db.close(); db = null; globalThis.gc?.(); await new Promise(r=>setTimeout(r,300)); globalThis.gc?.(); console.log('after close', mu()); db = await PGlite.create(process.argv[2], o); }
globalThis.gc?.(); await new Promise(r=>setTimeout(r,300)); globalThis.gc?.();
console.log('after gc', mu());
const r = await db.query("select name, setting, unit from pg_settings where name in ('shared_buffers','work_mem')");
console.log(r.rows.map(x=>`${x.name}=${x.setting}${x.unit??''}`).join(' '));
await db.query('create table if not exists t (id int primary key, v text)');
for (let i = 0; i < 3000; i++) await db.query('insert into t values ($1, $2) on conflict (id) do update set v = excluded.v', [i, 'x'.repeat(300)]);
console.log('after writes', mu());
await db.close(); process.exit(0);
