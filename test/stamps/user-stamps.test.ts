import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Authenticator } from '../../src/auth/authentication.js';
import { mintDevToken } from '../../src/auth/dev-tokens.js';
import { seoulToday } from '../../src/dates.js';
import { type GraphQLResponse, startGateway, type TestGateway } from '../helpers/gateway.js';
import { runTool } from '../helpers/process.js';
import { callSandbox, seedStamp } from '../helpers/sandbox.js';
import { DATABASE_URL_TEST, freshSchema } from '../helpers/store.js';
import { signedToken } from '../helpers/tokens.js';
import { GatewayStore } from '../../src/store/store.js';
import { StampUserIndex } from '../../src/stamps/user-index.js';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';
const WEBHOOK_SECRET = 'whsec_test_user_index_0123456789';
const STAFF_KEY = 'staff-key-0123456789abcdef0123';

const MY_STAMPS = `query ($first: Int, $after: String) { myStamps(first: $first, after: $after) {
  userId stamps { stampIdx stamps user { id } } pageInfo { hasNextPage endCursor } } }`;
const OF_USER = `query ($userId: String!, $first: Int, $after: String) { stampsOfUser(userId: $userId, first: $first, after: $after) {
  userId stamps { stampIdx stamps user { id } } pageInfo { hasNextPage endCursor } } }`;

let gw: TestGateway;
let dir: string;
const customer = (id: string) => mintDevToken(SECRET, { customer: id }, 600);

async function gql(query: string, variables: Record<string, unknown>, token?: string, url = gw.url): Promise<GraphQLResponse<any>> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as never };
}

const idxsOf = (res: GraphQLResponse<any>, field = 'stampsOfUser'): number[] =>
  (res.body.data?.[field]?.stamps ?? []).map((s: { stampIdx: number }) => s.stampIdx);

/** A staff read of the stamps through the gateway: what puts them in its index. */
async function readAsStaff(...idxs: number[]): Promise<void> {
  const res = await gql('query ($i: [Int!]!) { stamps(stampIdxs: $i) { stampIdx } }', { i: idxs }, STAFF_KEY);
  expect(res.body.errors).toBeUndefined();
  await gw.parts.stamps.userIndex.flush();
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'user-stamps-'));
  const keys = join(dir, 'keys.json');
  await writeFile(keys, JSON.stringify([{ name: 'staff', key: STAFF_KEY, scopes: ['stamps:read', 'stamps:write', 'stamps:redeem'] }]));
  const auth = await Authenticator.create({ mode: 'enforced', apiKeysFile: keys, jwtSecret: SECRET });
  gw = await startGateway({ auth, webhooks: { secret: WEBHOOK_SECRET } });
  gw.sandbox.webhooks.setTarget({ url: `${gw.url}/webhooks/vivoldi`, secret: WEBHOOK_SECRET });
});

afterAll(async () => {
  await gw?.close();
  await rm(dir, { recursive: true, force: true });
});

beforeEach(() => gw.sandbox.requests.clear());

