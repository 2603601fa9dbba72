import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Scope, Authenticator, SCOPES } from '../../src/auth/authentication.js';
import { seoulToday } from '../../src/dates.js';
import { type GraphQLResponse, startGateway, type TestGateway } from '../helpers/gateway.js';
import { seedStamp } from '../helpers/sandbox.js';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';
const KEYS: Record<Scope, string> = {
  'stamps:read': 'reader-key-0123456789abcdef',
  'stamps:write': 'writer-key-0123456789abcdef',
  'stamps:redeem': 'redeemer-key-0123456789abcd',
  'stamps:admin': 'admin-key-0123456789abcdefgh',
};
const OPERATOR_KEY = 'operator-key-0123456789abcdef';
const today = seoulToday(new Date());

function jwt(claims: Record<string, unknown>, secret = SECRET, expiresIn: string | number = '5m') {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(String(claims.sub))
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(secret));
}

let gw: TestGateway;
let dir: string;
let raw: (query: string, variables: Record<string, unknown>, token?: string) => Promise<GraphQLResponse<any>>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'keys-'));
  const file = join(dir, 'keys.json');
  await writeFile(
    file,
    JSON.stringify(
      SCOPES.map(
        (scope): Record<string, unknown> =>
          // One key given as its SHA-256 only (in capitals: hex is hex): the file need not hold the secret.
          scope === 'stamps:redeem'
            ? { name: scope, keySha256: createHash('sha256').update(KEYS[scope]).digest('hex').toUpperCase(), scopes: [scope] }
            : { name: scope, key: KEYS[scope], scopes: [scope] },
      ).concat([{ name: 'operator', key: OPERATOR_KEY, scopes: ['stamps:read', 'stamps:admin'] }]),
    ),
  );
  const auth = await Authenticator.create({ mode: 'enforced', apiKeysFile: file, jwtSecret: SECRET });
  gw = await startGateway({ auth });
  raw = async (query, variables, token) => {
    const res = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as never };
  };
});
afterAll(async () => {
  await gw.close();
  await rm(dir, { recursive: true, force: true });
});

const freshStamp = (userId: string, stamps = 0, cardIdx = 2) => seedStamp(gw.sandbox, { userId, stamps, cardIdx });

interface Op {
  name: string;
  scope: Scope;
  query: string;
  variables: () => Record<string, unknown>;
}

