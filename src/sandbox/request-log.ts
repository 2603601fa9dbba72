import type { Endpoint } from './faults.js';

export interface LoggedRequest {
  seq: number;
  at: string;
  endpoint: Endpoint | null;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** The parsed JSON body, the raw text when it was not JSON, or null when empty. */
  body: unknown;
  /** Whether the call changed the sandbox's state (whatever it then answered, faults included). */
  applied?: boolean;
}

/** What the stamp API received, newest last, bounded so a long-running sandbox stays small. */
export class RequestLog {
  private entries: LoggedRequest[] = [];
  private seq = 0;
  private readonly totals = new Map<string, number>();

  constructor(private readonly limit = 10_000) {}

  record(entry: Omit<LoggedRequest, 'seq' | 'at'>): LoggedRequest {
    const logged = { ...entry, seq: ++this.seq, at: new Date().toISOString() };
    const key = entry.endpoint ?? 'other';
    this.totals.set(key, (this.totals.get(key) ?? 0) + 1);
    this.entries.push(logged);
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
    return logged;
  }

  /** The requests received, optionally only those to one endpoint. */
  list(endpoint?: Endpoint): LoggedRequest[] {
    return endpoint ? this.entries.filter((e) => e.endpoint === endpoint) : [...this.entries];
  }

  count(endpoint?: Endpoint): number {
    return endpoint ? this.list(endpoint).length : this.entries.length;
  }

  /** Requests received since start, including those the bounded log no longer holds. */
  total(endpoint?: Endpoint): number {
    return endpoint ? (this.totals.get(endpoint) ?? 0) : this.seq;
  }

  clear(): void {
    this.entries = [];
  }
}
