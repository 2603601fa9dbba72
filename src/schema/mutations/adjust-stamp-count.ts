import { z } from 'zod';
import { builder } from '../../builder.js';
import { type AdjustPayload, adjustStampCount } from '../../stamps/count.js';
import { deltaSchema, idempotencyKeyField, idempotencyKeySchema, LIMITS, optional, stampIdxSchema } from '../inputs.js';
import { requires } from '../scopes.js';
import { idempotencyKeyOf, INPUT_DESCRIPTION, stampPayload } from './payloads.js';

const AdjustStampCountInput = builder.inputType('AdjustStampCountInput', {
  description: 'A relative change of the collected count: bonus stamps or a correction.',
  fields: (t) => ({
    stampIdx: t.int({ required: true, description: 'The stamp.' }),
    delta: t.int({
      required: true,
      description: `How many stamps to add (positive) or take off (negative); not 0, at most ${LIMITS.delta} either way. The result must stay within 0 and the card maximum.`,
    }),
    idempotencyKey: idempotencyKeyField(t),
  }),
  validate: z.looseObject({ stampIdx: stampIdxSchema, delta: deltaSchema, idempotencyKey: optional(idempotencyKeySchema) }),
});

const AdjustStampCountPayload = stampPayload<AdjustPayload>('AdjustStampCountPayload', 'The count before and after the adjustment.');
builder.objectField(AdjustStampCountPayload, 'previousStamps', (t) =>
  t.int({ description: 'The count before the adjustment.', resolve: (p) => p.previousStamps }),
);
builder.objectField(AdjustStampCountPayload, 'newStamps', (t) =>
  t.int({ description: 'The count after the adjustment.', resolve: (p) => p.newStamps }),
);

builder.mutationField('adjustStampCount', (t) =>
  t.field({
    type: AdjustStampCountPayload,
    ...requires(
      'stamps:write',
      'Adds or takes off several stamps at once, on top of the current count. Concurrent adjustments of one stamp are applied one after another, so none is lost. CONFLICT when the result would leave 0..maxStamps.',
    ),
    args: { input: t.arg({ type: AdjustStampCountInput, required: true, description: INPUT_DESCRIPTION }) },
    resolve: (_, { input }, ctx, info) => adjustStampCount(ctx.stamps, input, { idempotencyKey: idempotencyKeyOf(ctx, input, info) }),
  }),
);
