import { builder } from '../../builder.js';
import { removeStamp } from '../../stamps/count.js';
import { stampRefInput } from '../inputs.js';
import { requires } from '../scopes.js';
import { INPUT_DESCRIPTION, mutationOptions, stampPayload } from './payloads.js';

const RemoveStampInput = stampRefInput('RemoveStampInput', 'The stamp to take one stamp off.');
const RemoveStampPayload = stampPayload('RemoveStampPayload', 'The stamp after taking one off.');

builder.mutationField('removeStamp', (t) =>
  t.field({
    type: RemoveStampPayload,
    ...requires('stamps:write', "Takes one stamp off (a correction) with the stamp service's own -1. Refused at 0."),
    args: { input: t.arg({ type: RemoveStampInput, required: true, description: INPUT_DESCRIPTION }) },
    resolve: (_, { input }, ctx, info) => removeStamp(ctx.stamps, input, mutationOptions(ctx, input, info)),
  }),
);
