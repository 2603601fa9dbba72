import { z } from 'zod';
import { builder } from '../../builder.js';
import { type RedeemPayload, redeemStamp } from '../../stamps/redeem.js';
import {
  idempotencyKeyField,
  idempotencyKeySchema,
  onsitePasswordField,
  onsitePasswordSchema,
  optional,
  stampIdxSchema,
} from '../inputs.js';
import { requires } from '../scopes.js';
import { Stamp } from '../stamp.js';
import { idempotencyKeyOf, INPUT_DESCRIPTION } from './payloads.js';

const RedeemStampInput = builder.inputType('RedeemStampInput', {
  description: 'The full stamp whose reward the customer is receiving.',
  fields: (t) => ({
    stampIdx: t.int({ required: true, description: 'The stamp.' }),
    onsitePassword: onsitePasswordField(t),
    idempotencyKey: idempotencyKeyField(t),
  }),
  validate: z.looseObject({
    stampIdx: stampIdxSchema,
    onsitePassword: optional(onsitePasswordSchema),
    idempotencyKey: optional(idempotencyKeySchema),
  }),
});

const RedeemStampPayload = builder.objectRef<RedeemPayload>('RedeemStampPayload').implement({
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
    ...requires(
      'stamps:redeem',
      'Marks the reward of a full stamp as used. Irreversible: nothing in the gateway can set it back. Checks, before sending, that the card is full and the on-site password (when the card needs one) is right.',
    ),
    args: { input: t.arg({ type: RedeemStampInput, required: true, description: INPUT_DESCRIPTION }) },
    resolve: (_, { input }, ctx, info) => redeemStamp(ctx.stamps, input, { idempotencyKey: idempotencyKeyOf(ctx, input, info) }),
  }),
);
