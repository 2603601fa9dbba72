import { z } from 'zod';
import { builder } from '../builder.js';
import {
  type HistoryEntry,
  HISTORY_PAGE_MAX as MAX_PAGE,
  type HistoryPage,
  lastKnownStamp,
  parkedReissues,
  type ReissueOperation,
  stampHistory,
} from '../stamps/history.js';
import { stampIdxSchema, text } from './inputs.js';
import { Stamp } from './stamp.js';
import { requires } from './scopes.js';

const UpstreamCall = builder.objectRef<HistoryEntry['upstreamCalls'][number]>('UpstreamCall').implement({
  description: 'One call the gateway made to the stamp API.',
  fields: (t) => ({
    endpoint: t.exposeString('endpoint', { description: 'create, validate, update, add, remove, redeem or delete.' }),
    status: t.exposeInt('status', { nullable: true, description: 'HTTP status of the last attempt, when one answered.' }),
    code: t.exposeInt('code', { nullable: true, description: "The envelope's code, when there was an envelope." }),
    durationMs: t.exposeFloat('durationMs', { description: 'How long the call took, retries included.' }),
    attempts: t.exposeInt('attempts', { description: 'Attempts made (retries only for calls safe to repeat).' }),
    error: t.exposeString('error', { nullable: true, description: 'The failure, when it failed.' }),
  }),
});

const HistoryOutcome = builder.enumType('HistoryOutcome', {
  description: 'What became of a mutation attempt.',
  values: {
    APPLIED: { description: 'The change was made.' },
    NOT_APPLIED: { description: 'Nothing changed (refused, invalid, or failed before sending).' },
    UNKNOWN: { description: 'The stamp API may or may not have made the change.' },
    REPLAYED: { description: 'A retry with the same idempotency key; the first answer was replayed, nothing sent.' },
  } as const,
});

const StampHistoryEntry = builder.objectRef<HistoryEntry>('StampHistoryEntry').implement({
  description: 'One mutation attempt on a stamp, as recorded by the gateway (append-only).',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The entry, increasing in the order attempts were recorded.' }),
    at: t.field({ type: 'DateTime', description: 'When the attempt ended.', resolve: (e) => e.at.toISOString() }),
    operation: t.exposeString('operation', { description: "The mutation's name." }),
    caller: t.exposeString('caller', { description: 'Who made the attempt.' }),
    requestId: t.exposeString('requestId', { nullable: true, description: 'The request id (X-Request-Id).' }),
    outcome: t.field({ type: HistoryOutcome, description: 'What became of it.', resolve: (e) => e.outcome }),
    errorCode: t.exposeString('errorCode', { nullable: true, description: 'extensions.code of the error, when it failed.' }),
    errorMessage: t.exposeString('errorMessage', { nullable: true, description: 'The error message, when it failed.' }),
    idempotencyKey: t.exposeString('idempotencyKey', { nullable: true, description: 'The idempotency key, when one was given.' }),
    input: t.string({
      description: 'The input as JSON, secrets (on-site passwords) removed.',
      resolve: (e) => JSON.stringify(e.input),
    }),
    before: t.field({
      type: Stamp,
      nullable: true,
      description: 'The stamp as read before the change, where known.',
      resolve: (e) => e.before,
    }),
    after: t.field({ type: Stamp, nullable: true, description: 'The stamp after the change, where known.', resolve: (e) => e.after }),
    upstreamCalls: t.field({
      type: [UpstreamCall],
      description: 'Every call made to the stamp API, in order.',
      resolve: (e) => e.upstreamCalls,
    }),
  }),
});

export const PageInfo = builder.objectRef<{ hasNextPage: boolean; endCursor: string | null }>('PageInfo').implement({
  description: 'Relay pagination.',
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage', { description: 'More (older) entries follow.' }),
    endCursor: t.exposeString('endCursor', { nullable: true, description: 'Pass as `after` for the next page.' }),
  }),
});

