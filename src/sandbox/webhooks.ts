import { createHash, createHmac, randomUUID } from 'node:crypto';
import type { StampRow } from './state.js';

/** The stamp service's webhook actions for stamps. */
export type WebhookAction = 'ADD' | 'REMOVE' | 'USE';

export interface WebhookTarget {
  url: string;
  secret: string;
  /** What `v1` signs: `<t>.<raw body>` (default) or the raw body alone. */
  signedPayload?: 'timestamp.body' | 'body';
}

export interface WebhookSenderOptions {
  /** Waits between attempts of one event; its length is the number of retries. Default 1, 2, 4, 8, 16 s. */
  retryDelaysMs?: number[];
  /** How long the receiver has to answer an attempt. Default 5 s, as the stamp service waits. */
  timeoutMs?: number;
  /** The account's id at the stamp service, sent as X-Vivoldi-Comp-Idx. */
  compIdx?: number;
}

export interface Delivery {
  eventId: string;
  action: WebhookAction;
  stampIdx: number;
  /** One entry per attempt: the HTTP status, or the failure (`timeout`, `network`), or `dropped` by the fault switch. */
  attempts: Array<number | 'timeout' | 'network' | 'dropped'>;
  delivered: boolean;
  /** Sent twice by the fault switch (the same Event-Id). */
  duplicated: boolean;
}

/** The latest deliveries kept for the admin API. */
const KEEP_DELIVERIES = 500;

/**
 * The sandbox playing the stamp service's webhooks: for each add, remove and redeem (through the API
 * or the admin "dashboard" endpoints) one event, signed with HMAC-SHA256 as the service does, sent to
 * the target with a 5 s timeout and retried with backoff under the same Event-Id until a 2xx. A fault
 * switch drops the next events (never delivered) or duplicates them (delivered twice).
 */
export class WebhookSender {
  private target: WebhookTarget | undefined;
  private readonly log: Delivery[] = [];
  private readonly pending = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private faults = { drop: 0, duplicate: 0 };
  private closed = false;

  constructor(
    target: WebhookTarget | undefined,
    private readonly options: WebhookSenderOptions = {},
  ) {
    this.target = target;
  }

  /** Where events go from now on; undefined: nowhere. */
  setTarget(target: WebhookTarget | undefined): void {
    this.target = target;
  }

  get targetUrl(): string | null {
    return this.target?.url ?? null;
  }

  /** The next `drop` events are lost; the next `duplicate` are delivered twice. */
  setFaults(faults: { drop?: number; duplicate?: number }): void {
    this.faults = { drop: Math.max(0, faults.drop ?? 0), duplicate: Math.max(0, faults.duplicate ?? 0) };
  }

  deliveries(): Delivery[] {
    return [...this.log];
  }

  /** Announces a change of a stamp, if a target is set. */
  send(action: WebhookAction, stamp: StampRow, maxStamps: number): void {
    const target = this.target;
    if (!target || this.closed) return;
    const eventId = randomUUID();
    const delivery: Delivery = { eventId, action, stampIdx: stamp.stampIdx, attempts: [], delivered: false, duplicated: false };
    this.log.push(delivery);
    if (this.log.length > KEEP_DELIVERIES) this.log.splice(0, this.log.length - KEEP_DELIVERIES);
    if (this.faults.drop > 0) {
      this.faults.drop--;
      delivery.attempts.push('dropped');
      return;
    }
    const body = JSON.stringify({
      eventId,
      webhookType: 'GROUP',
      resourceType: 'STAMP',
      actionType: action,
      data: {
        stampIdx: stamp.stampIdx,
        cardIdx: stamp.cardIdx,
        stamps: stamp.stamps,
        maxStamps,
        userId: stamp.userId,
        useYn: stamp.useYn,
      },
      payloadVersion: 'v1',
    });
    const copies = this.faults.duplicate > 0 ? 2 : 1;
    if (copies === 2) {
      this.faults.duplicate--;
      delivery.duplicated = true;
    }
    for (let i = 0; i < copies; i++) this.track(this.deliver(target, delivery, body));
  }

  private track(p: Promise<void>): void {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  private async deliver(target: WebhookTarget, delivery: Delivery, body: string): Promise<void> {
    const delays = this.options.retryDelaysMs ?? [1_000, 2_000, 4_000, 8_000, 16_000];
    for (let attempt = 0; attempt <= delays.length && !this.closed; attempt++) {
      const t = String(Date.now());
      const signed = target.signedPayload === 'body' ? body : `${t}.${body}`;
      const signature = createHmac('sha256', target.secret).update(signed).digest('hex');
      let result: Delivery['attempts'][number];
      try {
        const res = await fetch(target.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'Vivoldi-Webhook/1.0 (stamp sandbox)',
            'x-vivoldi-webhook-type': 'GROUP',
            'x-vivoldi-resource-type': 'STAMP',
            'x-vivoldi-action-type': delivery.action,
            'x-vivoldi-event-id': delivery.eventId,
            'x-vivoldi-request-id': randomUUID(),
            'x-vivoldi-timestamp': t,
            'x-vivoldi-comp-idx': String(this.options.compIdx ?? 50742),
            'x-content-sha256': createHash('sha256').update(body).digest('hex'),
            'x-vivoldi-signature': `t=${t},v1=${signature},alg=hmac-sha256`,
          },
          body,
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000),
        });
        await res.arrayBuffer().catch(() => undefined);
        result = res.status;
      } catch (error) {
        result = (error as Error).name === 'TimeoutError' ? 'timeout' : 'network';
      }
      delivery.attempts.push(result);
      if (typeof result === 'number' && result >= 200 && result < 300) {
        delivery.delivered = true;
        return;
      }
      const wait = delays[attempt];
      if (wait === undefined) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          resolve();
        }, wait);
        this.timers.add(timer);
      });
    }
  }

  /** Waits for the deliveries under way (tests), at most `ms`. */
  async settle(ms = 10_000): Promise<void> {
    await Promise.race([Promise.allSettled([...this.pending]), new Promise((r) => setTimeout(r, ms).unref())]);
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
