import { randomBytes, randomUUID } from 'node:crypto';
import { GatewayStore, type NewHistoryEntry } from '../../src/store/store.js';

export const DATABASE_URL_TEST = process.env.DATABASE_URL_TEST;
if (!DATABASE_URL_TEST) console.warn('PostgreSQL cases skipped: DATABASE_URL_TEST is not set (.ci/run sets it)');

/** A fresh PostgreSQL schema per store, so parallel test files never see each other's rows. */
export const freshSchema = () => `t_${randomBytes(6).toString('hex')}`;

/** The storage engines every storage and concurrency test runs on: PGlite always, PostgreSQL when available. */
export const ENGINES: Array<{ name: string; open: (schema?: string) => Promise<GatewayStore> }> = [
  { name: 'PGlite', open: () => GatewayStore.open({}) },
  ...(DATABASE_URL_TEST
    ? [{ name: 'PostgreSQL', open: (schema = freshSchema()) => GatewayStore.open({ databaseUrl: DATABASE_URL_TEST, schema }) }]
    : []),
];

/** A history entry of an applied addStamp on `stampIdx`, with `over` changed. */
export const historyEntry = (stampIdx: number | null, over: Partial<NewHistoryEntry> = {}): NewHistoryEntry => ({
  entryKey: `test:${randomUUID()}`,
  requestId: randomUUID(),
  caller: 'staff',
  operation: 'addStamp',
  stampIdx,
  input: { stampIdx },
  before: null,
  after: null,
  upstreamCalls: [],
  outcome: 'APPLIED',
  errorCode: null,
  errorMessage: null,
  idempotencyKey: null,
  ...over,
});
