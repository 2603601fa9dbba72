import type { Plugin } from 'graphql-yoga';
import { requestPath } from './request-path.js';

/** The largest delivery read; a larger one is answered 413 unread. */
export const MAX_WEBHOOK_BYTES = 64 * 1024;

export interface WebhookAnswer {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** Where deliveries go (the stamp domain's inbox). */
export interface WebhookReceiver {
  receive(header: (name: string) => string | null, body: Buffer): Promise<WebhookAnswer>;
}

export const WEBHOOK_PATH = '/webhooks/vivoldi';

const toResponse = (answer: WebhookAnswer) =>
  new Response(JSON.stringify(answer.body), {
    status: answer.status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...answer.headers },
  });

/** Reads at most `max` bytes of a body; undefined when it is longer. */
async function readBounded(request: Request, max: number): Promise<Buffer | undefined> {
  if (!request.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/**
 * `POST /webhooks/vivoldi`: the stamp service's signed deliveries, handed over as raw bytes (the
 * signature is over them). Not served without STAMP_WEBHOOK_SECRET (404). Placed before the GraphQL
 * body limit: a delivery has its own (64 KiB, 413), and may come chunked.
 */
export function useWebhooks(inbox: WebhookReceiver | undefined, answered: (status: number) => void = () => undefined): Plugin {
  const json = (answer: WebhookAnswer) => {
    answered(answer.status);
    return toResponse(answer);
  };
  return {
    // Not async: every GraphQL request passes here, and an async hook costs it a promise and a turn.
    onRequest({ request, endResponse }) {
      if (requestPath(request) !== WEBHOOK_PATH) return;
      return (async () => {
        if (!inbox)
          return endResponse(json({ status: 404, body: { ok: false, error: 'Webhooks are not set up here (no STAMP_WEBHOOK_SECRET)' } }));
        if (request.method !== 'POST') {
          return endResponse(json({ status: 405, body: { ok: false, error: 'POST only' }, headers: { allow: 'POST' } }));
        }
        const length = request.headers.get('content-length');
        if (length !== null && (!/^\d+$/.test(length) || Number(length) > MAX_WEBHOOK_BYTES)) {
          return endResponse(json({ status: 413, body: { ok: false, error: `The body is larger than ${MAX_WEBHOOK_BYTES} bytes` } }));
        }
        const body = await readBounded(request, MAX_WEBHOOK_BYTES);
        if (!body)
          return endResponse(json({ status: 413, body: { ok: false, error: `The body is larger than ${MAX_WEBHOOK_BYTES} bytes` } }));
        endResponse(json(await inbox.receive((name) => request.headers.get(name), body)));
      })();
    },
  };
}
