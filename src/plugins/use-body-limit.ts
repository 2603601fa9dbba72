import type { Plugin } from 'graphql-yoga';
import { errorResponse, errors } from '../errors.js';

/**
 * Refuses request bodies over `maxBytes` before they are read. A body of unknown length (chunked)
 * is refused too: a client that cannot say how much it sends cannot be bounded cheaply.
 */
export function useBodyLimit(maxBytes: number): Plugin {
  return {
    onRequest({ request, endResponse }) {
      // Only POST bodies are ever read: yoga answers any other method without parsing a body.
      if (request.method !== 'POST') return;
      const length = request.headers.get('content-length');
      if (length === null) return endResponse(errorResponse(errors.badRequest('Send a Content-Length header', 411), 411));
      if (!/^\d+$/.test(length) || Number(length) > maxBytes) {
        return endResponse(errorResponse(errors.badRequest(`The request body is larger than ${maxBytes} bytes`, 413), 413));
      }
    },
  };
}
