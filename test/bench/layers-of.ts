/**
 * Prices the layers of a request from a V8 CPU profile (`node --cpu-prof`): each sample's time goes
 * to the layer of the code it was in. A native function (JSON.parse, a socket write, a hash) has no
 * file: its time goes to the nearest caller that has one, so a log line's write is the log's and a
 * response's write is Node's HTTP (running promise reactions is the promise machinery's own). Only the samples inside [fromMicros, toMicros] count, on the
 * monotonic clock V8 stamps the profile with (the one `process.hrtime` reads, in any process).
 */

export interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

export interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** The layers, in the order the table lists them. */
export const LAYERS = [
  'garbage collection',
  'framework: yoga, envelop, graphql-js, Pothos core',
  'Node: HTTP, sockets, streams, timers',
  'upstream client: undici, quota, breaker, retries, envelope',
  'stamp domain and resolvers',
  'authentication (API key digest)',
  'context',
  'scope-auth (Pothos)',
  'input validation (Pothos)',
  'zod: input rules, the upstream answer',
  'graphql-armor',
  'CSRF prevention',
  'operation log (pino)',
  'metrics (prom-client)',
  'DataLoader',
  "the gateway's other yoga plugins",
  'benchmark server (its resolver)',
  'promise jobs, program, other',
] as const;
export type Layer = (typeof LAYERS)[number];

const PACKAGE_LAYERS: Array<[RegExp, Layer]> = [
  [/^@pothos\/plugin-scope-auth\//, 'scope-auth (Pothos)'],
  [/^@pothos\/plugin-validation\//, 'input validation (Pothos)'],
  [/^@escape\.tech\/graphql-armor/, 'graphql-armor'],
  [/^@graphql-yoga\/plugin-csrf-prevention\//, 'CSRF prevention'],
  [
    /^(graphql-yoga|@graphql-yoga|@envelop|@whatwg-node|graphql|graphql-jit|generate-function|lodash\.[a-z]+|@graphql-tools|@pothos\/core|@repeaterjs)\//,
    'framework: yoga, envelop, graphql-js, Pothos core',
  ],
  [/^(undici|ky)\//, 'upstream client: undici, quota, breaker, retries, envelope'],
  [/^zod\//, 'zod: input rules, the upstream answer'],
  [
    /^(pino|sonic-boom|thread-stream|fast-redact|quick-format-unescaped|atomic-sleep|on-exit-leak-free|safe-stable-stringify)\//,
    'operation log (pino)',
  ],
  [/^(prom-client|tdigest|bintrees)\//, 'metrics (prom-client)'],
  [/^dataloader\//, 'DataLoader'],
];

const SOURCE_LAYERS: Array<[RegExp, Layer]> = [
  [/^auth\//, 'authentication (API key digest)'],
  [/^(gateway|stamps\/session)\.[jt]s$/, 'context'],
  [/^(logger|plugins\/use-operation-log)\.[jt]s$/, 'operation log (pino)'],
  [/^plugins\/use-metrics\.[jt]s$/, 'metrics (prom-client)'],
  [/^plugins\//, "the gateway's other yoga plugins"],
  [/^upstream\//, 'upstream client: undici, quota, breaker, retries, envelope'],
  [/^(stamps|schema)\//, 'stamp domain and resolvers'],
];

/** The layer of code at `url`, or undefined for a frame without a file (native, GC, program). */
export function layerOfUrl(url: string): Layer | undefined {
  if (!url) return undefined;
  const inPackage = url.lastIndexOf('node_modules/');
  if (inPackage >= 0) {
    const path = url.slice(inPackage + 'node_modules/'.length);
    for (const [pattern, layer] of PACKAGE_LAYERS) if (pattern.test(path)) return layer;
    return 'promise jobs, program, other';
  }
  if (url.startsWith('node:internal/crypto/')) return 'authentication (API key digest)';
  if (url.startsWith('node:')) return 'Node: HTTP, sockets, streams, timers';
  const source = /\/(?:dist\/modules|dist|src)\/(.+)$/.exec(url);
  if (source) {
    for (const [pattern, layer] of SOURCE_LAYERS) if (pattern.test(source[1]!)) return layer;
    return 'promise jobs, program, other';
  }
  if (/\/test\/bench\//.test(url)) return 'benchmark server (its resolver)';
  return 'promise jobs, program, other';
}

/** Microseconds of CPU per layer in the window, and the window's total. */
export function priceLayers(profile: CpuProfile, fromMicros: number, toMicros: number): { total: number; byLayer: Map<Layer, number> } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const layerOf = new Map<number, Layer>();
  const resolve = (id: number): Layer => {
    const known = layerOf.get(id);
    if (known) return known;
    const node = byId.get(id)!;
    let layer: Layer;
    if (node.callFrame.functionName === '(garbage collector)') layer = 'garbage collection';
    // Running promise reactions is the promise machinery's own time, whoever queued them.
    else if (node.callFrame.functionName === 'runMicrotasks' && !node.callFrame.url) layer = 'promise jobs, program, other';
    else {
      const own = layerOfUrl(node.callFrame.url);
      const up = parent.get(id);
      layer = own ?? (up === undefined ? 'promise jobs, program, other' : resolve(up));
    }
    layerOf.set(id, layer);
    return layer;
  };
  const byLayer = new Map<Layer, number>();
  let total = 0;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i]!;
    if (at < fromMicros || at > toMicros) continue;
    const node = byId.get(profile.samples[i]!)!;
    if (node.callFrame.functionName === '(idle)') continue;
    // A sample stands for the time until the next one.
    const micros = profile.timeDeltas[i + 1] ?? 0;
    const layer = resolve(node.id);
    byLayer.set(layer, (byLayer.get(layer) ?? 0) + micros);
    total += micros;
  }
  return { total, byLayer };
}
