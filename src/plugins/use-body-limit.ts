import type { Plugin } from 'graphql-yoga';

function refuse(status: number, message: string): Response {
  return new Response(JSON.stringify({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] }), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

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
      if (length === null) return endResponse(refuse(411, 'Send a Content-Length header'));
      if (!/^\d+$/.test(length) || Number(length) > maxBytes) {
        return endResponse(refuse(413, `The request body is larger than ${maxBytes} bytes`));
      }
    },
  };
}
