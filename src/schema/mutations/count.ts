import { builder } from '../../builder.js';
import { requires } from '../scopes.js';
import type { Stamp as StampShape } from '../../upstream/mapping.js';
import { idempotencyKeyField, InputSchemas } from '../inputs.js';
import { StampRefInput } from './edit.js';
import { runMutation } from '../../safety/run-mutation.js';
import { conflict, readForWrite } from '../../safety/stamp-checks.js';
import { AFTER_STAMP, sendChange, stampPayload } from './shared.js';

const AddStampInput = StampRefInput('AddStampInput', 'The stamp to add one stamp to.');
const AddStampPayload = stampPayload<{ stampIdx: number }>('AddStampPayload', 'The stamp after adding one.');

builder.mutationField('addStamp', (t) =>
  t.field({
    type: AddStampPayload,
    ...requires('stamps:write', "Adds one stamp (a visit, a purchase) with the stamp service's own +1. Refused when the card is already full."),
    args: { input: t.arg({ type: AddStampInput, required: true, description: 'What to do; see the input type for each field.' }) },
    resolve: (_, { input }, ctx, info) =>
      runMutation(ctx, info, { operation: 'addStamp', stampIdx: input.stampIdx, input, after: AFTER_STAMP }, async () => {
        const { stampIdx } = input;
        await sendChange(ctx, stampIdx, () => ctx.api.add(stampIdx), (stamp) =>
          stamp.stamps >= stamp.maxStamps
            ? conflict(`Stamp ${stampIdx} is already full (${stamp.stamps} of ${stamp.maxStamps})`, { stamps: stamp.stamps, maxStamps: stamp.maxStamps })
            : undefined,
        );
        return { stampIdx };
      }),
  }),
);

const RemoveStampInput = StampRefInput('RemoveStampInput', 'The stamp to take one stamp off.');
const RemoveStampPayload = stampPayload<{ stampIdx: number }>('RemoveStampPayload', 'The stamp after taking one off.');

builder.mutationField('removeStamp', (t) =>
  t.field({
    type: RemoveStampPayload,
    ...requires('stamps:write', "Takes one stamp off (a correction) with the stamp service's own -1. Refused at 0."),
    args: { input: t.arg({ type: RemoveStampInput, required: true, description: 'What to do; see the input type for each field.' }) },
    resolve: (_, { input }, ctx, info) =>
      runMutation(ctx, info, { operation: 'removeStamp', stampIdx: input.stampIdx, input, after: AFTER_STAMP }, async () => {
        const { stampIdx } = input;
        await sendChange(ctx, stampIdx, () => ctx.api.remove(stampIdx), (stamp) =>
          stamp.stamps <= 0 ? conflict(`Stamp ${stampIdx} has no stamps to remove`, { stamps: 0 }) : undefined,
        );
        return { stampIdx };
      }),
  }),
);

const AdjustStampCountInput = builder.inputType('AdjustStampCountInput', {
  description: 'A relative change of the collected count: bonus stamps or a correction.',
  fields: (t) => ({
    stampIdx: t.int({ required: true, description: 'The stamp.' }),
    delta: t.int({
      required: true,
      description: 'How many stamps to add (positive) or take off (negative); not 0, at most 1000 either way. The result must stay within 0 and the card maximum.',
    }),
    idempotencyKey: idempotencyKeyField(t),
  }),
  validate: InputSchemas.adjustStampCount,
});

interface AdjustShape {
  stampIdx: number;
  previousStamps: number;
  newStamps: number;
  stamp: StampShape | null;
}

const AdjustStampCountPayload = stampPayload<AdjustShape>('AdjustStampCountPayload', 'The count before and after the adjustment.');
builder.objectField(AdjustStampCountPayload, 'previousStamps', (t) =>
  t.int({ description: 'The count before the adjustment.', resolve: (p) => p.previousStamps }),
);
builder.objectField(AdjustStampCountPayload, 'newStamps', (t) =>
  t.int({ description: 'The count after the adjustment.', resolve: (p) => p.newStamps }),
);

builder.mutationField('adjustStampCount', (t) =>
  t.field({
    type: AdjustStampCountPayload,
    ...requires('stamps:write', 'Adds or takes off several stamps at once, on top of the current count. Concurrent adjustments of one stamp are applied one after another, so none is lost. CONFLICT when the result would leave 0..maxStamps.'),
    args: { input: t.arg({ type: AdjustStampCountInput, required: true, description: 'What to do; see the input type for each field.' }) },
    resolve: (_, { input }, ctx, info) =>
      runMutation(ctx, info, { operation: 'adjustStampCount', stampIdx: input.stampIdx, input }, async (trace) => {
          const { stampIdx, delta } = input;
          const current = await readForWrite(ctx, stampIdx);
          trace.before = current;
          const next = current.stamps + delta;
          if (next < 0 || next > current.maxStamps) {
            throw conflict(
              `Adjusting stamp ${stampIdx} by ${delta} would make ${next}, outside 0 to ${current.maxStamps}; it has ${current.stamps}`,
              { stamps: current.stamps, maxStamps: current.maxStamps, delta },
            );
          }
          await sendChange(ctx, stampIdx, () => ctx.api.update(stampIdx, { stamps: next }));
          // The update sent an absolute count under the lock: the new state is known without a read.
          trace.after = { ...current, stamps: next };
          return { stampIdx, previousStamps: current.stamps, newStamps: next, stamp: trace.after };
        }),
  }),
);
