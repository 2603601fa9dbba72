import { randomUUID } from 'node:crypto';
import { builder } from '../../builder.js';
import { requires } from '../scopes.js';
import { resolveParked, runReissue } from '../../safety/reissue.js';
import { runMutation } from '../../safety/run-mutation.js';
import type { Stamp as StampShape } from '../../upstream/mapping.js';
import { badUserInput } from '../errors.js';
import { idempotencyKeyField, InputSchemas, LIMITS } from '../inputs.js';
import { Stamp } from '../stamp.js';
import { assertRedeemable, readForWrite } from '../../safety/stamp-checks.js';
import { stampAfterChange } from './shared.js';

const onsitePasswordField = (t: PothosSchemaTypes.InputFieldBuilder<import('../../builder.js').Types, 'InputObject'>) =>
  t.string({
    description: 'The staff password, required when the card has on-site approval (Stamp.onsiteApproval). Never logged or stored.',
  });

const RedeemStampInput = builder.inputType('RedeemStampInput', {
  description: 'The full stamp whose reward the customer is receiving.',
  fields: (t) => ({
    stampIdx: t.int({ required: true, description: 'The stamp.' }),
    onsitePassword: onsitePasswordField(t),
    idempotencyKey: idempotencyKeyField(t),
  }),
  validate: InputSchemas.redeemStamp,
});

interface RedeemShape {
  stampIdx: number;
  redeemedAt: string;
  lastKnown: StampShape;
}

const RedeemStampPayload = builder.objectRef<RedeemShape>('RedeemStampPayload').implement({
  description: 'The reward redeemed. The stamp service shows a redeemed stamp no more; issue a new one for the next cycle.',
  fields: (t) => ({
    stampIdx: t.int({ description: 'The stamp redeemed.', resolve: (p) => p.stampIdx }),
    redeemedAt: t.field({ type: 'DateTime', description: 'When the gateway had the redemption confirmed.', resolve: (p) => p.redeemedAt }),
    lastKnownStamp: t.field({
      type: Stamp,
      description: 'The stamp as read just before it was redeemed (the stamp service no longer shows it).',
      resolve: (p) => p.lastKnown,
    }),
  }),
});

builder.mutationField('redeemStamp', (t) =>
  t.field({
    type: RedeemStampPayload,
    ...requires('stamps:redeem', 'Marks the reward of a full stamp as used. Irreversible: nothing in the gateway can set it back. Checks, before sending, that the card is full and the on-site password (when the card needs one) is right.'),
    args: { input: t.arg({ type: RedeemStampInput, required: true, description: 'What to do; see the input type for each field.' }) },
    resolve: (_, { input }, ctx, info) =>
      runMutation(ctx, info, { operation: 'redeemStamp', stampIdx: input.stampIdx, input }, async (trace) => {
        const lastKnown = await readForWrite(ctx, input.stampIdx);
        trace.before = lastKnown;
        assertRedeemable(lastKnown, input.onsitePassword);
        await ctx.api.redeem(lastKnown.stampIdx, lastKnown.onsiteApproval ? input.onsitePassword : undefined);
        ctx.forget(lastKnown.stampIdx);
        return { stampIdx: input.stampIdx, redeemedAt: new Date().toISOString(), lastKnown };
      }),
  }),
);

const RedeemAndReissueInput = builder.inputType('RedeemAndReissueInput', {
  description: 'Redeem a full stamp and issue the next one on the same card for the same customer.',
  fields: (t) => ({
    stampIdx: t.int({ required: true, description: 'The full stamp to redeem.' }),
    onsitePassword: onsitePasswordField(t),
    startDate: t.field({ type: 'Date', description: 'First day of the new stamp. Default: today (Asia/Seoul).' }),
    endDate: t.field({
      type: 'Date',
      description: "Last day of the new stamp. Default: as long a window as the old stamp's, capped at 5 years from today.",
    }),
    idempotencyKey: idempotencyKeyField(t),
  }),
  validate: InputSchemas.redeemAndReissue,
});

