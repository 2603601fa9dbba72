import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type CpuProfile, layerOfUrl, priceLayers } from './layers-of.js';

const frame = (functionName: string, url = '') => ({ functionName, url });

describe('the layer of a file', () => {
  it.each([
    ['file:///app/node_modules/@pothos/plugin-scope-auth/esm/index.js', 'scope-auth (Pothos)'],
    ['file:///app/node_modules/@pothos/core/esm/build-cache.js', 'framework: yoga, envelop, graphql-js, Pothos core'],
    ['file:///app/node_modules/.pnpm/pino@9/node_modules/pino/lib/proto.js', 'operation log (pino)'],
    ['file:///app/node_modules/@escape.tech/graphql-armor-max-tokens/dist/index.js', 'graphql-armor'],
    ['file:///app/node_modules/@graphql-yoga/plugin-csrf-prevention/esm/index.js', 'CSRF prevention'],
    ['file:///app/node_modules/graphql/execution/execute.js', 'framework: yoga, envelop, graphql-js, Pothos core'],
    // A package whose name only starts like one of the listed ones is another package.
    ['file:///app/node_modules/graphql-armor-like/index.js', 'promise jobs, program, other'],
    ['file:///app/node_modules/pinot/index.js', 'promise jobs, program, other'],
    ['file:///app/dist/auth/authentication.js', 'authentication (API key digest)'],
    // The module build `npm run build` leaves beside the bundle, which bench:layers profiles.
    ['file:///app/dist/modules/auth/authentication.js', 'authentication (API key digest)'],
    ['file:///app/dist/modules/stamps/read.js', 'stamp domain and resolvers'],
    ['file:///app/src/auth/authentication.ts', 'authentication (API key digest)'],
    ['file:///app/dist/plugins/use-operation-log.js', 'operation log (pino)'],
    ['file:///app/dist/plugins/use-request-id.js', "the gateway's other yoga plugins"],
    ['file:///app/dist/gateway.js', 'context'],
    ['file:///app/dist/stamps/read.js', 'stamp domain and resolvers'],
    ['node:internal/crypto/hash', 'authentication (API key digest)'],
    ['node:_http_server', 'Node: HTTP, sockets, streams, timers'],
    ['file:///app/test/bench/yoga-floor.ts', 'benchmark server (its resolver)'],
  ])('%s is %s', (url, layer) => {
    expect(layerOfUrl(url)).toBe(layer);
  });

  it('is none for a frame without a file', () => {
    expect(layerOfUrl('')).toBeUndefined();
  });
});

describe('pricing a profile', () => {
  // root > handler (our auth) > digest (native) ; root > GC ; root > idle ; root > runMicrotasks ; root > program
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame('(root)'), children: [2, 4, 5, 6, 7] },
      { id: 2, callFrame: frame('authenticate', 'file:///app/dist/auth/authentication.js'), children: [3] },
      { id: 3, callFrame: frame('digest') },
      { id: 4, callFrame: frame('(garbage collector)') },
      { id: 5, callFrame: frame('(idle)') },
      { id: 6, callFrame: frame('runMicrotasks') },
      { id: 7, callFrame: frame('(program)') },
    ],
    startTime: 1_000,
    // Samples at 1010, 1020, 1030, 1040, 1050, 1060, 1070; each stands for the time to the next.
    samples: [3, 3, 4, 5, 6, 7, 2, 2],
    timeDeltas: [10, 10, 10, 10, 10, 10, 10, 10],
  };

  it("gives a native function's time to its nearest caller with a file, and leaves idle out", () => {
    const { total, byLayer } = priceLayers(profile, 0, Number.MAX_SAFE_INTEGER);
    expect(byLayer.get('authentication (API key digest)')).toBe(10 + 10 + 10);
    expect(byLayer.get('garbage collection')).toBe(10);
    expect(byLayer.get('promise jobs, program, other')).toBe(10 + 10);
    expect(total).toBe(60);
  });

  it('counts only the samples inside the window', () => {
    const { total, byLayer } = priceLayers(profile, 1_025, 1_055);
    expect([...byLayer]).toEqual([
      ['garbage collection', 10],
      ['promise jobs, program, other', 10],
    ]);
    expect(total).toBe(20);
  });
});

describe('a real profile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'layers-of-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prices the time spent in each file by its layer', () => {
    // Two files where the layers would find them, each busy for about the same time.
    const spin =
      'exports.spin = (ms) => { const end = Date.now() + ms; let x = 0; while (Date.now() < end) x += Math.sqrt(x + 1); return x; };';
    mkdirSync(join(dir, 'dist', 'auth'), { recursive: true });
    mkdirSync(join(dir, 'node_modules', 'prom-client'), { recursive: true });
    writeFileSync(join(dir, 'dist', 'auth', 'spin.js'), spin);
    writeFileSync(join(dir, 'node_modules', 'prom-client', 'spin.js'), spin);
    writeFileSync(
      join(dir, 'main.js'),
      "const a = require('./dist/auth/spin.js'); const m = require('./node_modules/prom-client/spin.js'); for (let i = 0; i < 10; i++) { a.spin(30); m.spin(30); }",
    );
    execFileSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', join(dir, 'profile'), join(dir, 'main.js')]);
    const [file] = readdirSync(join(dir, 'profile'));
    const profile = JSON.parse(readFileSync(join(dir, 'profile', file!), 'utf8')) as CpuProfile;
    const { total, byLayer } = priceLayers(profile, 0, Number.MAX_SAFE_INTEGER);
    const auth = byLayer.get('authentication (API key digest)') ?? 0;
    const metrics = byLayer.get('metrics (prom-client)') ?? 0;
    // 300 ms each, out of a run that also starts Node.
    expect(auth).toBeGreaterThan(200_000);
    expect(metrics).toBeGreaterThan(200_000);
    expect(Math.abs(auth - metrics) / total).toBeLessThan(0.2);
    expect([...byLayer.values()].reduce((a, b) => a + b, 0)).toBe(total);
  });
});
