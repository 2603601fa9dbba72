import { errors } from '../errors.js';
import type { HistoryEntry, ReissueOperation } from '../store/store.js';

export type { HistoryEntry, ReissueOperation };
import type { Stamp } from '../upstream/mapping.js';
import type { StampSession } from './session.js';

export type HistoryOutcome = HistoryEntry['outcome'];

/** Input as recorded in the history and hashed for idempotency: secrets removed. */
export function redactInput(input: Record<string, unknown>): Record<string, unknown> {
  const { onsitePassword, ...rest } = input;
  return onsitePassword ? { ...rest, onsitePassword: '[redacted]' } : rest;
}

export const HISTORY_PAGE_MAX = 100;

const encodeCursor = (id: string) => Buffer.from(`history:${id}`).toString('base64url');
function decodeCursor(cursor: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString();
  const m = /^history:(\d{1,18})$/.exec(decoded);
  if (!m) throw errors.badUserInput([{ path: 'after', message: 'is not a cursor this connection gave out' }]);
  return m[1]!;
}

export interface HistoryPage {
  stampIdx: number;
  entries: Array<HistoryEntry & { cursor: string }>;
  hasNextPage: boolean;
  endCursor: string | null;
}

/** A stamp's change history, newest first, `first` entries after the cursor given. */
export async function stampHistory(s: StampSession, stampIdx: number, first: number, after?: string | null): Promise<HistoryPage> {
  const rows = await s.deps.store.listHistory(stampIdx, first, after ? decodeCursor(after) : undefined);
  const entries = rows.slice(0, first).map((e) => ({ ...e, cursor: encodeCursor(e.id) }));
  return { stampIdx, entries, hasNextPage: rows.length > first, endCursor: entries.at(-1)?.cursor ?? null };
}

/** The newest state of a stamp the history knows, even after the stamp API stopped showing it. */
export function lastKnownStamp(s: StampSession, stampIdx: number): Promise<Stamp | null> {
  return s.deps.store.lastKnownState(stampIdx);
}

/** Redeem-and-reissue operations waiting for an operator. */
export function parkedReissues(s: StampSession): Promise<ReissueOperation[]> {
  return s.deps.store.listReissues(['parked']);
}