interface ReissueShape {
  redeemedStampIdx: number;
  newStampIdx: number;
  newStamp?: StampShape | null;
}

const RedeemAndReissuePayload = builder.objectRef<ReissueShape>('RedeemAndReissuePayload').implement({
  description: 'The old stamp redeemed and the new one issued.',
  fields: (t) => ({
    redeemedStampIdx: t.int({ description: 'The stamp redeemed.', resolve: (p) => p.redeemedStampIdx }),
    newStampIdx: t.int({ description: 'The stamp issued for the next cycle.', resolve: (p) => p.newStampIdx }),
    newStamp: t.field({
      type: Stamp,
      nullable: true,
      description: 'The new stamp, read from the stamp service; null while it is not yet in its validity window.',
      resolve: (p, _, ctx) => (p.newStamp !== undefined ? p.newStamp : stampAfterChange(ctx, p.newStampIdx)),
    }),
  }),
});

builder.mutationField('redeemAndReissue', (t) =>
  t.field({
    type: RedeemAndReissuePayload,
    ...requires('stamps:redeem', "The reward cycle in one step: redeems the full stamp, then issues a new one on the same card for the same customer (user fields carried over). Each step is recorded durably: a retry with the same idempotencyKey resumes where it stopped, never redeeming twice or issuing blindly; a step that ended ambiguously parks the operation for an operator (OPERATION_PARKED)."),
    args: { input: t.arg({ type: RedeemAndReissueInput, required: true, description: 'What to do; see the input type for each field.' }) },
    resolve: (_, { input }, ctx, info) =>
      runMutation(
        ctx,
        info,
        { operation: 'redeemAndReissue', stampIdx: input.stampIdx, input, rememberErrors: false, after: { field: 'newStamp', stampIdx: (p: ReissueShape) => p.newStampIdx } },
        // Without a key the steps are still recorded, under one of their own, for recovery and operators.
        (trace) => runReissue(ctx, trace, { ...input, key: input.idempotencyKey ?? ctx.idempotencyKeyHeader ?? `auto:${randomUUID()}` }),
      ),
  }),
);

const ResolveParkedReissueInput = builder.inputType('ResolveParkedReissueInput', {
  description: "An operator's decision on a parked redeem-and-reissue: give exactly one of newStampIdx or issueNew.",
  fields: (t) => ({
    operationId: t.id({ required: true, description: 'The parked operation (parkedReissues).' }),
    newStampIdx: t.int({ description: 'The new stamp found in the dashboard: the operation finishes with it, nothing is sent.' }),
    issueNew: t.boolean({ description: 'True when no new stamp exists and the old one is redeemed: issue the new stamp now.' }),
    idempotencyKey: idempotencyKeyField(t),
  }),
  validate: InputSchemas.resolveParkedReissue,
});

builder.mutationField('resolveParkedReissue', (t) =>
  t.field({
    type: RedeemAndReissuePayload,
    ...requires('stamps:admin', 'Finishes a parked redeem-and-reissue, either with the new stamp an operator found or by issuing it now. Recorded in the history.'),
    args: { input: t.arg({ type: ResolveParkedReissueInput, required: true, description: 'What to do; see the input type for each field.' }) },
    resolve: async (_, { input }, ctx, info) => {
      const op = await ctx.store.getReissue(String(input.operationId));
      if (!op) throw badUserInput([{ path: 'input.operationId', message: 'is not a redeem-and-reissue operation' }]);
      return runMutation(
        ctx,
        info,
        { operation: 'resolveParkedReissue', stampIdx: op.oldStampIdx, input, after: { field: 'newStamp', stampIdx: (p: ReissueShape) => p.newStampIdx } },
        (trace) => resolveParked(ctx, trace, op, input),
      );
    },
  }),
);
