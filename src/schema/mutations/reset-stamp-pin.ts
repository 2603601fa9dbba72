import { builder } from '../../builder.js';
import { resetStampPin } from '../../stamps/update.js';
import { stampRefInput } from '../inputs.js';
import { requires } from '../scopes.js';
import { INPUT_DESCRIPTION, mutationOptions, stampPayload } from './payloads.js';

const ResetStampPinInput = stampRefInput('ResetStampPinInput', 'The stamp whose customer PIN to reset.');
const ResetStampPinPayload = stampPayload('ResetStampPinPayload', 'The stamp whose PIN was reset.');

builder.mutationField('resetStampPin', (t) =>
  t.field({
    type: ResetStampPinPayload,
    ...requires(
      'stamps:admin',
      "Clears the customer's PIN: they choose a new one on their next visit to the stamp page. Nothing else changes.",
    ),
    args: { input: t.arg({ type: ResetStampPinInput, required: true, description: INPUT_DESCRIPTION }) },
    resolve: (_, { input }, ctx, info) => resetStampPin(ctx.stamps, input, mutationOptions(ctx, input, info)),
  }),
);
