import { errors } from '../errors.js';
import type { UpdateFields } from '../upstream/mapping.js';
import { sendChange } from './checks.js';
import { type MutationOptions, runMutation, type StampPayload, stampReadBack } from './mutation.js';
import type { StampSession } from './session.js';

/** Changes the given fields of a stamp; the others stay. */
export function updateStamp(
  s: StampSession,
  input: UpdateFields & { stampIdx: number; idempotencyKey?: string | null },
  options: MutationOptions,
): Promise<StampPayload> {
  return runMutation<StampPayload>(
    s,
    {
      operation: 'updateStamp',
      stampIdx: input.stampIdx,
      input: { ...input },
      idempotencyKey: options.idempotencyKey,
      readBack: stampReadBack(options),
    },
    async () => {
      const { stampIdx, idempotencyKey: _key, ...fields } = input;
      await sendChange(
        s,
        stampIdx,
        () => s.api.update(stampIdx, fields),
        (stamp) =>
          typeof fields.stamps === 'number' && fields.stamps > stamp.maxStamps
            ? errors.conflict(`stamps ${fields.stamps} is more than the card's maximum of ${stamp.maxStamps}`, {
                maxStamps: stamp.maxStamps,
              })
            : undefined,
      );
      return { stampIdx };
    },
  );
}

/** Clears the customer's PIN (they choose a new one on their next visit); nothing else changes. */
export function resetStampPin(
  s: StampSession,
  input: { stampIdx: number; idempotencyKey?: string | null },
  options: MutationOptions,
): Promise<StampPayload> {
  return runMutation<StampPayload>(
    s,
    {
      operation: 'resetStampPin',
      stampIdx: input.stampIdx,
      input: { ...input },
      idempotencyKey: options.idempotencyKey,
      readBack: stampReadBack(options),
    },
    async () => {
      await sendChange(s, input.stampIdx, () => s.api.update(input.stampIdx, {}, { resetPin: true }));
      return { stampIdx: input.stampIdx };
    },
  );
}

/** Deletes a stamp at the stamp service for good; the history keeps its last state. */
export function deleteStamp(
  s: StampSession,
  input: { stampIdx: number; idempotencyKey?: string | null },
  options: Omit<MutationOptions, 'readBack'>,
): Promise<StampPayload> {
  return runMutation<StampPayload>(
    s,
    { operation: 'deleteStamp', stampIdx: input.stampIdx, input: { ...input }, idempotencyKey: options.idempotencyKey },
    async (trace) => {
      const { stampIdx } = input;
      // The last state before it disappears, for the history: a delete also deletes upstream history.
      trace.before = await s.api.validate(stampIdx).catch(() => null);
      await sendChange(s, stampIdx, () => s.api.delete(stampIdx));
      return { stampIdx };
    },
  );
}
