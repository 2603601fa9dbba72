import { createHash, randomInt } from 'node:crypto';
import { isCalendarDate, latestEndDate, seoulTimestamp, seoulToday } from '../dates.js';

/**
 * The sandbox's emulator-only error catalogue (docs/stamp-api.md, the last table). The real API documents no codes:
 * clients must branch on `code != 0` only, never on these numbers.
 */
export const SandboxCode = {
  UNKNOWN_STAMP: 1001,
  OUT_OF_PERIOD: 1002,
  INACTIVE: 1003,
  ALREADY_REDEEMED: 1004,
  MAX_REACHED: 1005,
  COUNT_IS_ZERO: 1006,
  ONSITE_PASSWORD: 1007,
  BAD_PARAMETER: 1008,
  PLAN_NOT_ALLOWED: 1009,
  UNKNOWN_CARD: 1010,
  END_TOO_FAR: 1011,
  DOMAIN_NOT_ALLOWED: 1012,
  NOT_FULL: 1013,
  AUTH_FAILED: 1401,
} as const;

export const DEFAULT_DOMAIN = 'https://vvd.bz';

export type Plan = 'free' | 'personal' | 'premium' | 'business';
const PLAN_RANK: Record<Plan, number> = { free: 0, personal: 1, premium: 2, business: 3 };

export interface Card {
  cardIdx: number;
  cardNm: string;
  cardTtl: string;
  maxStamps: number;
  url: string;
  onsiteYn: 'Y' | 'N';
  onsitePwd: string;
  stampImgUrl: string;
}

export interface StampRow {
  stampIdx: number;
  cardIdx: number;
  domain: string;
  strtYmd: string;
  endYmd: string;
  activeYn: 'Y' | 'N';
  useYn: 'Y' | 'N';
  stamps: number;
  memo: string | null;
  userId: string;
  userNm: string | null;
  userPhnno: string | null;
  userEml: string | null;
  userEtc1: string | null;
  userEtc2: string | null;
  pinHash: string | null;
  regYmdt: string;
}

/** A refusal the upstream answers with `code != 0`, HTTP 200 and `result: null`. */
export class Rejection extends Error {
  override name = 'Rejection' as const;
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** What one call changed, so the persistence layer can write exactly that. */
export type Change = { kind: 'stamp'; stamp: StampRow } | { kind: 'stampDeleted'; stampIdx: number } | { kind: 'card'; card: Card };

export interface Outcome {
  result: unknown;
  change?: Change;
}

export interface StateOptions {
  now: () => Date;
  /** Registered custom domains (Link Domain Management); usable on Premium and above. */
  customDomains: string[];
  /** Strict mode for update `useYn=Y`: require a full card, as redeem does (A4). */
  strictUpdateRedeem: boolean;
  /** Reject a past `endYmd` on create (A18 strict switch). */
  strictPastEnd: boolean;
}

const USER_FIELDS = ['userNm', 'userPhnno', 'userEml', 'userEtc1', 'userEtc2'] as const;
/** Fields update may still change on a redeemed stamp (A5): notes and user data, never state. */
const FIELDS_EDITABLE_AFTER_REDEEM = new Set(['stampIdx', 'memo', 'userId', ...USER_FIELDS]);
const UPDATE_FIELDS = new Set([
  'stampIdx',
  'cardIdx',
  'stamps',
  'resetPinYn',
  'useYn',
  'domain',
  'strtYmd',
  'endYmd',
  'activeYn',
  'memo',
  'userId',
  ...USER_FIELDS,
]);
const MAX_TEXT = 1000;

function bad(message: string): never {
  throw new Rejection(SandboxCode.BAD_PARAMETER, message);
}

function objectBody(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) bad('The request body must be a JSON object.');
  return body as Record<string, unknown>;
}

function intParam(body: Record<string, unknown>, name: string, required: true): number;
function intParam(body: Record<string, unknown>, name: string, required: false): number | undefined;
function intParam(body: Record<string, unknown>, name: string, required: boolean): number | undefined {
  const value = body[name];
  if (value === undefined || value === null) {
    if (required) bad(`${name} is required.`);
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) bad(`${name} must be an integer.`);
  return value;
}

function flagParam(body: Record<string, unknown>, name: string): 'Y' | 'N' | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (value !== 'Y' && value !== 'N') bad(`${name} must be "Y" or "N".`);
  return value;
}

function dateParam(body: Record<string, unknown>, name: string, required: boolean): string | undefined {
  const value = body[name];
  if (value === undefined || value === null || value === '') {
    if (required) bad(`${name} is required (YYYY-MM-DD).`);
    return undefined;
  }
  if (!isCalendarDate(value)) bad(`${name} must be a date in the form YYYY-MM-DD.`);
  return value;
}

