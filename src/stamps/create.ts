import type { StampFields } from '../upstream/mapping.js';
import { type MutationOptions, runMutation, type StampPayload, stampReadBack } from './mutation.js';
import type { StampSession } from './session.js';

export interface CreateStampInput extends StampFields {
  cardIdx: number;
  startDate: string;
  endDate: string;
  idempotencyKey?: string | null;
}

/** Issues a new stamp to a customer on a card; the payload carries the new stamp's id. */
export function createStamp(s: StampSession, input: CreateStampInput, options: MutationOptions): Promise<StampPayload> {
  return runMutation<StampPayload>(
    s,
    {
      operation: 'createStamp',
      stampIdx: null,
      input: { ...input },
      idempotencyKey: options.idempotencyKey,
      readBack: stampReadBack(options),
    },
    async () => {
      const { idempotencyKey: _key, ...fields } = input;
      const stampIdx = await s.api.create(fields);
      // Whose it is, for myStamps; an id the stamp service generates is learnt from the first read.
      if (fields.user?.id) s.deps.userIndex.seenUser(stampIdx, fields.user.id);
      return { stampIdx };
    },
  );
}
