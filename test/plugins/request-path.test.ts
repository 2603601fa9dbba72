import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requestPath } from '../../src/plugins/request-path.js';

const pathOf = (url: string) => requestPath(new Request(url));

describe('requestPath', () => {
  it('is what the URL parser says the path is, for plain paths and for ones it normalises', () => {
    for (const path of [
      '/graphql',
      '/graphql?query=%7B__typename%7D',
      '/metrics',
      '/graphql/../metrics',
      '/./ready',
      '/%6Detrics',
      '/webhooks/vivoldi?x=1#frag',
      '/graphiql-assets/a.js',
      '//metrics',
      '/',
    ]) {
      const url = `http://127.0.0.1:4000${path}`;
      expect(pathOf(url), path).toBe(new URL(url).pathname);
    }
  });

  it('agrees with the URL parser on any path a client can send', () => {
    fc.assert(
      fc.property(fc.webPath(), fc.option(fc.webQueryParameters()), (path, query) => {
        const url = `http://localhost:8080${path.startsWith('/') ? path : `/${path}`}${query === null ? '' : `?${query}`}`;
        expect(pathOf(url)).toBe(new URL(url).pathname);
      }),
      { numRuns: 2000, seed: 7 },
    );
  });
});