const StampHistoryEdge = builder.objectRef<HistoryPage['entries'][number]>('StampHistoryEdge').implement({
  description: 'An entry with its cursor.',
  fields: (t) => ({
    cursor: t.string({ description: 'Where this entry stands.', resolve: (e) => e.cursor }),
    node: t.field({ type: StampHistoryEntry, description: 'The entry.', resolve: (e) => e }),
  }),
});

const StampHistoryConnection = builder.objectRef<HistoryPage>('StampHistoryConnection').implement({
  description: "A stamp's change history, newest first.",
  fields: (t) => ({
    edges: t.field({ type: [StampHistoryEdge], description: 'The entries of this page.', resolve: (c) => c.entries }),
    pageInfo: t.field({
      type: PageInfo,
      description: 'How to get the next page.',
      resolve: (c) => ({ hasNextPage: c.hasNextPage, endCursor: c.endCursor }),
    }),
    lastKnownStamp: t.field({
      type: Stamp,
      nullable: true,
      description:
        'The newest state of the stamp the gateway has seen, even after the stamp API stopped showing it (redeemed, expired, deleted).',
      resolve: (c, _, ctx) => lastKnownStamp(ctx.stamps, c.stampIdx),
    }),
  }),
});

builder.queryField('stampHistory', (t) =>
  t.field({
    type: StampHistoryConnection,
    ...requires('stamps:admin', `Every mutation attempt on a stamp through this gateway, newest first (at most ${MAX_PAGE} a page).`),
    args: {
      stampIdx: t.arg.int({ required: true, description: "The stamp's id.", validate: stampIdxSchema }),
      first: t.arg.int({
        description: `Entries per page, 1 to ${MAX_PAGE} (default 20).`,
        validate: z.number().int().min(1, `must be between 1 and ${MAX_PAGE}`).max(MAX_PAGE, `must be between 1 and ${MAX_PAGE}`).nullish(),
      }),
      after: t.arg.string({ description: 'The endCursor of the previous page.', validate: text(200).nullish() }),
    },
    resolve: (_, { stampIdx, first, after }, ctx) => stampHistory(ctx.stamps, stampIdx, first ?? 20, after),
  }),
);

export const ReissueOperationRef = builder.objectRef<ReissueOperation>('ReissueOperation').implement({
  description: 'A redeem-and-reissue operation and the step it has reached.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The operation.' }),
    oldStampIdx: t.exposeInt('oldStampIdx', { description: 'The stamp being redeemed.' }),
    step: t.exposeString('step', { description: 'reading, redeeming, redeemed, issuing, finished or parked.' }),
    parkedStep: t.exposeString('parkedStep', { nullable: true, description: 'The step whose outcome is unknown, when parked.' }),
    parkedReason: t.exposeString('parkedReason', { nullable: true, description: 'Why it needs an operator.' }),
    newStampIdx: t.exposeInt('newStampIdx', { nullable: true, description: 'The stamp issued, once known.' }),
    oldStamp: t.field({ type: Stamp, nullable: true, description: 'The stamp as read before redeeming.', resolve: (o) => o.oldStamp }),
    caller: t.exposeString('caller', { description: 'Who started it.' }),
    createdAt: t.field({ type: 'DateTime', description: 'When it started.', resolve: (o) => o.createdAt.toISOString() }),
    updatedAt: t.field({ type: 'DateTime', description: 'When it last moved.', resolve: (o) => o.updatedAt.toISOString() }),
  }),
});

builder.queryField('parkedReissues', (t) =>
  t.field({
    type: [ReissueOperationRef],
    ...requires(
      'stamps:admin',
      'Redeem-and-reissue operations that need an operator: a step ended ambiguously, or the gateway stopped during it. Finish each with resolveParkedReissue.',
    ),
    resolve: (_, __, ctx) => parkedReissues(ctx.stamps),
  }),
);