describe('myStamps and stampsOfUser', () => {
  it('lists a customer’s stamps the gateway has read, by stampIdx, each read now; before any read it knows none', async () => {
    const user = `cust-${Math.random().toString(36).slice(2, 8)}`;
    const b = seedStamp(gw.sandbox, { userId: user, stamps: 2 });
    const a = seedStamp(gw.sandbox, { userId: user, stamps: 7 });
    seedStamp(gw.sandbox, { userId: 'someone-else' });
    const token = await customer(user);

    const before = await gql(MY_STAMPS, {}, token);
    expect(before.body.errors).toBeUndefined();
    expect(before.body.data.myStamps).toEqual({ userId: user, stamps: [], pageInfo: { hasNextPage: false, endCursor: null } });

    await readAsStaff(a, b);
    gw.sandbox.requests.clear();
    const res = await gql(MY_STAMPS, {}, token);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.myStamps.stamps).toEqual([
      { stampIdx: b, stamps: 2, user: { id: user } },
      { stampIdx: a, stamps: 7, user: { id: user } },
    ]);
    // Each listed stamp was read from the stamp API (the test gateway caches nothing).
    expect(
      gw.sandbox.requests
        .list('validate')
        .map((r) => Number(r.query.stampIdx))
        .sort(),
    ).toEqual([a, b].sort());
  });

  it('pages in a stable order with cursors, and refuses cursors it did not give out', async () => {
    const user = `pager-${Math.random().toString(36).slice(2, 8)}`;
    const idxs = [
      seedStamp(gw.sandbox, { userId: user }),
      seedStamp(gw.sandbox, { userId: user }),
      seedStamp(gw.sandbox, { userId: user }),
    ];
    await readAsStaff(...idxs);
    const seen: number[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page++) {
      const res = await gql(OF_USER, { userId: user, first: 2, after }, STAFF_KEY);
      expect(res.body.errors).toBeUndefined();
      seen.push(...idxsOf(res));
      after = res.body.data.stampsOfUser.pageInfo.endCursor;
      if (!res.body.data.stampsOfUser.pageInfo.hasNextPage) break;
    }
    expect(seen).toEqual([...idxs].sort((x, y) => x - y));
    gw.sandbox.requests.clear();
    for (const bad of ['garbage', 's:', 's:-1', 's:99999999999', 's:1 ', `s:${'9'.repeat(30)}`, 'x'.repeat(41), 's:\u0000', 's:\ud800']) {
      const res = await gql(OF_USER, { userId: user, after: bad }, STAFF_KEY);
      expect(res.body.errors?.[0]?.extensions?.code, bad).toBe('BAD_USER_INPUT');
    }
    expect(gw.sandbox.requests.list()).toHaveLength(0);
  });

  it('indexes the stamps it creates, and the user a webhook names', async () => {
    const user = `made-${Math.random().toString(36).slice(2, 8)}`;
    const today = seoulToday(new Date());
    const created = await gql(
      'mutation ($u: String!, $d: Date!) { createStamp(input: { cardIdx: 1, startDate: $d, endDate: $d, user: { id: $u } }) { stampIdx } }',
      { u: user, d: today },
      STAFF_KEY,
    );
    expect(created.body.errors).toBeUndefined();
    const made = created.body.data.createStamp.stampIdx as number;
    // Listed at once for its customer: no wait for the index's batch write.
    expect(idxsOf(await gql(MY_STAMPS, {}, await customer(user)), 'myStamps')).toEqual([made]);
    // A stamp made elsewhere, announced by the stamp service's webhook (a stamp added at the counter).
    const elsewhere = seedStamp(gw.sandbox, { userId: user });
    expect((await callSandbox(gw.sandbox, 'POST', `/__sandbox/stamps/${elsewhere}/add`)).status).toBe(200);
    await expect
      .poll(
        async () => {
          await gw.parts.stamps.userIndex.flush();
          return idxsOf(await gql(OF_USER, { userId: user }, STAFF_KEY));
        },
        { timeout: 5_000 },
      )
      .toEqual([made, elsewhere].sort((x, y) => x - y));
  });

  it('leaves out stamps the stamp service no longer shows, or that now belong to someone else', async () => {
    const user = `moving-${Math.random().toString(36).slice(2, 8)}`;
    const kept = seedStamp(gw.sandbox, { userId: user });
    const deleted = seedStamp(gw.sandbox, { userId: user });
    const moved = seedStamp(gw.sandbox, { userId: user });
    await readAsStaff(kept, deleted, moved);
    // Changed outside the gateway: no webhook tells it.
    gw.sandbox.state.delete(deleted);
    gw.sandbox.state.update({ stampIdx: moved, userId: 'new-owner' }, 'premium');
    const res = await gql(MY_STAMPS, {}, await customer(user));
    expect(res.body.errors).toBeUndefined();
    expect(idxsOf(res, 'myStamps')).toEqual([kept]);
    // The read put the stamp under its new owner.
    await gw.parts.stamps.userIndex.flush();
    expect(idxsOf(await gql(MY_STAMPS, {}, await customer('new-owner')), 'myStamps')).toContain(moved);
  });

  it('keeps callers to their own: staff are sent to stampsOfUser, a customer gets nothing of another’s without a call upstream', async () => {
    const user = `own-${Math.random().toString(36).slice(2, 8)}`;
    const idx = seedStamp(gw.sandbox, { userId: user });
    await readAsStaff(idx);
    const staff = await gql(MY_STAMPS, {}, STAFF_KEY);
    expect(staff.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(staff.body.errors?.[0]?.message).toContain('stampsOfUser');
    const anonymous = await gql(MY_STAMPS, {});
    expect(anonymous.body.errors?.[0]?.extensions?.code).toMatch(/UNAUTHENTICATED|FORBIDDEN/);

    gw.sandbox.requests.clear();
    const other = await gql(OF_USER, { userId: user }, await customer('intruder'));
    expect(other.body.errors).toBeUndefined();
    expect(other.body.data.stampsOfUser.stamps).toEqual([]);
    expect(gw.sandbox.requests.list()).toHaveLength(0);
    const self = await gql(OF_USER, { userId: user }, await customer(user));
    expect(idxsOf(self)).toEqual([idx]);
    // Claims of odd types never reach another customer's stamps.
    for (const sub of [user.toUpperCase(), ` ${user}`, `${user}\u0000`]) {
      const token = await signedToken(SECRET, sub);
      const res = await gql(MY_STAMPS, {}, token);
      expect(idxsOf(res, 'myStamps'), JSON.stringify(sub)).toEqual([]);
    }
  });

  it('refuses bad arguments before anything is sent', async () => {
    gw.sandbox.requests.clear();
    const cases: Array<[string, Record<string, unknown>]> = [
      [OF_USER, { userId: '' }],
      [OF_USER, { userId: 'x'.repeat(101) }],
      [OF_USER, { userId: 'a\u0000b' }],
      [OF_USER, { userId: 'a\u001bb' }],
      [OF_USER, { userId: 'a\ud800b' }],
      [OF_USER, { userId: 'ok', first: 0 }],
      [OF_USER, { userId: 'ok', first: 51 }],
      [OF_USER, { userId: 'ok', first: -1 }],
      [OF_USER, { userId: 'ok', first: 2 ** 31 }],
      [MY_STAMPS, { first: 1000 }],
    ];
    for (const [query, variables] of cases) {
      const res = await gql(query, variables, STAFF_KEY);
      expect(res.body.errors?.[0]?.extensions?.code, JSON.stringify(variables)).toMatch(/BAD_USER_INPUT/);
    }
    for (const variables of [
      { userId: 42 },
      { userId: ['a'] },
      { userId: null },
      { userId: 'ok', first: '2' },
      { userId: 'ok', first: 1.5 },
    ]) {
      const res = await gql(OF_USER, variables, STAFF_KEY);
      expect(res.body.errors?.length, JSON.stringify(variables)).toBeGreaterThan(0);
      expect(res.body.data ?? null).toBeNull();
    }
    expect(gw.sandbox.requests.list()).toHaveLength(0);
  });
});