const OPS: Op[] = [
  {
    name: 'stamp',
    scope: 'stamps:read',
    query: 'query($i: Int!) { stamp(stampIdx: $i) { stampIdx } }',
    variables: () => ({ i: freshStamp('u1') }),
  },
  {
    name: 'stamps',
    scope: 'stamps:read',
    query: 'query($i: Int!) { stamps(stampIdxs: [$i]) { stampIdx } }',
    variables: () => ({ i: freshStamp('u1') }),
  },
  {
    name: 'validateStamp',
    scope: 'stamps:read',
    query: 'query($i: Int!) { validateStamp(stampIdx: $i) { valid } }',
    variables: () => ({ i: freshStamp('u1') }),
  },
  {
    name: 'stampHistory',
    scope: 'stamps:admin',
    query: 'query($i: Int!) { stampHistory(stampIdx: $i) { edges { cursor } } }',
    variables: () => ({ i: freshStamp('u1') }),
  },
  { name: 'parkedReissues', scope: 'stamps:admin', query: '{ parkedReissues { id } }', variables: () => ({}) },
  {
    name: 'createStamp',
    scope: 'stamps:write',
    query: 'mutation($d: Date!) { createStamp(input: {cardIdx: 1, startDate: $d, endDate: $d}) { stampIdx } }',
    variables: () => ({ d: today }),
  },
  {
    name: 'updateStamp',
    scope: 'stamps:write',
    query: 'mutation($i: Int!) { updateStamp(input: {stampIdx: $i, memo: "m"}) { stampIdx } }',
    variables: () => ({ i: freshStamp('u1') }),
  },
  {
    name: 'addStamp',
    scope: 'stamps:write',
    query: 'mutation($i: Int!) { addStamp(input: {stampIdx: $i}) { stampIdx } }',
    variables: () => ({ i: freshStamp('u1') }),
  },
  {
    name: 'removeStamp',
    scope: 'stamps:write',
    query: 'mutation($i: Int!) { removeStamp(input: {stampIdx: $i}) { stampIdx } }',
    variables: () => ({ i: freshStamp('u1', 1) }),
  },
  {
    name: 'adjustStampCount',
    scope: 'stamps:write',
    query: 'mutation($i: Int!) { adjustStampCount(input: {stampIdx: $i, delta: 1}) { newStamps } }',
    variables: () => ({ i: freshStamp('u1') }),
  },
  {
    name: 'redeemStamp',
    scope: 'stamps:redeem',
    query: 'mutation($i: Int!) { redeemStamp(input: {stampIdx: $i}) { stampIdx } }',
    variables: () => ({ i: freshStamp('u1', 6) }),
  },
  {
    name: 'redeemAndReissue',
    scope: 'stamps:redeem',
    query: 'mutation($i: Int!) { redeemAndReissue(input: {stampIdx: $i}) { newStampIdx } }',
    variables: () => ({ i: freshStamp('u1', 6) }),
  },
  {
    name: 'resetStampPin',
    scope: 'stamps:admin',
    query: 'mutation($i: Int!) { resetStampPin(input: {stampIdx: $i}) { stampIdx } }',
    variables: () => ({ i: freshStamp('u1') }),
  },
  {
    name: 'deleteStamp',
    scope: 'stamps:admin',
    query: 'mutation($i: Int!) { deleteStamp(input: {stampIdx: $i}) { deleted } }',
    variables: () => ({ i: freshStamp('u1') }),
  },
  {
    name: 'resolveParkedReissue',
    scope: 'stamps:admin',
    query: 'mutation { resolveParkedReissue(input: {operationId: "999999", issueNew: true}) { newStampIdx } }',
    variables: () => ({}),
  },
];

async function expectRefused(res: GraphQLResponse<any>, code: string, before: number) {
  expect(
    res.body.errors?.map((e) => e.extensions?.code),
    JSON.stringify(res.body),
  ).toEqual([code]);
  expect(gw.sandbox.requests.count(), 'a refused request reached the stamp API').toBe(before);
}

describe('the access matrix: every operation × every kind of caller', () => {
  for (const op of OPS) {
    it(`${op.name} needs ${op.scope}`, async () => {
      let before = gw.sandbox.requests.count();
      await expectRefused(await raw(op.query, op.variables()), 'UNAUTHENTICATED', (before = gw.sandbox.requests.count()));

      for (const scope of SCOPES) {
        const vars = op.variables();
        before = gw.sandbox.requests.count();
        const res = await raw(op.query, vars, KEYS[scope]);
        if (scope === op.scope) {
          const codes = (res.body.errors ?? []).map((e) => e.extensions?.code);
          expect(
            codes.filter((c) => c === 'FORBIDDEN' || c === 'UNAUTHENTICATED'),
            JSON.stringify(res.body),
          ).toEqual([]);
          if (op.name !== 'resolveParkedReissue') expect(res.body.errors, JSON.stringify(res.body)).toBeUndefined();
        } else {
          await expectRefused(res, 'FORBIDDEN', before);
        }
      }

      const customer = await jwt({ sub: 'u1', scope: 'stamps:read' });
      before = gw.sandbox.requests.count();
      const asCustomer = await raw(op.query, op.variables(), customer);
      if (op.scope === 'stamps:read') expect(asCustomer.body.errors, JSON.stringify(asCustomer.body)).toBeUndefined();
      else await expectRefused(asCustomer, 'FORBIDDEN', before);

      for (const token of [
        await jwt({ sub: 'u1', scope: 'stamps:admin' }, SECRET, Math.floor(Date.now() / 1000) - 60),
        await jwt({ sub: 'u1', scope: 'stamps:admin' }, 'another-secret-that-is-long-enough-too'),
      ]) {
        before = gw.sandbox.requests.count();
        const res = await raw(op.query, op.variables(), token);
        expect(res.status).toBe(401);
        await expectRefused(res, 'UNAUTHENTICATED', before);
      }
    });
  }
});

