import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, seoulToday } from '../../src/dates.js';
import { recoverReissues } from '../../src/stamps/redeem-and-reissue.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { createUpstreamClient } from '../../src/upstream/client.js';
import { StampApi } from '../../src/upstream/stamp-api.js';
import { graphql } from '../gql/index.js';
import { expectNoErrors, onlyError, type TestGateway, useGatewayOn } from '../helpers/gateway.js';
import { startProcess } from '../helpers/process.js';
import { startSandbox, seedStamp, clientOptions } from '../helpers/sandbox.js';
import { ENGINES } from '../helpers/store.js';

const Reissue = graphql(`
  mutation ReissueSafely($input: RedeemAndReissueInput!) {
    redeemAndReissue(input: $input) { redeemedStampIdx newStampIdx newStamp { stampIdx user { id } } }
  }
`);
const Parked = graphql(`
  query Parked { parkedReissues { id oldStampIdx step parkedStep parkedReason newStampIdx oldStamp { stampIdx } } }
`);
const Resolve = graphql(`
  mutation ResolveParked($input: ResolveParkedReissueInput!) { resolveParkedReissue(input: $input) { redeemedStampIdx newStampIdx } }
`);

const today = seoulToday(new Date());
const fullStamp = (sandbox: Sandbox, userId?: string) => seedStamp(sandbox, { cardIdx: 2, stamps: 6, from: -5, to: 60, userId });
const stampsOf = (sandbox: Sandbox, userId: string) => [...sandbox.state.stamps.values()].filter((s) => s.userId === userId);

describe.each(ENGINES)('redeem-and-reissue that always finishes, on $name', ({ open }) => {
  const gateway = useGatewayOn(open);
  let gw: TestGateway;
  beforeAll(() => {
    gw = gateway();
  });

  it('resumes at issuing after a definite failure of create: exactly one redeem and one new stamp', async () => {
    const old = fullStamp(gw.sandbox, 'resume-1');
    const idempotencyKey = `reissue-${old}`;
    gw.sandbox.faults.add({ endpoint: 'create', action: { type: 'status', status: 429, retryAfter: 1 } });
    const failed = onlyError(await gw.request(Reissue, { input: { stampIdx: old, idempotencyKey } }));
    // The redeem applied: a multi-step mutation is NOT_APPLIED only when no step could have applied anything.
    expect(failed.extensions).toMatchObject({
      code: 'UPSTREAM_RATE_LIMITED',
      outcome: 'UNKNOWN',
      redeemedStampIdx: old,
      failedStep: 'issue',
    });
    const done = expectNoErrors(await gw.request(Reissue, { input: { stampIdx: old, idempotencyKey } }));
    expect(done.redeemAndReissue).toMatchObject({ redeemedStampIdx: old, newStamp: { user: { id: 'resume-1' } } });
    expect(gw.sandbox.requests.count('redeem')).toBe(1);
    expect(gw.sandbox.requests.count('create')).toBe(2);
    expect(stampsOf(gw.sandbox, 'resume-1').map((s) => s.useYn)).toEqual(['Y', 'N']);
    // And once finished, the same key replays without a call.
    const before = gw.sandbox.requests.count();
    expect(expectNoErrors(await gw.request(Reissue, { input: { stampIdx: old, idempotencyKey } }))).toEqual(done);
    expect(gw.sandbox.requests.count()).toBe(before);
  });

  it('retries from the start after a definite failure of redeem', async () => {
    const old = fullStamp(gw.sandbox, 'resume-2');
    const idempotencyKey = `reissue-${old}`;
    gw.sandbox.faults.add({ endpoint: 'redeem', action: { type: 'envelope', code: 4000, message: 'Busy' } });
    expect(onlyError(await gw.request(Reissue, { input: { stampIdx: old, idempotencyKey } })).extensions?.outcome).toBe('NOT_APPLIED');
    expectNoErrors(await gw.request(Reissue, { input: { stampIdx: old, idempotencyKey } }));
    expect(gw.sandbox.requests.count('create')).toBe(1);
    expect(stampsOf(gw.sandbox, 'resume-2')).toHaveLength(2);
  });

  it('parks instead of issuing twice when create fails after applying, and an operator finishes it with the stamp found', async () => {
    const old = fullStamp(gw.sandbox, 'park-1');
    const idempotencyKey = `reissue-${old}`;
    gw.sandbox.faults.add({ endpoint: 'create', action: { type: 'status', status: 502 }, applyFirst: true });
    const parked = onlyError(await gw.request(Reissue, { input: { stampIdx: old, idempotencyKey } }));
    expect(parked.extensions).toMatchObject({ code: 'OPERATION_PARKED', outcome: 'UNKNOWN', parkedStep: 'issuing', redeemedStampIdx: old });
    const [issued] = stampsOf(gw.sandbox, 'park-1').filter((s) => s.stampIdx !== old);

    gw.sandbox.requests.clear();
    const retry = onlyError(await gw.request(Reissue, { input: { stampIdx: old, idempotencyKey } }));
    expect(retry.extensions?.code).toBe('OPERATION_PARKED');
    expect(gw.sandbox.requests.count()).toBe(0);

    const list = expectNoErrors(await gw.request(Parked, {})).parkedReissues;
    const op = list.find((o) => o.oldStampIdx === old)!;
    expect(op).toMatchObject({ step: 'parked', parkedStep: 'issuing', oldStamp: { stampIdx: old } });
    expect(op.parkedReason).toMatch(/may have been issued/);

    const resolved = expectNoErrors(await gw.request(Resolve, { input: { operationId: op.id, newStampIdx: issued!.stampIdx } }));
    expect(resolved.resolveParkedReissue).toEqual({ redeemedStampIdx: old, newStampIdx: issued!.stampIdx });
    expect(gw.sandbox.requests.count('create')).toBe(0);
    expect(stampsOf(gw.sandbox, 'park-1')).toHaveLength(2);
    const after = expectNoErrors(await gw.request(Reissue, { input: { stampIdx: old, idempotencyKey } }));
    expect(after.redeemAndReissue.newStampIdx).toBe(issued!.stampIdx);
    expect(expectNoErrors(await gw.request(Parked, {})).parkedReissues.find((o) => o.id === op.id)).toBeUndefined();
  });

  it('parks when redeem ends ambiguously, and an operator issues the new stamp explicitly', async () => {
    const old = fullStamp(gw.sandbox, 'park-2');
    gw.sandbox.faults.add({ endpoint: 'redeem', action: { type: 'drop' }, applyFirst: true });
    const parked = onlyError(await gw.request(Reissue, { input: { stampIdx: old, idempotencyKey: `reissue-${old}` } }));
    expect(parked.extensions).toMatchObject({ code: 'OPERATION_PARKED', parkedStep: 'redeeming' });
    expect(gw.sandbox.requests.count('create')).toBe(0);
    const op = expectNoErrors(await gw.request(Parked, {})).parkedReissues.find((o) => o.oldStampIdx === old)!;
    expect(onlyError(await gw.request(Resolve, { input: { operationId: op.id } })).extensions?.code).toBe('BAD_USER_INPUT');
    const resolved = expectNoErrors(await gw.request(Resolve, { input: { operationId: op.id, issueNew: true } }));
    expect(gw.sandbox.requests.count('redeem')).toBe(1);
    expect(gw.sandbox.requests.count('create')).toBe(1);
    expect(stampsOf(gw.sandbox, 'park-2').map((s) => s.stampIdx)).toEqual([old, resolved.resolveParkedReissue.newStampIdx]);
  });

  it('finishes, at start-up, an operation that had redeemed and not yet started issuing', async () => {
    const old = fullStamp(gw.sandbox, 'recover-1');
    const stamp = await new StampApi(createUpstreamClient(clientOptions(gw.sandbox))).validate(old);
    gw.sandbox.state.redeem({ stampIdx: old });
    // What a gateway that stopped right after the redeem left behind: leased to a process now gone.
    const op = await gw.store.createReissue({ caller: 'local-admin', idempotencyKey: `recover-${old}`, oldStampIdx: old, leaseMs: 0 });
    await gw.store.updateReissue(op.id, {
      step: 'redeemed',
      oldStamp: stamp,
      newWindow: { startDate: today, endDate: addDays(today, 30) },
    });
    await gw.store.db.query(
      `UPDATE reissue_operations SET owner = 'a-stopped-gateway', lease_until = now() - interval '1 second' WHERE id = $1`,
      [op.id],
    );
    const api = new StampApi(createUpstreamClient(clientOptions(gw.sandbox)));
    expect(await recoverReissues(gw.store, api, 5000)).toMatchObject({ finished: 1 });
    expect((await gw.store.getReissue(op.id))?.step).toBe('finished');
    expect(gw.sandbox.requests.count('redeem')).toBe(0);
    expect(stampsOf(gw.sandbox, 'recover-1')).toHaveLength(2);
  });
});

