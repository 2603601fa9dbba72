import { z } from 'zod';
import { builder } from '../../builder.js';
import { readStampOrNull } from '../../stamps/read.js';
import { type ReissuePayload, redeemAndReissue } from '../../stamps/redeem-and-reissue.js';
import {
  endDateSchema,
  idempotencyKeyField,
  idempotencyKeySchema,
  onsitePasswordField,
  onsitePasswordSchema,
  optional,
  stampIdxSchema,
  withDateOrder,
} from '../inputs.js';
import { requires } from '../scopes.js';
import { Stamp } from '../stamp.js';
import { INPUT_DESCRIPTION, mutationOptions } from './payloads.js';

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
  validate: withDateOrder(
    z.looseObject({
      stampIdx: stampIdxSchema,
      onsitePassword: optional(onsitePasswordSchema),
      startDate: z.string().nullish(),
      endDate: optional(endDateSchema),
      idempotencyKey: optional(idempotencyKeySchema),
    }),
  ),
});

export const RedeemAndReissuePayload = builder.objectRef<ReissuePayload>('RedeemAndReissuePayload').implement({
  description: 'The old stamp redeemed and the new one issued.',
  fields: (t) => ({
    redeemedStampIdx: t.int({ description: 'The stamp redeemed.', resolve: (p) => p.redeemedStampIdx }),
    newStampIdx: t.int({ description: 'The stamp issued for the next cycle.', resolve: (p) => p.newStampIdx }),
    newStamp: t.field({
      type: Stamp,
      nullable: true,
      description: 'The new stamp, read from the stamp service; null while it is not yet in its validity window.',
      resolve: (p, _, ctx) => (p.newStamp !== undefined ? p.newStamp : readStampOrNull(ctx.stamps, p.newStampIdx)),
    }),
  }),
});

builder.mutationField('redeemAndReissue', (t) =>
  t.field({
    type: RedeemAndReissuePayload,
    ...requires(
      'stamps:redeem',
      'The reward cycle in one step: redeems the full stamp, then issues a new one on the same card for the same customer (user fields carried over). Each step is recorded durably: a retry with the same idempotencyKey resumes where it stopped, never redeeming twice or issuing blindly; a step that ended ambiguously parks the operation for an operator (OPERATION_PARKED).',
    ),
    args: { input: t.arg({ type: RedeemAndReissueInput, required: true, description: INPUT_DESCRIPTION }) },
    resolve: (_, { input }, ctx, info) => redeemAndReissue(ctx.stamps, input, mutationOptions(ctx, input, info, 'newStamp')),
  }),
);
