import { z } from 'zod';
import { builder } from '../../builder.js';
import { createStamp } from '../../stamps/create.js';
import {
  cardIdxSchema,
  domainSchema,
  endDateSchema,
  idempotencyKeyField,
  idempotencyKeySchema,
  LIMITS,
  memoSchema,
  optional,
  StampUserInput,
  userSchema,
  withDateOrder,
} from '../inputs.js';
import { requires } from '../scopes.js';
import { INPUT_DESCRIPTION, mutationOptions, stampPayload } from './payloads.js';

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
  validate: withDateOrder(
    z.looseObject({
      cardIdx: cardIdxSchema,
      startDate: z.string(),
      endDate: endDateSchema,
      domain: optional(domainSchema),
      memo: optional(memoSchema),
      user: optional(userSchema),
      idempotencyKey: optional(idempotencyKeySchema),
    }),
  ),
});

const CreateStampPayload = stampPayload('CreateStampPayload', 'The stamp issued.');

builder.mutationField('createStamp', (t) =>
  t.field({
    type: CreateStampPayload,
    ...requires('stamps:write', 'Issues a new stamp to a customer on a stamp card.'),
    args: { input: t.arg({ type: CreateStampInput, required: true, description: INPUT_DESCRIPTION }) },
    resolve: (_, { input }, ctx, info) => createStamp(ctx.stamps, input, mutationOptions(ctx, input, info)),
  }),
);
