import { builder } from '../../builder.js';
import type { StampPayload } from '../../stamps/mutation.js';
import { deleteStamp } from '../../stamps/update.js';
import { stampRefInput } from '../inputs.js';
import { requires } from '../scopes.js';
import { idempotencyKeyOf, INPUT_DESCRIPTION } from './payloads.js';

const DeleteStampInput = stampRefInput('DeleteStampInput', 'The stamp to delete for good.');
const DeleteStampPayload = builder.objectRef<StampPayload>('DeleteStampPayload').implement({
  description: 'The stamp deleted.',
  fields: (t) => ({
    stampIdx: t.int({ description: 'The stamp deleted.', resolve: (p) => p.stampIdx }),
    deleted: t.boolean({ description: 'Always true: a failed delete is an error.', resolve: () => true }),
  }),
});

builder.mutationField('deleteStamp', (t) =>
  t.field({
    type: DeleteStampPayload,
    ...requires(
      'stamps:admin',
      'Deletes a stamp and its history at the stamp service, permanently. Prefer updateStamp(active: false) for stamps customers have seen.',
    ),
    args: { input: t.arg({ type: DeleteStampInput, required: true, description: INPUT_DESCRIPTION }) },
    resolve: (_, { input }, ctx, info) => deleteStamp(ctx.stamps, input, { idempotencyKey: idempotencyKeyOf(ctx, input, info) }),
  }),
);
