import { z } from 'zod';
import { builder } from '../../builder.js';
import { updateStamp } from '../../stamps/update.js';
import {
  cardIdxSchema,
  domainSchema,
  endDateSchema,
  idempotencyKeyField,
  idempotencyKeySchema,
  LIMITS,
  memoSchema,
  optional,
  stampCountSchema,
  stampIdxSchema,
  StampUserInput,
  userSchema,
  withDateOrder,
} from '../inputs.js';
import { requires } from '../scopes.js';
import { INPUT_DESCRIPTION, mutationOptions, stampPayload } from './payloads.js';

const CHANGEABLE = ['cardIdx', 'stamps', 'active', 'startDate', 'endDate', 'domain', 'memo', 'user'] as const;

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
  validate: withDateOrder(
    z.looseObject({
      stampIdx: stampIdxSchema,
      cardIdx: optional(cardIdxSchema),
      stamps: optional(stampCountSchema),
      startDate: z.string().nullish(),
      endDate: optional(endDateSchema),
      domain: optional(domainSchema),
      memo: optional(memoSchema),
      user: optional(userSchema),
      idempotencyKey: optional(idempotencyKeySchema),
    }),
  ).refine((v) => CHANGEABLE.some((k) => v[k] !== undefined && v[k] !== null), {
    message: 'give at least one field to change',
    path: ['stampIdx'],
  }),
});

const UpdateStampPayload = stampPayload('UpdateStampPayload', 'The stamp changed.');

builder.mutationField('updateStamp', (t) =>
  t.field({
    type: UpdateStampPayload,
    ...requires('stamps:write', 'Changes the given fields of a stamp. Redemption cannot be undone here or anywhere.'),
    args: { input: t.arg({ type: UpdateStampInput, required: true, description: INPUT_DESCRIPTION }) },
    resolve: (_, { input }, ctx, info) => updateStamp(ctx.stamps, input, mutationOptions(ctx, input, info)),
  }),
);
