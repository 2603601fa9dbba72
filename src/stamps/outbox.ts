import type { Logger } from 'pino';
import type { Bound, StoredResponse } from '../store/store.js';

interface Job {
  what: string;
  write: (bound: Bound) => Promise<void>;
  tries: number;
  /** The idempotency key this write settles, and its answer. */
  key?: { id: string; answer: StoredResponse };
}

/**
 * Writes the gateway owes its database but that must not hold up an answer: the history entry and the
 * idempotency record of a change the stamp API has already applied, when the database did not take
 * them in time. Retried with backoff until it does; nothing is dropped silently. Each write is
 * idempotent (history entries carry their own key), so a write that did land before its timeout is
 * harmless to repeat. What is still queued when the process dies is what start-up recovery finds in
 * the write-ahead attempts.
 */
export class Outbox {
  private readonly queue: Job[] = [];
  /** Answers of keys whose record waits here: a retry with the key gets it at once, not a wait. */
  private readonly answers = new Map<string, StoredResponse>();
  private running = false;
  private stopped = false;

  constructor(
    private readonly log?: Pick<Logger, 'warn' | 'error' | 'info'>,
    /** Bound on memory: past it the oldest entry is given up, loudly (its attempt row stays for recovery). */
    private readonly max = 10_000,
    private readonly timeoutMs = 5_000,
  ) {}

  get size(): number {
    return this.queue.length;
  }

  /** The answer a key will have once its record is written, while it waits here. */
  answerFor(caller: string, key: string): StoredResponse | undefined {
    return this.answers.get(`${caller}\n${key}`);
  }

  enqueue(what: string, write: (bound: Bound) => Promise<void>, key?: { caller: string; key: string; answer: StoredResponse }): void {
    if (this.queue.length >= this.max) {
      const dropped = this.queue.shift()!;
      this.forget(dropped);
      this.log?.error({ what: dropped.what }, 'outbox full: an entry is left to start-up recovery');
    }
    const job: Job = { what, write, tries: 0, ...(key ? { key: { id: `${key.caller}\n${key.key}`, answer: key.answer } } : {}) };
    if (job.key) this.answers.set(job.key.id, job.key.answer);
    this.queue.push(job);
    this.log?.warn({ what, queued: this.queue.length }, 'the database did not take a write in time; it is retried from the outbox');
    void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.queue.length && !this.stopped) {
        const job = this.queue[0]!;
        try {
          await job.write({ timeoutMs: this.timeoutMs });
          this.forget(this.queue.shift()!);
          this.log?.info({ what: job.what, tries: job.tries + 1 }, 'outbox entry written');
        } catch {
          job.tries++;
          await new Promise((resolve) => setTimeout(resolve, Math.min(10_000, 100 * 2 ** Math.min(job.tries, 7))).unref());
        }
      }
    } finally {
      this.running = false;
    }
  }

  private forget(job: Job): void {
    if (job.key && this.answers.get(job.key.id) === job.key.answer) this.answers.delete(job.key.id);
  }

  /** Tries once more to write what is queued, within `timeoutMs` (shutdown). */
  async flush(timeoutMs: number): Promise<number> {
    const until = Date.now() + timeoutMs;
    while (this.queue.length && Date.now() < until) {
      const job = this.queue[0]!;
      try {
        await job.write({ timeoutMs: Math.max(1, until - Date.now()) });
        this.forget(this.queue.shift()!);
      } catch {
        break;
      }
    }
    this.stopped = true;
    return this.queue.length;
  }
}
