import { randomUUID } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The client's `X-Request-Id` when it is a sane one, else a new UUID. */
export function requestIdFrom(given: string | null | undefined): string {
  return given && REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * The id of each request: the client's `X-Request-Id` when it is a sane one, else a new UUID. It is
 * sent to the stamp API, written to every log line and history entry, and returned in the response.
 */
export class RequestIds {
  private readonly ids = new WeakMap<Request, string>();

  of(request: Request): string {
    let id = this.ids.get(request);
    if (!id) {
      id = requestIdFrom(request.headers.get('x-request-id'));
      this.ids.set(request, id);
    }
    return id;
  }

  /** Forgets a request's id once it is answered (see OperationRecords.release). */
  release(request: Request): void {
    this.ids.delete(request);
  }
}

/** `X-Request-Id` on every response. */
export function useRequestId(ids: RequestIds): Plugin {
  return {
    onResponse({ request, response }) {
      response.headers.set('x-request-id', ids.of(request));
      ids.release(request);
    },
  };
}
