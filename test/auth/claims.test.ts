import { exportSPKI, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authenticator } from '../../src/auth/authentication.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { startSandbox } from '../helpers/sandbox.js';
import type { Sandbox } from '../../src/sandbox/server.js';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';
const now = () => Math.floor(Date.now() / 1000);
const READ_ALL = 'query { stamps(stampIdxs: [1000, 1001, 1002]) { stampIdx user { id } } }';

/** Every wrong type and shape a claim can take; each must fail the token, never widen it. */
const BAD_CLAIMS: Array<[string, JWTPayload]> = [
  ['empty sub', { sub: '' }],
  ['null sub', { sub: null } as never],
  ['zero sub', { sub: 0 } as never],
  ['false sub', { sub: false } as never],
  ['numeric sub', { sub: 42 } as never],
  ['array sub', { sub: ['demo-alice'] } as never],
  ['object sub', { sub: { id: 'demo-alice' } } as never],
  ['sub with NUL', { sub: 'demo-alice\u0000' }],
  ['sub with a newline', { sub: 'demo\nalice' }],
  ['sub with an unpaired surrogate', { sub: 'demo-\ud800' }],
  ['sub of 10,000 characters', { sub: 'a'.repeat(10_000) }],
  ['numeric scope', { scope: 7 } as never],
  ['array scope', { scope: ['stamps:read'] } as never],
  ['object scope', { scope: { 'stamps:read': true } } as never],
  ['boolean scope', { scope: true } as never],
  ['numeric scp', { scope: undefined, scp: 1 } as never],
  ['scp of numbers', { scope: undefined, scp: [1, 2] } as never],
  ['string exp', { exp: String(now() + 60) } as never],
  ['null exp', { exp: null } as never],
  ['exp far in the future', { exp: now() + 10 * 365 * 86_400 }],
  ['exp of 1e300', { exp: 1e300 }],
  ['string iat', { iat: 'yesterday' } as never],
  ['lifetime over the maximum (from iat)', { iat: now() - 3 * 86_400, exp: now() + 60 }],
];

function base(claims: JWTPayload): JWTPayload {
  const merged: Record<string, unknown> = { sub: 'demo-alice', scope: 'stamps:read', exp: now() + 300, ...claims };
  for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k];
  return merged;
}

describe.each([{ alg: 'HS256' as const }, { alg: 'RS256' as const }])('JWT claims are typed and fail closed ($alg)', ({ alg }) => {
  let sandbox: Sandbox;
  let gw: TestGateway;
  let sign: (payload: JWTPayload) => Promise<string>;

  beforeAll(async () => {
    sandbox = await startSandbox();
    if (alg === 'HS256') {
      const key = new TextEncoder().encode(SECRET);
      sign = (payload) => new SignJWT(payload).setProtectedHeader({ alg }).sign(key);
      gw = await startGateway({ sandbox, auth: await Authenticator.create({ mode: 'enforced', jwtSecret: SECRET }) });
    } else {
      const { publicKey, privateKey } = await generateKeyPair('RS256');
      sign = (payload) => new SignJWT(payload).setProtectedHeader({ alg }).sign(privateKey);
      gw = await startGateway({
        sandbox,
        auth: await Authenticator.create({ mode: 'enforced', jwtPublicKey: await exportSPKI(publicKey), jwtAlgorithm: 'RS256' }),
      });
    }
  });
  afterAll(async () => {
    await gw.close();
    await sandbox.close();
  });

  const ask = async (token: string, query = READ_ALL) => {
    const res = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query }),
    });
    return { status: res.status, body: (await res.json()) as { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> } };
  };

  for (const [name, claims] of BAD_CLAIMS) {
    it(`refuses a correctly signed token with ${name}, reading nothing`, async () => {
      const before = sandbox.requests.count();
      const res = await ask(await sign(base(claims)));
      expect(res.status, JSON.stringify(res.body)).toBe(401);
      expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
      expect(res.body.data).toBeUndefined();
      expect(sandbox.requests.count()).toBe(before);
    });
  }

  it("lets a customer read only its own stamp, and nobody else's", async () => {
    const res = await ask(await sign(base({})));
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ stamps: [{ stampIdx: 1000, user: { id: 'demo-alice' } }, null, null] });
    expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['STAMP_UNAVAILABLE', 'STAMP_UNAVAILABLE']);
  });

  it('treats a token with no staff scope as a customer, whatever other claims say', async () => {
    for (const extra of [{ admin: true }, { role: 'admin' }, { customer: false }, { scp: ['stamps:read'], scope: undefined }]) {
      const res = await ask(await sign(base(extra as JWTPayload)));
      expect(res.body.data, JSON.stringify(extra)).toEqual({ stamps: [{ stampIdx: 1000, user: { id: 'demo-alice' } }, null, null] });
    }
  });

  it('refuses a token with no scopes at all with FORBIDDEN', async () => {
    const res = await ask(await sign(base({ scope: '' })));
    expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