describe('customer tokens', () => {
  it("answer someone else's stamp exactly as a stamp that does not exist", async () => {
    const mine = freshStamp('alice-77');
    const theirs = freshStamp('bob-77');
    const token = await jwt({ sub: 'alice-77', scope: 'stamps:read' });
    const query = 'query($i: Int!) { stamp(stampIdx: $i) { stampIdx user { id } } validateStamp(stampIdx: $i) { valid reason } }';
    const own = await raw(query, { i: mine }, token);
    expect(own.body).toEqual({
      data: { stamp: { stampIdx: mine, user: { id: 'alice-77' } }, validateStamp: { valid: true, reason: null } },
    });

    const other = await raw(query, { i: theirs }, token);
    const missing = await raw(query, { i: 987_654 }, token);
    const strip = (body: unknown, idx: number) => JSON.stringify(body).replaceAll(String(idx), 'N');
    expect(strip(other.body, theirs)).toBe(strip(missing.body, 987_654));
    expect(other.body.data).toEqual({ stamp: null, validateStamp: { valid: false, reason: 'The stamp is not available.' } });
  });

  it('cannot read the on-site password, which an administrator can', async () => {
    const idx = freshStamp('carol-77', 0, 3);
    const query = 'query($i: Int!) { stamp(stampIdx: $i) { onsitePassword } }';
    const asReader = await raw(query, { i: idx }, KEYS['stamps:read']);
    expect(asReader.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(JSON.stringify(asReader.body)).not.toContain('482913');
    expect((await raw(query, { i: idx }, OPERATOR_KEY)).body.data).toEqual({ stamp: { onsitePassword: '482913' } });
  });

  it('refuses a malformed Authorization header rather than treating it as anonymous', async () => {
    const res = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Basic dXNlcjpwYXNz' },
      body: JSON.stringify({ query: '{ parkedReissues { id } }' }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('refuses a key file that gives one key twice, naming the entry and never the key', async () => {
    const file = join(dir, 'twice.json');
    const key = KEYS['stamps:read'];
    await writeFile(
      file,
      JSON.stringify([
        { name: 'till', key, scopes: ['stamps:read'] },
        { name: 'back-office', keySha256: createHash('sha256').update(key).digest('hex'), scopes: ['stamps:admin'] },
      ]),
    );
    const refused = await Authenticator.create({ mode: 'enforced', apiKeysFile: file }).catch((e: Error) => e);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).toContain('"back-office"');
    expect((refused as Error).message).not.toContain(key);
  });

  it('takes a near miss of a key for what it is: not valid', async () => {
    const key = KEYS['stamps:read'];
    for (const token of [key.slice(0, -1), `${key}x`, key.toUpperCase(), createHash('sha256').update(key).digest('hex')]) {
      if (token === key) continue;
      const res = await fetch(`${gw.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect(res.status).toBe(401);
    }
  });
});

describe('per-caller mutation limits', () => {
  it('answers RATE_LIMITED with a retry hint past the per-stamp limit, sending nothing', async () => {
    const limited = await startGateway({ sandbox: gw.sandbox, security: { mutations: { perCaller: 100, perCallerAndStamp: 3 } } });
    try {
      const idx = freshStamp('busy', 0, 1);
      const send = () =>
        fetch(`${limited.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: 'mutation($i: Int!) { addStamp(input: {stampIdx: $i}) { stampIdx } }', variables: { i: idx } }),
        }).then((r) => r.json() as Promise<{ errors?: Array<{ extensions: Record<string, unknown> }> }>);
      for (let i = 0; i < 3; i++) expect((await send()).errors).toBeUndefined();
      const before = gw.sandbox.requests.count();
      const refused = await send();
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', outcome: 'NOT_APPLIED' });
      expect(refused.errors?.[0]?.extensions.retryAfter).toBeGreaterThan(0);
      expect(gw.sandbox.requests.count()).toBe(before);
      expect(gw.sandbox.inspect(idx)?.stamps).toBe(3);
    } finally {
      await limited.close();
    }
  });
});
