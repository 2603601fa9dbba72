import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { stampClient } from '../../examples/client.js';
import {
  AddStampDocument,
  CashierStampDocument,
  MyStampsDocument,
  PunchCardChangedDocument,
  StampsOfUserDocument,
} from '../../examples/gql/graphql.js';
import { Authenticator } from '../../src/auth/authentication.js';
import { mintDevToken } from '../../src/auth/dev-tokens.js';
import { loadConfig } from '../../src/config.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { seedStamp } from '../helpers/sandbox.js';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';
const STAFF_KEY = 'cashier-key-0123456789abcdef01';
const MANIFEST = 'examples/gql/persisted-documents.json';

let gw: TestGateway;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'typed-client-'));
  const keys = join(dir, 'keys.json');
  await writeFile(keys, JSON.stringify([{ name: 'cashier', key: STAFF_KEY, scopes: ['stamps:read', 'stamps:write', 'stamps:redeem'] }]));
  // The manifest exactly as graphql-codegen's client-preset writes it, read the way the gateway reads
  // PERSISTED_OPERATIONS_FILE.
  const { persistedOperations } = loadConfig({ PERSISTED_OPERATIONS_FILE: MANIFEST }).security;
  gw = await startGateway({
    auth: await Authenticator.create({ mode: 'enforced', apiKeysFile: keys, jwtSecret: SECRET }),
    security: { persistedOperations },
  });
});

afterAll(async () => {
  await gw?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the example client (codegen client-preset, persisted documents) against a gateway that allows only those', () => {
  it('runs every example document by its hash alone, typed end to end, and a live change reaches the customer', async () => {
    const user = `typed-${randomUUID().slice(0, 8)}`;
    const idx = seedStamp(gw.sandbox, { userId: user, stamps: 2 });
    const cashier = stampClient({ url: gw.url, token: STAFF_KEY, webSocketImpl: WebSocket });
    const customer = stampClient({ url: gw.url, token: await mintDevToken(SECRET, { customer: user }, 600), webSocketImpl: WebSocket });
    try {
      // The cashier finds the customer's card (its read puts it in the gateway's index).
      const card = await cashier.client.query(CashierStampDocument, { stampIdx: idx }).toPromise();
      expect(card.error).toBeUndefined();
      expect(card.data?.stamp?.user.id).toBe(user);
      await gw.parts.stamps.userIndex.flush();
      const found = await cashier.client.query(StampsOfUserDocument, { userId: user }).toPromise();
      expect(found.data?.stampsOfUser.stamps.map((s) => s.stampIdx)).toEqual([idx]);

      const mine = await customer.client.query(MyStampsDocument, {}).toPromise();
      expect(mine.error).toBeUndefined();
      const stamps = mine.data!.myStamps.stamps;
      expect(stamps.map((s) => [s.stampIdx, s.stamps, s.maxStamps, s.remaining])).toEqual([[idx, 2, 10, 8]]);

      const changes: number[] = [];
      const live = customer.client.subscription(PunchCardChangedDocument, { stampIdxs: [idx] }).subscribe((result) => {
        if (result.data?.stampsChanged.stamp) changes.push(result.data.stampsChanged.stamp.stamps);
      });
      // Subscribed once the gateway counts the subscription.
      await expect.poll(() => gw.parts.stamps.changes.size, { timeout: 5_000 }).toBeGreaterThan(0);
      const added = await cashier.client.mutation(AddStampDocument, { stampIdx: idx, idempotencyKey: randomUUID() }).toPromise();
      expect(added.error).toBeUndefined();
      expect(added.data?.addStamp.stamp?.stamps).toBe(3);
      await expect.poll(() => changes, { timeout: 5_000 }).toEqual([3]);
      live.unsubscribe();
    } finally {
      await cashier.close();
      await customer.close();
    }
    // The manifest holds the example's documents, each under its sha256.
    const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Record<string, string>;
    expect(Object.keys(manifest).length).toBe(6);
    for (const key of Object.keys(manifest)) expect(key).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('refuses a document that is not in the manifest, by text or by an unknown hash, before anything is sent', async () => {
    gw.sandbox.requests.clear();
    const ask = (body: unknown) =>
      fetch(`${gw.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${STAFF_KEY}` },
        body: JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as { errors?: Array<{ extensions?: { code?: string } }> } }));
    const text = await ask({ query: '{ stamp(stampIdx: 1000) { stampIdx } }' });
    expect(text.body.errors?.[0]?.extensions?.code).toMatch(/^(PERSISTED_QUERY_ID_REQUIRED|CANNOT_SEND_PQ_ID_AND_BODY)$/);
    for (const hash of [`sha256:${'0'.repeat(64)}`, '__proto__', 'constructor', 'x'.repeat(5000)]) {
      const unknown = await ask({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
      expect(unknown.body.errors?.[0]?.extensions?.code, hash.slice(0, 20)).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    }
    expect(gw.sandbox.requests.list()).toHaveLength(0);
  });
});