function textParam(body: Record<string, unknown>, name: string): string | null | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (typeof value !== 'string') bad(`${name} must be a string.`);
  if (value.length > MAX_TEXT) bad(`${name} must be at most ${MAX_TEXT} characters.`);
  return value;
}

/** Parses a `stampIdx` from a query string value: digits only. */
export function parseQueryIdx(raw: string | null): number {
  if (raw === null || raw === '') bad('stampIdx is required.');
  if (!/^\d{1,15}$/.test(raw)) bad('stampIdx must be an integer.');
  return Number(raw);
}

function generatedUserId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let id = '';
  for (let i = 0; i < 12; i++) id += alphabet[randomInt(alphabet.length)];
  return id;
}

export function hashPin(pin: string): string {
  return createHash('sha256').update(`stamp-pin:${pin}`).digest('hex');
}

/**
 * The emulated stamp service: cards, stamps and every business rule of docs/stamp-api.md. Every method
 * is synchronous, so a check and the change it guards can never interleave with another request.
 */
export class SandboxState {
  readonly cards = new Map<number, Card>();
  readonly stamps = new Map<number, StampRow>();
  nextCardIdx = 1;
  nextStampIdx = 1000;

  constructor(private readonly options: StateOptions) {}

  today(): string {
    return seoulToday(this.options.now());
  }

  load(cards: Iterable<Card>, stamps: Iterable<StampRow>): void {
    for (const card of cards) {
      this.cards.set(card.cardIdx, card);
      this.nextCardIdx = Math.max(this.nextCardIdx, card.cardIdx + 1);
    }
    for (const stamp of stamps) {
      this.stamps.set(stamp.stampIdx, stamp);
      this.nextStampIdx = Math.max(this.nextStampIdx, stamp.stampIdx + 1);
    }
  }

  private card(cardIdx: number): Card {
    const card = this.cards.get(cardIdx);
    if (!card) throw new Rejection(SandboxCode.UNKNOWN_CARD, `No stamp card with cardIdx ${cardIdx}.`);
    return card;
  }

  private stamp(stampIdx: number): StampRow {
    const stamp = this.stamps.get(stampIdx);
    if (!stamp) throw new Rejection(SandboxCode.UNKNOWN_STAMP, `No stamp with stampIdx ${stampIdx}.`);
    return stamp;
  }

  /** Validate's four checks: exists, inside the window, active, not redeemed (A8: add/remove/redeem too). */
  private usableStamp(stampIdx: number): StampRow {
    const stamp = this.stamp(stampIdx);
    const today = this.today();
    if (today < stamp.strtYmd || today > stamp.endYmd) {
      throw new Rejection(SandboxCode.OUT_OF_PERIOD, `The stamp is outside its validity period (${stamp.strtYmd} to ${stamp.endYmd}).`);
    }
    if (stamp.activeYn !== 'Y') throw new Rejection(SandboxCode.INACTIVE, 'The stamp is not active.');
    if (stamp.useYn === 'Y') {
      throw new Rejection(SandboxCode.ALREADY_REDEEMED, 'The reward of this stamp has already been redeemed.');
    }
    return stamp;
  }

  private checkDomain(domain: string | null | undefined, plan: Plan): string | undefined {
    if (domain === undefined) return undefined;
    if (domain === null || domain === '' || domain === DEFAULT_DOMAIN) return DEFAULT_DOMAIN;
    if (PLAN_RANK[plan] < PLAN_RANK.premium) {
      throw new Rejection(SandboxCode.PLAN_NOT_ALLOWED, 'A custom domain needs the Premium plan or higher.');
    }
    if (!this.options.customDomains.includes(domain)) {
      throw new Rejection(SandboxCode.DOMAIN_NOT_ALLOWED, `The domain ${domain} is not registered in Link Domain Management.`);
    }
    return domain;
  }

  private checkEndDate(endYmd: string): void {
    const latest = latestEndDate(this.today());
    if (endYmd > latest) {
      throw new Rejection(SandboxCode.END_TOO_FAR, `endYmd can be at most 5 years from today (${latest}).`);
    }
  }

  /** The upstream's validate `result`: the stamp joined with its card. */
  view(stamp: StampRow): Record<string, unknown> {
    const card = this.card(stamp.cardIdx);
    return {
      stampIdx: stamp.stampIdx,
      domain: stamp.domain,
      cardIdx: card.cardIdx,
      cardNm: card.cardNm,
      cardTtl: card.cardTtl,
      stamps: stamp.stamps,
      maxStamps: card.maxStamps,
      stampUrl: `${stamp.domain}/stamp/${stamp.stampIdx}`,
      url: card.url,
      strtYmd: stamp.strtYmd,
      endYmd: stamp.endYmd,
      onsiteYn: card.onsiteYn,
      onsitePwd: card.onsitePwd,
      memo: stamp.memo,
      activeYn: stamp.activeYn,
      userId: stamp.userId,
      userNm: stamp.userNm,
      userPhnno: stamp.userPhnno,
      userEml: stamp.userEml,
      userEtc1: stamp.userEtc1,
      userEtc2: stamp.userEtc2,
      stampImgUrl: card.stampImgUrl,
      regYmdt: stamp.regYmdt,
      payloadVersion: 'v1',
    };
  }

