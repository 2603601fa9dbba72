import { z } from 'zod';
import { builder } from '../../builder.js';
import { resolveParkedReissue } from '../../stamps/redeem-and-reissue.js';
import { idempotencyKeyField, idempotencyKeySchema, optional, stampIdxSchema } from '../inputs.js';
import { requires } from '../scopes.js';
import { INPUT_DESCRIPTION, mutationOptions } from './payloads.js';
import { RedeemAndReissuePayload } from './redeem-and-reissue.js';

const ResolveParkedReissueInput = builder.inputType('ResolveParkedReissueInput', {
  description: "An operator's decision on a parked redeem-and-reissue: give exactly one of newStampIdx or issueNew.",
  fields: (t) => ({
    operationId: t.id({ required: true, description: 'The parked operation (parkedReissues).' }),
    newStampIdx: t.int({ description: 'The new stamp found in the dashboard: the operation finishes with it, nothing is sent.' }),
    issueNew: t.boolean({ description: 'True when no new stamp exists and the old one is redeemed: issue the new stamp now.' }),
    idempotencyKey: idempotencyKeyField(t),
  }),
  validate: z
    .looseObject({
      operationId: z.string().regex(/^\d{1,18}$/, 'is not a redeem-and-reissue operation'),
      newStampIdx: optional(stampIdxSchema),
      issueNew: z.boolean().nullish(),
      idempotencyKey: optional(idempotencyKeySchema),
    })
    .refine((v) => (v.newStampIdx ? 1 : 0) + (v.issueNew ? 1 : 0) === 1, {
      message: 'give exactly one of newStampIdx or issueNew: true',
      path: ['newStampIdx'],
    }),
});

builder.mutationField('resolveParkedReissue', (t) =>
  t.field({
    type: RedeemAndReissuePayload,
    ...requires(
      'stamps:admin',
      'Finishes a parked redeem-and-reissue, either with the new stamp an operator found or by issuing it now. Recorded in the history.',
    ),
    args: { input: t.arg({ type: ResolveParkedReissueInput, required: true, description: INPUT_DESCRIPTION }) },
    resolve: (_, { input }, ctx, info) =>
      resolveParkedReissue(ctx.stamps, { ...input, operationId: String(input.operationId) }, mutationOptions(ctx, input, info, 'newStamp')),
  }),
);
