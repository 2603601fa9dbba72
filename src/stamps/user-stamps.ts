import { errors } from '../errors.js';
import type { StateError } from '../store/database.js';
import type { Stamp } from '../upstream/mapping.js';
import { readStampOrNull } from './read.js';
import type { StampSession } from './session.js';

/** Stamps a page of `myStamps` / `stampsOfUser` holds at most. */
export const USER_STAMPS_PAGE_MAX = 50;
export interface UserStampsPage {
  userId: string;
  stamps: Stamp[];
  hasNextPage: boolean;
  endCursor: string | null;
}

const CURSOR = /^s:(\d{1,10})$/;

function decodeCursor(after: string): number {
  const m = CURSOR.exec(after);
  const idx = m ? Number(m[1]) : Number.NaN;
  if (!Number.isSafeInteger(idx) || idx > 2_147_483_647) {
    throw errors.badUserInput([{ path: 'after', message: 'is not a cursor this connection gave out' }]);
  }
  return idx;
}

/**
 * A user's stamps the index knows, by stampIdx, each read now (cache, batch and quota rules of any
 * read): stamps the stamp API no longer shows, or that now belong to someone else, are left out. Any
 * other failure of a read (no quota left and no known state, the stamp API down) fails the page: a
 * list that silently misses cards would be wrong.
 */
export async function userStamps(s: StampSession, userId: string, first: number, after?: string | null): Promise<UserStampsPage> {
  const afterIdx = after ? decodeCursor(after) : 0;
  // What this instance saw a moment ago (a create, a read) is listed now, not after the next batch write.
  await s.deps.userIndex.flush();
  const idxs = await s.deps.store.stampsOfUser(userId, first, afterIdx, s.stateBound()).catch((error: unknown) => {
    throw errors.stateUnavailable(
      'the index of stamps by user cannot be read now; try again',
      (error as StateError).reason ?? String(error),
    );
  });
  const page = idxs.slice(0, first);
  const read = await Promise.all(page.map((idx) => readStampOrNull(s, idx)));
  return {
    userId,
    stamps: read.filter((stamp): stamp is Stamp => stamp !== null && stamp.user.id === userId),
    hasNextPage: idxs.length > first,
    endCursor: page.length > 0 ? `s:${page[page.length - 1]}` : null,
  };
}

/** The stamps of the customer a token names (`sub`); staff callers name a user with stampsOfUser. */
export function myStamps(s: StampSession, first: number, after?: string | null): Promise<UserStampsPage> {
  const userId = s.caller.customerUserId;
  if (userId === null) {
    throw errors.forbidden(
      'myStamps answers customer tokens (its stamps are those of the token’s sub); staff callers use stampsOfUser(userId)',
    );
  }
  return userStamps(s, userId, first, after);
}

/** A user's stamps for staff; a customer asking gets its own stamps for its own id and none for anyone else's. */
export async function stampsOfUser(s: StampSession, userId: string, first: number, after?: string | null): Promise<UserStampsPage> {
  const own = s.caller.customerUserId;
  if (own !== null && own !== userId) return { userId, stamps: [], hasNextPage: false, endCursor: null };
  return userStamps(s, userId, first, after);
}