describe('a gateway killed with SIGKILL mid-reissue', () => {
  let sandbox: Sandbox;
  let dataDir: string;
  beforeAll(async () => {
    sandbox = await startSandbox();
    dataDir = await mkdtemp(join(tmpdir(), 'gateway-kill-'));
  });
  afterAll(async () => {
    await sandbox.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const env = () => ({
    PORT: '0',
    STAMP_API_URL: sandbox.url,
    STAMP_API_KEY: sandbox.apiKey,
    DATA_DIR: dataDir,
    UPSTREAM_TIMEOUT_MS: '30000',
    GATEWAY_AUTH: 'off',
  });
  const reissue = (url: string, stampIdx: number) =>
    fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'mutation($i: RedeemAndReissueInput!) { redeemAndReissue(input: $i) { newStampIdx } }',
        variables: { i: { stampIdx, idempotencyKey: `kill-${stampIdx}` } },
      }),
    }).then((r) => r.json() as Promise<{ data?: unknown; errors?: Array<{ extensions: Record<string, unknown> }> }>);

  it('never redeems twice after a restart, and parks the operation whose create was in flight', async () => {
    const old = fullStamp(sandbox, 'killed-1');
    const first = await startProcess('src/server.ts', env(), /ready: (http:\/\/[^\s/]+)\/graphql/, { timeoutMs: 60_000 });
    sandbox.faults.add({ endpoint: 'create', action: { type: 'hang' } });
    void reissue(first.ready, old).catch(() => undefined);
    await expect.poll(() => sandbox.requests.count('create'), { timeout: 10_000 }).toBe(1);
    await first.stop('SIGKILL');

    const second = await startProcess('src/server.ts', env(), /ready: (http:\/\/[^\s/]+)\/graphql/, { timeoutMs: 60_000 });
    try {
      expect(second.output()).toMatch(/parked the ambiguous ones/);
      const retry = await reissue(second.ready, old);
      expect(retry.errors?.[0]?.extensions).toMatchObject({ code: 'OPERATION_PARKED', parkedStep: 'issuing', redeemedStampIdx: old });
      expect(sandbox.requests.count('redeem')).toBe(1);
      expect(sandbox.requests.count('create')).toBe(1);
    } finally {
      await second.stop('SIGKILL');
    }
  }, 120_000);
});