  create(rawBody: unknown, plan: Plan): Outcome {
    const body = objectBody(rawBody);
    const cardIdx = intParam(body, 'cardIdx', true);
    const strtYmd = dateParam(body, 'strtYmd', true)!;
    const endYmd = dateParam(body, 'endYmd', true)!;
    const activeYn = flagParam(body, 'activeYn') ?? 'Y';
    const domain = this.checkDomain(textParam(body, 'domain'), plan) ?? DEFAULT_DOMAIN;
    const memo = textParam(body, 'memo') ?? null;
    const userId = textParam(body, 'userId');
    const user = Object.fromEntries(USER_FIELDS.map((f) => [f, textParam(body, f) ?? null]));
    this.card(cardIdx);
    if (strtYmd > endYmd) bad('strtYmd must not be after endYmd.');
    this.checkEndDate(endYmd);
    if (this.options.strictPastEnd && endYmd < this.today()) bad('endYmd is already in the past.');

    const stamp: StampRow = {
      stampIdx: this.nextStampIdx++,
      cardIdx,
      domain,
      strtYmd,
      endYmd,
      activeYn,
      useYn: 'N',
      stamps: 0,
      memo,
      userId: userId || generatedUserId(),
      userNm: user.userNm ?? null,
      userPhnno: user.userPhnno ?? null,
      userEml: user.userEml ?? null,
      userEtc1: user.userEtc1 ?? null,
      userEtc2: user.userEtc2 ?? null,
      pinHash: null,
      regYmdt: seoulTimestamp(this.options.now()),
    };
    this.stamps.set(stamp.stampIdx, stamp);
    return { result: stamp.stampIdx, change: { kind: 'stamp', stamp } };
  }

  validate(stampIdx: number): Outcome {
    return { result: this.view(this.usableStamp(stampIdx)) };
  }

  update(rawBody: unknown, plan: Plan): Outcome {
    const body = objectBody(rawBody);
    const stampIdx = intParam(body, 'stampIdx', true);
    const cardIdx = intParam(body, 'cardIdx', false);
    const stamps = intParam(body, 'stamps', false);
    const resetPinYn = flagParam(body, 'resetPinYn');
    const useYn = flagParam(body, 'useYn');
    const activeYn = flagParam(body, 'activeYn');
    const strtYmd = dateParam(body, 'strtYmd', false);
    const endYmd = dateParam(body, 'endYmd', false);
    const domain = this.checkDomain(textParam(body, 'domain'), plan);
    const memo = textParam(body, 'memo');
    const userId = textParam(body, 'userId');
    const user = Object.fromEntries(USER_FIELDS.map((f) => [f, textParam(body, f)]));
    const current = this.stamp(stampIdx);

    if (current.useYn === 'Y') {
      const stateField = Object.keys(body).find(
        (k) => UPDATE_FIELDS.has(k) && !FIELDS_EDITABLE_AFTER_REDEEM.has(k) && body[k] !== undefined,
      );
      if (stateField) {
        throw new Rejection(
          SandboxCode.ALREADY_REDEEMED,
          `The stamp has been redeemed; redemption is final and ${stateField} can no longer change.`,
        );
      }
    }
    const card = this.card(cardIdx ?? current.cardIdx);
    const nextStamps = stamps ?? current.stamps;
    if (stamps !== undefined && stamps < 0) bad('stamps must not be negative.');
    if (nextStamps > card.maxStamps) {
      throw new Rejection(SandboxCode.MAX_REACHED, `stamps (${nextStamps}) cannot exceed the card's maximum of ${card.maxStamps}.`);
    }
    const nextStart = strtYmd ?? current.strtYmd;
    const nextEnd = endYmd ?? current.endYmd;
    if (nextStart > nextEnd) bad('strtYmd must not be after endYmd.');
    if (endYmd !== undefined) this.checkEndDate(endYmd);
    if (useYn === 'Y' && this.options.strictUpdateRedeem && nextStamps !== card.maxStamps) {
      throw new Rejection(SandboxCode.NOT_FULL, 'The stamp card is not full yet.');
    }

    const next: StampRow = {
      ...current,
      cardIdx: card.cardIdx,
      stamps: nextStamps,
      strtYmd: nextStart,
      endYmd: nextEnd,
      activeYn: activeYn ?? current.activeYn,
      useYn: useYn ?? current.useYn,
      domain: domain ?? current.domain,
      memo: memo === undefined ? current.memo : memo,
      userId: userId ? userId : current.userId,
      pinHash: resetPinYn === 'Y' ? null : current.pinHash,
    };
    for (const f of USER_FIELDS) if (user[f] !== undefined) next[f] = user[f] ?? null;
    this.stamps.set(stampIdx, next);
    return { result: null, change: { kind: 'stamp', stamp: next } };
  }

