import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

export interface Payload {
  data?: any;
  errors?: Array<{ message: string; extensions?: Record<string, any> }>;
}

/** A subscription a test follows: what arrived, the next one, and whether the stream ended. */
export interface Followed {
  events: Payload[];
  /** The next event not yet taken, within `ms`; throws when none comes. */
  next(ms?: number): Promise<Payload>;
  /** Resolves when the server ends the stream (or the socket closes). */
  ended: Promise<{ error?: unknown }>;
  /** The HTTP status (SSE) the stream opened with. */
  status?: number;
  headers?: Headers;
  close(): void;
}

class Inbox {
  readonly events: Payload[] = [];
  private taken = 0;
  private waiters: Array<() => void> = [];
  endResolve!: (value: { error?: unknown }) => void;
  readonly ended = new Promise<{ error?: unknown }>((resolve) => (this.endResolve = resolve));

  push(payload: Payload): void {
    this.events.push(payload);
    for (const wake of this.waiters.splice(0)) wake();
  }

  async next(ms = 3_000): Promise<Payload> {
    const deadline = Date.now() + ms;
    while (this.taken >= this.events.length) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no event within ${ms} ms (got ${this.events.length})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.events[this.taken++]!;
  }
}

/** Subscribes over SSE (yoga's protocol: POST with `Accept: text/event-stream`), as urql's fetch subscriptions or graphql-sse do. */
export async function subscribeSse(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<Followed> {
  const inbox = new Inbox();
  const abort = new AbortController();
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: JSON.stringify({ query, variables }),
    signal: abort.signal,
  });
  void (async () => {
    let buffer = '';
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: ?(.*)$/m.exec(block)?.[1];
          if (event === 'next' && data) inbox.push(JSON.parse(data));
          if (event === 'complete') return inbox.endResolve({});
        }
      }
      inbox.endResolve({});
    } catch (error) {
      inbox.endResolve({ error });
    }
  })();
  return {
    events: inbox.events,
    next: (ms) => inbox.next(ms),
    ended: inbox.ended,
    status: res.status,
    headers: res.headers,
    close: () => abort.abort(),
  };
}

/** A graphql-ws client (graphql-transport-ws) over `ws`, retrying across the URLs given in turn. */
export function wsClient(
  urls: string | string[],
  connectionParams: Record<string, unknown> = {},
  options: { retryAttempts?: number } = {},
): Client {
  const list = (Array.isArray(urls) ? urls : [urls]).map((u) => `${u.replace(/^http/, 'ws')}/graphql`);
  let attempt = 0;
  return createClient({
    url: () => list[attempt++ % list.length]!,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: options.retryAttempts ?? 0,
    retryWait: () => new Promise((r) => setTimeout(r, 200)),
    shouldRetry: () => true,
    lazy: true,
  });
}

/** Subscribes over WebSocket with a graphql-ws client. */
export function subscribeWs(client: Client, query: string, variables: Record<string, unknown> = {}): Followed {
  const inbox = new Inbox();
  const dispose = client.subscribe(
    { query, variables },
    {
      next: (payload) => inbox.push(payload as Payload),
      error: (error) => inbox.endResolve({ error }),
      complete: () => inbox.endResolve({}),
    },
  );
  return { events: inbox.events, next: (ms) => inbox.next(ms), ended: inbox.ended, close: dispose };
}

/** Waits `ms` and returns the events that arrived meanwhile (to show that nothing more came). */
export async function quietFor(followed: Followed, ms: number): Promise<number> {
  const before = followed.events.length;
  await new Promise((r) => setTimeout(r, ms));
  return followed.events.length - before;
}
