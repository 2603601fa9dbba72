import { errors } from '../errors.js';
import type { Stamp } from '../upstream/mapping.js';
import { readForWrite, sendChange } from './checks.js';
import { type MutationOptions, runMutation, type StampPayload, stampReadBack } from './mutation.js';
import type { StampSession } from './session.js';

type StampRef = { stampIdx: number; idempotencyKey?: string | null };

/** Adds one stamp with the stamp service's own +1; refused when the card is already full. */
export function addStamp(s: StampSession, input: StampRef, options: MutationOptions): Promise<StampPayload> {
  return runMutation<StampPayload>(
    s,
    {
      operation: 'addStamp',
      stampIdx: input.stampIdx,
      input: { ...input },
      idempotencyKey: options.idempotencyKey,
      readBack: stampReadBack(options),
    },
    async () => {
      const { stampIdx } = input;
      await sendChange(
        s,
        stampIdx,
        () => s.api.add(stampIdx),
        (stamp) =>
          stamp.stamps >= stamp.maxStamps
            ? errors.conflict(`Stamp ${stampIdx} is already full (${stamp.stamps} of ${stamp.maxStamps})`, {
                stamps: stamp.stamps,
                maxStamps: stamp.maxStamps,
              })
            : undefined,
      );
      return { stampIdx };
    },
  );
}

/** Takes one stamp off with the stamp service's own -1; refused at 0. */
export function removeStamp(s: StampSession, input: StampRef, options: MutationOptions): Promise<StampPayload> {
  return runMutation<StampPayload>(
    s,
    {
      operation: 'removeStamp',
      stampIdx: input.stampIdx,
      input: { ...input },
      idempotencyKey: options.idempotencyKey,
      readBack: stampReadBack(options),
    },
    async () => {
      const { stampIdx } = input;
      await sendChange(
        s,
        stampIdx,
        () => s.api.remove(stampIdx),
        (stamp) => (stamp.stamps <= 0 ? errors.conflict(`Stamp ${stampIdx} has no stamps to remove`, { stamps: 0 }) : undefined),
      );
      return { stampIdx };
    },
  );
}

export interface AdjustPayload {
  stampIdx: number;
  previousStamps: number;
  newStamps: number;
  stamp: Stamp | null;
}

/**
 * Adds or takes off several stamps at once, on top of the current count: a read, then an absolute
 * update, under the stamp's lock, so concurrent adjustments are applied one after another.
 */
export function adjustStampCount(
  s: StampSession,
  input: StampRef & { delta: number },
  options: Omit<MutationOptions, 'readBack'>,
): Promise<AdjustPayload> {
  return runMutation<AdjustPayload>(
    s,
    { operation: 'adjustStampCount', stampIdx: input.stampIdx, input: { ...input }, idempotencyKey: options.idempotencyKey },
    async (trace) => {
      const { stampIdx, delta } = input;
      const current = await readForWrite(s, stampIdx);
      trace.before = current;
      const next = current.stamps + delta;
      if (next < 0 || next > current.maxStamps) {
        throw errors.conflict(
          `Adjusting stamp ${stampIdx} by ${delta} would make ${next}, outside 0 to ${current.maxStamps}; it has ${current.stamps}`,
          {
            stamps: current.stamps,
            maxStamps: current.maxStamps,
            delta,
          },
        );
      }
      await sendChange(s, stampIdx, () => s.api.update(stampIdx, { stamps: next }));
      // The update sent an absolute count under the lock: the new state is known without a read.
      trace.after = { ...current, stamps: next, asOf: new Date().toISOString() };
      return { stampIdx, previousStamps: current.stamps, newStamps: next, stamp: trace.after };
    },
  );
}