  add(rawBody: unknown): Outcome {
    const stamp = this.usableStamp(intParam(objectBody(rawBody), 'stampIdx', true));
    const card = this.card(stamp.cardIdx);
    if (stamp.stamps >= card.maxStamps) {
      throw new Rejection(SandboxCode.MAX_REACHED, `The stamp already has the maximum of ${card.maxStamps} stamps.`);
    }
    const next = { ...stamp, stamps: stamp.stamps + 1 };
    this.stamps.set(next.stampIdx, next);
    return { result: null, change: { kind: 'stamp', stamp: next } };
  }

  remove(rawBody: unknown): Outcome {
    const stamp = this.usableStamp(intParam(objectBody(rawBody), 'stampIdx', true));
    if (stamp.stamps <= 0) throw new Rejection(SandboxCode.COUNT_IS_ZERO, 'The stamp has no stamps to remove.');
    const next = { ...stamp, stamps: stamp.stamps - 1 };
    this.stamps.set(next.stampIdx, next);
    return { result: null, change: { kind: 'stamp', stamp: next } };
  }

  redeem(rawBody: unknown): Outcome {
    const body = objectBody(rawBody);
    const stamp = this.usableStamp(intParam(body, 'stampIdx', true));
    const onsitePwd = textParam(body, 'onsitePwd');
    const card = this.card(stamp.cardIdx);
    if (stamp.stamps < card.maxStamps) {
      throw new Rejection(SandboxCode.NOT_FULL, `The stamp card is not full yet (${stamp.stamps} of ${card.maxStamps}).`);
    }
    if (card.onsiteYn === 'Y') {
      if (!onsitePwd) throw new Rejection(SandboxCode.ONSITE_PASSWORD, 'This card needs the on-site password.');
      if (onsitePwd !== card.onsitePwd) {
        throw new Rejection(SandboxCode.ONSITE_PASSWORD, 'The on-site password is wrong.');
      }
    }
    const next: StampRow = { ...stamp, useYn: 'Y' };
    this.stamps.set(next.stampIdx, next);
    return { result: null, change: { kind: 'stamp', stamp: next } };
  }

  delete(stampIdx: number): Outcome {
    this.stamp(stampIdx);
    this.stamps.delete(stampIdx);
    return { result: null, change: { kind: 'stampDeleted', stampIdx } };
  }

  addCard(rawBody: unknown): Outcome {
    const body = objectBody(rawBody);
    const cardNm = textParam(body, 'cardNm');
    if (!cardNm) bad('cardNm is required.');
    const maxStamps = intParam(body, 'maxStamps', true);
    if (maxStamps < 1 || maxStamps > 100) bad('maxStamps must be between 1 and 100.');
    const onsiteYn = flagParam(body, 'onsiteYn') ?? 'N';
    const onsitePwd = textParam(body, 'onsitePwd') ?? '';
    if (onsiteYn === 'Y' && !onsitePwd) bad('onsitePwd is required when onsiteYn is "Y".');
    const card: Card = {
      cardIdx: intParam(body, 'cardIdx', false) ?? this.nextCardIdx,
      cardNm,
      cardTtl: textParam(body, 'cardTtl') ?? '',
      maxStamps,
      url: textParam(body, 'url') ?? '',
      onsiteYn,
      onsitePwd,
      stampImgUrl: textParam(body, 'stampImgUrl') ?? 'https://cdn.vivoldi.com/www/image/icon/stamp/icon.stamp.1.webp',
    };
    if (this.cards.has(card.cardIdx)) bad(`cardIdx ${card.cardIdx} already exists.`);
    this.cards.set(card.cardIdx, card);
    this.nextCardIdx = Math.max(this.nextCardIdx, card.cardIdx + 1);
    return { result: card.cardIdx, change: { kind: 'card', card } };
  }

  /** Sandbox-only: what a customer does on the stamp page when they choose a PIN. */
  setPin(rawBody: unknown): Outcome {
    const body = objectBody(rawBody);
    const stamp = this.stamp(intParam(body, 'stampIdx', true));
    const pin = textParam(body, 'pin');
    if (!pin || !/^\d{4,8}$/.test(pin)) bad('pin must be 4 to 8 digits.');
    const next = { ...stamp, pinHash: hashPin(pin) };
    this.stamps.set(next.stampIdx, next);
    return { result: null, change: { kind: 'stamp', stamp: next } };
  }
}
