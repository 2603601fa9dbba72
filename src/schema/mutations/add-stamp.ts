import { builder } from '../../builder.js';
import { addStamp } from '../../stamps/count.js';
import { stampRefInput } from '../inputs.js';
import { requires } from '../scopes.js';
import { INPUT_DESCRIPTION, mutationOptions, stampPayload } from './payloads.js';

const AddStampInput = stampRefInput('AddStampInput', 'The stamp to add one stamp to.');
const AddStampPayload = stampPayload('AddStampPayload', 'The stamp after adding one.');

builder.mutationField('addStamp', (t) =>
  t.field({
    type: AddStampPayload,
    ...requires(
      'stamps:write',
      "Adds one stamp (a visit, a purchase) with the stamp service's own +1. Refused when the card is already full.",
    ),
    args: { input: t.arg({ type: AddStampInput, required: true, description: INPUT_DESCRIPTION }) },
    resolve: (_, { input }, ctx, info) => addStamp(ctx.stamps, input, mutationOptions(ctx, input, info)),
  }),
);