describe('npm run index-stamps', () => {
  it('backfills the index from a file of stampIdx values, read through the gateway', async () => {
    const user = `backfill-${Math.random().toString(36).slice(2, 8)}`;
    const idxs = [seedStamp(gw.sandbox, { userId: user }), seedStamp(gw.sandbox, { userId: user })];
    const gone = seedStamp(gw.sandbox, { userId: user });
    gw.sandbox.state.delete(gone);
    const file = join(dir, 'stamps.txt');
    await writeFile(file, `# stamps made at the old till\n${idxs[0]}, ${idxs[1]}\n${gone}\n${idxs[0]}\n`);
    gw.sandbox.requests.clear();
    const run = await runTool('src/tools/index-stamps.ts', [file], { GATEWAY_URL: gw.url, GATEWAY_TOKEN: STAFF_KEY });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('2 stamps indexed, 1 not shown');
    // Each distinct id read once, through the gateway.
    expect(
      gw.sandbox.requests
        .list('validate')
        .map((r) => Number(r.query.stampIdx))
        .sort(),
    ).toEqual([...idxs, gone].sort());
    await gw.parts.stamps.userIndex.flush();
    expect(idxsOf(await gql(OF_USER, { userId: user }, STAFF_KEY))).toEqual([...idxs].sort((x, y) => x - y));
  });

  it('refuses a file with values that are not stamp ids, naming each line, before reading any', async () => {
    const file = join(dir, 'bad.txt');
    await writeFile(file, '1000\nabc\n-5\n1.5\n99999999999\n');
    gw.sandbox.requests.clear();
    const run = await runTool('src/tools/index-stamps.ts', [file], { GATEWAY_URL: gw.url, GATEWAY_TOKEN: STAFF_KEY });
    expect(run.code).toBe(1);
    for (const line of ['line 2', 'line 3', 'line 4', 'line 5']) expect(run.stderr).toContain(line);
    expect(gw.sandbox.requests.list()).toHaveLength(0);
  });

  it('says plainly when the gateway cannot be reached or the URL is not one, and accepts a file of comments only', async () => {
    const file = join(dir, 'one-id.txt');
    await writeFile(file, '1000\n');
    for (const url of ['http://127.0.0.1:1', 'not a url', 'ftp://127.0.0.1/graphql']) {
      const run = await runTool('src/tools/index-stamps.ts', [file], { GATEWAY_URL: url, GATEWAY_TOKEN: STAFF_KEY });
      expect(run.code, url).toBe(1);
      expect(run.stderr, url).toMatch(/^npm run index-stamps: /);
      expect(run.stderr, url).not.toContain('    at ');
      expect(run.stderr).not.toContain(STAFF_KEY);
    }
    const comments = join(dir, 'comments.txt');
    await writeFile(comments, '# nothing yet\n\n');
    const none = await runTool('src/tools/index-stamps.ts', [comments], { GATEWAY_URL: gw.url, GATEWAY_TOKEN: STAFF_KEY });
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('0 stamps indexed');
  });

  it('says what the gateway refused (a token without stamps:read)', async () => {
    const file = join(dir, 'one.txt');
    await writeFile(file, '1000\n');
    const run = await runTool('src/tools/index-stamps.ts', [file], { GATEWAY_URL: gw.url, GATEWAY_TOKEN: 'not-a-key' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('UNAUTHENTICATED');
    expect(run.stderr).not.toContain('not-a-key');
  });
});

describe.skipIf(!DATABASE_URL_TEST)('the index shared by two instances on one PostgreSQL', () => {
  it('a stamp one instance reads is in the other’s myStamps; a change of owner seen by either moves it for both', async () => {
    const schema = freshSchema();
    const auth = await Authenticator.create({ mode: 'enforced', apiKeysFile: join(dir, 'keys.json'), jwtSecret: SECRET });
    const stores = [
      await GatewayStore.open({ databaseUrl: DATABASE_URL_TEST, schema }),
      await GatewayStore.open({ databaseUrl: DATABASE_URL_TEST, schema }),
    ];
    const a = await startGateway({ auth, store: stores[0] });
    const b = await startGateway({ auth, sandbox: a.sandbox, store: stores[1] });
    try {
      const user = `shared-${Math.random().toString(36).slice(2, 8)}`;
      const idx = seedStamp(a.sandbox, { userId: user });
      const ask = (g: TestGateway, query: string, variables: Record<string, unknown>, token: string) => gql(query, variables, token, g.url);
      expect((await ask(a, 'query ($i: Int!) { stamp(stampIdx: $i) { stampIdx } }', { i: idx }, STAFF_KEY)).body.errors).toBeUndefined();
      await a.parts.stamps.userIndex.flush();
      expect(idxsOf(await ask(b, MY_STAMPS, {}, await customer(user)), 'myStamps')).toEqual([idx]);

      a.sandbox.state.update({ stampIdx: idx, userId: `${user}-2` }, 'premium');
      // B's read shows the new owner: B writes it to the shared index, and A lists it under the new owner.
      expect(idxsOf(await ask(b, MY_STAMPS, {}, await customer(user)), 'myStamps')).toEqual([]);
      await b.parts.stamps.userIndex.flush();
      expect(idxsOf(await ask(a, OF_USER, { userId: `${user}-2` }, STAFF_KEY))).toEqual([idx]);
      expect(idxsOf(await ask(a, OF_USER, { userId: user }, STAFF_KEY))).toEqual([]);
    } finally {
      await b.close();
      await a.close();
      for (const store of stores) await store.close();
    }
  });
});

describe('StampUserIndex', () => {
  it('writes what is pending on close, then takes no more sightings (a late one never holds up the store’s shutdown)', async () => {
    const store = await GatewayStore.open({});
    try {
      const index = new StampUserIndex(store);
      index.seenUser(7001, 'closing-user');
      await index.close();
      expect(await store.stampsOfUser('closing-user', 10)).toEqual([7001]);
      index.seenUser(7002, 'closing-user');
      await new Promise((resolve) => setTimeout(resolve, 100));
      await index.flush();
      expect(await store.stampsOfUser('closing-user', 10)).toEqual([7001]);
    } finally {
      await store.close();
    }
  });
});
