import { z } from 'zod';

/**
 * The one place where the stamp API's names (`activeYn`, `strtYmd`, `userEml`, ...) meet the front-end's
 * (`active`, `startDate`, `user.email`, ...). Both directions live here and are tested both ways.
 */

const yn = z.enum(['Y', 'N']);
// No transform here (absent becomes null in the mapping below): a schema without transforms is one zod
// checks with its compiled fast path, the validate answer being the hot path of every read.
const text = z.string().nullish();

/** The `result` of validate: a stamp joined with its card. */
export const RawStampSchema = z.object({
  stampIdx: z.number().int(),
  cardIdx: z.number().int(),
  cardNm: text,
  cardTtl: text,
  stamps: z.number().int(),
  maxStamps: z.number().int(),
  domain: text,
  stampUrl: text,
  url: text,
  stampImgUrl: text,
  strtYmd: z.string(),
  endYmd: z.string(),
  activeYn: yn,
  onsiteYn: yn.nullish(),
  onsitePwd: text,
  memo: text,
  userId: z.string(),
  userNm: text,
  userPhnno: text,
  userEml: text,
  userEtc1: text,
  userEtc2: text,
  regYmdt: text,
});

export interface StampUser {
  id: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  etc1: string | null;
  etc2: string | null;
}

export interface Stamp {
  stampIdx: number;
  cardIdx: number;
  cardName: string | null;
  cardTitle: string | null;
  stamps: number;
  maxStamps: number;
  active: boolean;
  startDate: string;
  endDate: string;
  domain: string | null;
  stampUrl: string | null;
  url: string | null;
  imageUrl: string | null;
  memo: string | null;
  onsiteApproval: boolean;
  /** The staff password for on-site approval: a secret, shown only to administrators. */
  onsitePassword: string | null;
  user: StampUser;
  /** ISO 8601 with the Seoul offset, from the upstream's `regYmdt`. */
  issuedAt: string | null;
  /** When the stamp API confirmed this state (ISO 8601); set where the state was read or written. */
  asOf?: string;
}

/** `YYYY-MM-DD HH:MM:SS` (Asia/Seoul) to ISO 8601 with its offset; null for anything else. */
export function issuedAtFromUpstream(regYmdt: string | null): string | null {
  if (!regYmdt || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(regYmdt)) return null;
  return `${regYmdt.replace(' ', 'T')}+09:00`;
}

/** Maps a validated upstream stamp; throws a ZodError when it breaks the contract. `asOf`: when it was read. */
export function stampFromUpstream(raw: unknown, asOf?: string): Stamp {
  const r = RawStampSchema.parse(raw);
  const stamp: Stamp = {
    stampIdx: r.stampIdx,
    cardIdx: r.cardIdx,
    cardName: r.cardNm ?? null,
    cardTitle: r.cardTtl ?? null,
    stamps: r.stamps,
    maxStamps: r.maxStamps,
    active: r.activeYn === 'Y',
    startDate: r.strtYmd,
    endDate: r.endYmd,
    domain: r.domain ?? null,
    stampUrl: r.stampUrl ?? null,
    url: r.url ?? null,
    imageUrl: r.stampImgUrl ?? null,
    memo: r.memo ?? null,
    onsiteApproval: r.onsiteYn === 'Y',
    onsitePassword: r.onsiteYn === 'Y' ? (r.onsitePwd ?? null) : null,
    user: {
      id: r.userId,
      name: r.userNm ?? null,
      phone: r.userPhnno ?? null,
      email: r.userEml ?? null,
      etc1: r.userEtc1 ?? null,
      etc2: r.userEtc2 ?? null,
    },
    issuedAt: issuedAtFromUpstream(r.regYmdt ?? null),
  };
  if (asOf !== undefined) stamp.asOf = asOf;
  return stamp;
}

/** The stamp without its secrets, for anything stored or logged (history, operation steps). */
export function withoutSecrets(stamp: Stamp | null | undefined): Stamp | null {
  return stamp ? { ...stamp, onsitePassword: null } : null;
}

/** Fields the front-end may set on a stamp; `undefined` and `null` both mean "leave as it is". */
export interface StampFields {
  cardIdx?: number | null;
  startDate?: string | null;
  endDate?: string | null;
  active?: boolean | null;
  domain?: string | null;
  memo?: string | null;
  user?: Partial<Record<keyof StampUser, string | null>> | null;
}

export interface UpdateFields extends StampFields {
  stamps?: number | null;
}

const USER_NAMES: Record<keyof StampUser, string> = {
  id: 'userId',
  name: 'userNm',
  phone: 'userPhnno',
  email: 'userEml',
  etc1: 'userEtc1',
  etc2: 'userEtc2',
};

function put(body: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== undefined && value !== null) body[key] = value;
}

/** Upstream-named body for create or update: only the fields given. */
export function stampFieldsToUpstream(fields: UpdateFields): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  put(body, 'cardIdx', fields.cardIdx);
  put(body, 'stamps', fields.stamps);
  put(body, 'strtYmd', fields.startDate);
  put(body, 'endYmd', fields.endDate);
  put(body, 'activeYn', fields.active === undefined || fields.active === null ? undefined : fields.active ? 'Y' : 'N');
  put(body, 'domain', fields.domain);
  put(body, 'memo', fields.memo);
  for (const [name, upstreamName] of Object.entries(USER_NAMES)) {
    put(body, upstreamName, fields.user?.[name as keyof StampUser]);
  }
  return body;
}

/**
 * create's `result` is documented as a string example but is the new integer stampIdx (docs/stamp-api.md, "What create returns").
 * Accepts a positive integer or a string of digits; anything else returns undefined, never a guess.
 */
export function stampIdxFromCreateResult(result: unknown): number | undefined {
  if (typeof result === 'number' && Number.isSafeInteger(result) && result > 0) return result;
  if (typeof result === 'string' && /^\d{1,15}$/.test(result) && Number(result) > 0) return Number(result);
  return undefined;
}
