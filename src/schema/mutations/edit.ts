import { builder } from '../../builder.js';
import { requires } from '../scopes.js';
import { runMutation } from '../../safety/run-mutation.js';
import { conflict } from '../../safety/stamp-checks.js';
import { AFTER_STAMP, sendChange, stampPayload } from './shared.js';
import { idempotencyKeyField, InputSchemas, LIMITS, StampUserInput } from '../inputs.js';

const CreateStampInput = builder.inputType('CreateStampInput', {
  description: 'A new stamp for a customer on an existing stamp card.',
  fields: (t) => ({
    cardIdx: t.int({ required: true, description: 'The stamp card to issue on.' }),
    startDate: t.field({ type: 'Date', required: true, description: 'First day the stamp can be used.' }),
    endDate: t.field({
      type: 'Date',
      required: true,
      description: 'Last day the stamp can be used: on or after startDate, at most 5 years from today.',
    }),
    active: t.boolean({ description: 'False issues the stamp deactivated. Default true.' }),
    domain: t.string({
      description: 'Domain of the stamp page (custom domains need the Premium plan). Default https://vvd.bz.',
    }),
    memo: t.string({ description: `Internal note (at most ${LIMITS.memo} characters).` }),
    user: t.field({ type: StampUserInput, description: 'Who the stamp is for. Without an id the stamp service generates one.' }),
    idempotencyKey: idempotencyKeyField(t),
  }),
  validate: InputSchemas.createStamp,
});

const IssuedStampPayload = stampPayload<{ stampIdx: number }>('CreateStampPayload', 'The stamp issued.');

builder.mutationField('createStamp', (t) =>
  t.field({
    type: IssuedStampPayload,
    ...requires('stamps:write', 'Issues a new stamp to a customer on a stamp card.'),
    args: { input: t.arg({ type: CreateStampInput, required: true, description: 'What to do; see the input type for each field.' }) },
    resolve: (_, { input }, ctx, info) =>
      runMutation(ctx, info, { operation: 'createStamp', stampIdx: null, input, after: AFTER_STAMP }, async () => {
        const { idempotencyKey: _key, ...fields } = input;
        return { stampIdx: await ctx.api.create(fields) };
      }),
  }),
);

const UpdateStampInput = builder.inputType('UpdateStampInput', {
  description: 'Changes to a stamp. Only the fields given are sent; the others stay as they are.',
  fields: (t) => ({
    stampIdx: t.int({ required: true, description: 'The stamp to change.' }),
    cardIdx: t.int({ description: 'Move the stamp to another card (its count must fit that card).' }),
    stamps: t.int({
      description: 'Set the collected count to this total (0 to the card maximum). For relative changes use adjustStampCount.',
    }),
    active: t.boolean({ description: 'Deactivate (false) or reactivate (true) the stamp.' }),
    startDate: t.field({ type: 'Date', description: 'First day the stamp can be used.' }),
    endDate: t.field({ type: 'Date', description: 'Last day the stamp can be used, at most 5 years from today.' }),
    domain: t.string({ description: 'Domain of the stamp page; empty for the default.' }),
    memo: t.string({ description: `Internal note (at most ${LIMITS.memo} characters).` }),
    user: t.field({ type: StampUserInput, description: 'Customer fields to change; those not given stay.' }),
    idempotencyKey: idempotencyKeyField(t),
  }),
  validate: InputSchemas.updateStamp,
});

const UpdateStampPayload = stampPayload<{ stampIdx: number }>('UpdateStampPayload', 'The stamp changed.');

builder.mutationField('updateStamp', (t) =>
  t.field({
    type: UpdateStampPayload,
    ...requires('stamps:write', 'Changes the given fields of a stamp. Redemption cannot be undone here or anywhere.'),
    args: { input: t.arg({ type: UpdateStampInput, required: true, description: 'What to do; see the input type for each field.' }) },
    resolve: (_, { input }, ctx, info) =>
      runMutation(ctx, info, { operation: 'updateStamp', stampIdx: input.stampIdx, input, after: AFTER_STAMP }, async () => {
        const { stampIdx, idempotencyKey: _key, ...fields } = input;
        await sendChange(ctx, stampIdx, () => ctx.api.update(stampIdx, fields), (stamp) =>
          typeof fields.stamps === 'number' && fields.stamps > stamp.maxStamps
            ? conflict(`stamps ${fields.stamps} is more than the card's maximum of ${stamp.maxStamps}`, { maxStamps: stamp.maxStamps })
            : undefined,
        );
        return { stampIdx };
      }),
  }),
);

const StampRefInput = (name: string, description: string) =>
  builder.inputType(name, {
    description,
    fields: (t) => ({
      stampIdx: t.int({ required: true, description: 'The stamp.' }),
      idempotencyKey: idempotencyKeyField(t),
    }),
    validate: InputSchemas.stampRef,
  });

const ResetStampPinInput = StampRefInput('ResetStampPinInput', 'The stamp whose customer PIN to reset.');
const ResetStampPinPayload = stampPayload<{ stampIdx: number }>('ResetStampPinPayload', 'The stamp whose PIN was reset.');

builder.mutationField('resetStampPin', (t) =>
  t.field({
    type: ResetStampPinPayload,
    ...requires('stamps:admin', "Clears the customer's PIN: they choose a new one on their next visit to the stamp page. Nothing else changes."),
    args: { input: t.arg({ type: ResetStampPinInput, required: true, description: 'What to do; see the input type for each field.' }) },
    resolve: (_, { input }, ctx, info) =>
      runMutation(ctx, info, { operation: 'resetStampPin', stampIdx: input.stampIdx, input, after: AFTER_STAMP }, async () => {
        const { stampIdx } = input;
        await sendChange(ctx, stampIdx, () => ctx.api.update(stampIdx, {}, { resetPin: true }));
        return { stampIdx };
      }),
  }),
);

const DeleteStampInput = StampRefInput('DeleteStampInput', 'The stamp to delete for good.');
const DeleteStampPayload = builder.objectRef<{ stampIdx: number }>('DeleteStampPayload').implement({
  description: 'The stamp deleted.',
  fields: (t) => ({
    stampIdx: t.int({ description: 'The stamp deleted.', resolve: (p) => p.stampIdx }),
    deleted: t.boolean({ description: 'Always true: a failed delete is an error.', resolve: () => true }),
  }),
});

builder.mutationField('deleteStamp', (t) =>
  t.field({
    type: DeleteStampPayload,
    ...requires('stamps:admin', 'Deletes a stamp and its history at the stamp service, permanently. Prefer updateStamp(active: false) for stamps customers have seen.'),
    args: { input: t.arg({ type: DeleteStampInput, required: true, description: 'What to do; see the input type for each field.' }) },
    resolve: (_, { input }, ctx, info) =>
      runMutation(ctx, info, { operation: 'deleteStamp', stampIdx: input.stampIdx, input }, async (trace) => {
        const { stampIdx } = input;
        // The last state before it disappears, for the history: a delete also deletes upstream history.
        trace.before = await ctx.api.validate(stampIdx).catch(() => null);
        await sendChange(ctx, stampIdx, () => ctx.api.delete(stampIdx));
        return { stampIdx };
      }),
  }),
);

export { StampRefInput };
