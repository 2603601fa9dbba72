import type { Logger } from 'pino';
import { SignatureError, type SignatureOptions, verifyWebhook } from '../auth/webhook-signature.js';
import type { GatewayStore } from '../store/store.js';
import { echoedMutations, WEBHOOK_ACTIONS } from './changes.js';
import type { StampUserIndex } from './user-index.js';

/** How long a recorded event may wait for its processing before another try (any instance) takes it. */
const PENDING_AFTER_MS = 2_000;
/** Handled events are remembered this long: a replay within it changes nothing. */
const KEEP_EVENTS_DAYS = 7;

export interface WebhookAnswer {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

const EVENT_ID = /^[\x21-\x7e]{1,200}$/;
const MAX_STAMP_IDX = 2_147_483_647;
/** The stamp API's bound on a user id (see LIMITS.userId). */
const USER_ID_MAX = 100;

/** A stamp id as the body may give it: a positive integer, or a string of one. */
function stampIdxOf(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : Number.NaN;
  return Number.isSafeInteger(n) && n > 0 && n <= MAX_STAMP_IDX ? n : undefined;
}

/**
 * The stamp an event is about: `stampIdx` at the top level of the JSON body, or under `data` or
 * `stamp` (the docs do not give the body's schema), and its `userId` when the same object names one
 * (1 to 100 characters, the stamp API's bound). Nulls when they cannot be told.
 */
export function webhookStamp(body: Buffer): { stampIdx: number | null; userId: string | null } {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return { stampIdx: null, userId: null };
  }
  if (!json || typeof json !== 'object') return { stampIdx: null, userId: null };
  const top = json as Record<string, unknown>;
  for (const holder of [top, top.data, top.stamp]) {
    if (holder && typeof holder === 'object' && !Array.isArray(holder)) {
      const fields = holder as Record<string, unknown>;
      const idx = stampIdxOf(fields.stampIdx);
      if (idx === undefined) continue;
      const userId =
        typeof fields.userId === 'string' && fields.userId.length >= 1 && fields.userId.length <= USER_ID_MAX ? fields.userId : null;
      return { stampIdx: idx, userId };
    }
  }
  return { stampIdx: null, userId: null };
}

/**
 * The stamp service's webhooks: each delivery is checked (signature, timestamp, content hash),
 * recorded by its Event-Id before it is answered, then handled once, whichever instance heard it:
 * marked handled and announced to every instance (cache invalidation, subscriptions) in one
 * transaction. An event recorded by a process that died before handling it is handled by the sweep
 * of any instance.
 */
export class WebhookInbox {
  private sweeper: NodeJS.Timeout | undefined;
  private readonly handling = new Set<Promise<unknown>>();

  constructor(
    private readonly store: GatewayStore,
    private readonly options: SignatureOptions & { timeoutMs: number },
    private readonly log?: Pick<Logger, 'warn' | 'info'>,
    private readonly userIndex?: Pick<StampUserIndex, 'seenUser'>,
  ) {}

  /** Checks, records and answers one delivery; its handling follows the answer. */
  async receive(header: (name: string) => string | null, body: Buffer): Promise<WebhookAnswer> {
    try {
      verifyWebhook(
        { signature: header('x-vivoldi-signature'), timestamp: header('x-vivoldi-timestamp'), contentSha256: header('x-content-sha256') },
        body,
        this.options,
      );
    } catch (error) {
      if (!(error instanceof SignatureError)) throw error;
      this.log?.warn({ reason: error.message }, 'webhook refused: not signed by the stamp service');
      return { status: 401, body: { ok: false, error: `Refused: ${error.message}` } };
    }
    const eventId = header('x-vivoldi-event-id');
    if (eventId === null || !EVENT_ID.test(eventId)) {
      return { status: 400, body: { ok: false, error: 'X-Vivoldi-Event-Id must be 1 to 200 printable characters' } };
    }
    const resource = header('x-vivoldi-resource-type')?.toUpperCase();
    // Other resources (URL, COUPON) are not this gateway's: acknowledged, so the sender does not retry.
    if (resource !== 'STAMP') return { status: 200, body: { ok: true, ignored: true } };
    const actionType = (header('x-vivoldi-action-type') ?? '').toUpperCase();
    // An action the gateway does not know still says the stamp changed.
    const action = WEBHOOK_ACTIONS[actionType] ?? 'UPDATED';
    const { stampIdx, userId } = webhookStamp(body);
    let fresh: boolean;
    try {
      fresh = await this.store.recordWebhook({ eventId, action, stampIdx }, { timeoutMs: this.options.timeoutMs });
    } catch (error) {
      this.log?.warn({ error: (error as Error).message }, 'webhook not recorded: the state store does not answer; the sender will retry');
      return { status: 503, body: { ok: false, error: 'Not recorded; send it again' }, headers: { 'retry-after': '5' } };
    }
    if (!fresh) return { status: 200, body: { ok: true, duplicate: true } };
    if (stampIdx !== null && userId !== null) this.userIndex?.seenUser(stampIdx, userId);
    this.track(this.handle(eventId));
    return { status: 200, body: { ok: true } };
  }

  /** Handles a recorded event once; false when it was handled already (elsewhere). */
  async handle(eventId: string): Promise<boolean> {
    try {
      return await this.store.processWebhook(
        eventId,
        (event) => ({
          kind: 'change',
          stampIdx: event.stampIdx,
          action: event.action,
          source: 'WEBHOOK',
          at: event.receivedAt.toISOString(),
          eventId,
        }),
        echoedMutations,
        { timeoutMs: this.options.timeoutMs },
      );
    } catch (error) {
      // Recorded, so not lost: the sweep (here or in another instance) takes it again.
      this.log?.warn({ eventId, error: (error as Error).message }, 'webhook recorded but not yet handled; the sweep will');
      return false;
    }
  }

  private track(p: Promise<unknown>): void {
    this.handling.add(p);
    void p.finally(() => this.handling.delete(p));
  }

  /** Handles the events recorded but not handled (their process died after answering, or the database was away). */
  async sweep(): Promise<number> {
    let handled = 0;
    for (const eventId of await this.store.pendingWebhooks(PENDING_AFTER_MS, { timeoutMs: this.options.timeoutMs })) {
      if (await this.handle(eventId)) handled++;
    }
    if (handled) this.log?.info({ handled }, 'webhook events left unhandled were handled');
    return handled;
  }

  start(everyMs = 1_000): void {
    let lastCleanup = 0;
    this.sweeper = setInterval(() => {
      void this.sweep().catch(() => undefined);
      if (Date.now() - lastCleanup > 3_600_000) {
        lastCleanup = Date.now();
        void this.store.deleteOldWebhooks(KEEP_EVENTS_DAYS).catch(() => undefined);
      }
    }, everyMs);
    this.sweeper.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.sweeper);
    await Promise.allSettled([...this.handling]);
  }
}
