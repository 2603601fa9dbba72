import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builder, type GatewayContext, releaseRequestCaches } from '../src/builder.js';
import { capYoungGeneration, runWebAssemblyUnoptimized, SEMI_SPACE_CAP_MB, scavengeOnOneThread, tuneHeapGrowth } from '../src/heap.js';
import { RequestCache } from '@pothos/plugin-scope-auth';

describe('the heap growth the gateway sets for itself', () => {
  it('is set when the operator gave none', () => {
    expect(tuneHeapGrowth([])).toBe(true);
    expect(tuneHeapGrowth(['--enable-source-maps', '--max-old-space-size=512'])).toBe(true);
    // A flag that only starts the same way is another flag.
    expect(tuneHeapGrowth(['--heap-growing-percentile=3'])).toBe(true);
  });

  it("leaves the operator's own value, in either spelling", () => {
    expect(tuneHeapGrowth(['--heap-growing-percent=10'])).toBe(false);
    expect(tuneHeapGrowth(['--max-old-space-size=512', '--heap_growing_percent=30'])).toBe(false);
    expect(tuneHeapGrowth(['--heap-growing-percent', '10'])).toBe(false);
    expect(tuneHeapGrowth(['--heap-growing-percent=0'])).toBe(false);
  });
});

// A process that allocates fast and keeps a share of it alive for a while, as a gateway under load
// does, then reports its young generation's size in MB (both semi-spaces).
const heapModule = fileURLToPath(new URL('../src/heap.ts', import.meta.url));
const allocator = (cap: boolean, capMb?: number) => `
  import { getHeapSpaceStatistics } from 'node:v8';
  ${cap ? `const { capYoungGeneration } = await import(${JSON.stringify(heapModule)}); capYoungGeneration([], ${capMb ?? 'undefined'});` : ''}
  const kept = [];
  let sink;
  for (let round = 0; round < 150; round++) {
    for (let i = 0; i < 20000; i++) { sink = { i, list: [i, i + 1], text: 'x' + i }; if (i % 40 === 0) kept.push(sink); }
    if (kept.length > 20000) kept.splice(0, 10000);
    await new Promise((resolve) => setImmediate(resolve));
  }
  const young = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
  console.log(young.space_size / 1048576);
`;
function youngMb(cap: boolean, capMb?: number): number {
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', allocator(cap, capMb)], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return Number(run.stdout.trim());
}

describe("the young generation's cap", () => {
  it("keeps each semi-space at the cap where V8's default grows it further", () => {
    // Without it the same allocation grows it past the cap: the test can tell the two apart.
    expect(youngMb(false)).toBeGreaterThan(2 * SEMI_SPACE_CAP_MB);
    expect(youngMb(true)).toBeLessThanOrEqual(2 * SEMI_SPACE_CAP_MB);
    expect(youngMb(true, 2)).toBeLessThanOrEqual(4);
  });

  it("leaves an operator's own sizing alone", () => {
    expect(capYoungGeneration(['--max-semi-space-size=8'])).toBeNull();
    expect(capYoungGeneration(['--max_semi_space_size', '8'])).toBeNull();
    expect(capYoungGeneration(['--semi-space-growth-factor=4'])).toBeNull();
    const stop = capYoungGeneration(['--max-semi-space-sizes=8']);
    expect(stop).toBeTypeOf('function');
    stop?.();
  });
});

describe('scavenges on one thread', () => {
  it('is set unless the operator chose, either way and in either spelling', () => {
    expect(scavengeOnOneThread([])).toBe(true);
    expect(scavengeOnOneThread(['--parallel-scavenge'])).toBe(false);
    expect(scavengeOnOneThread(['--no-parallel-scavenge'])).toBe(false);
    expect(scavengeOnOneThread(['--no_parallel_scavenge'])).toBe(false);
    expect(scavengeOnOneThread(['--parallel-scavenge-tasks=2'])).toBe(true);
  });
});

// A process that runs a small WebAssembly function hot until V8 has tiered it up or a bound is
// reached, then reports whether it still runs Liftoff's code (V8's own test hook).
const hotWasm = (unoptimized: boolean, argv: string[] = []) => `
  ${unoptimized ? `const { runWebAssemblyUnoptimized } = await import(${JSON.stringify(heapModule)}); runWebAssemblyUnoptimized(${JSON.stringify(argv)});` : ''}
  // (func (export "f") (param i32) (result i32) local.get 0 i32.const 1 i32.add)
  const bytes = new Uint8Array([0,97,115,109,1,0,0,0,1,6,1,96,1,127,1,127,3,2,1,0,7,5,1,1,102,0,0,10,9,1,7,0,32,0,65,1,106,11]);
  const f = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.f;
  const liftoff = new Function('f', 'return %IsLiftoffFunction(f)');
  let n = 0;
  for (let round = 0; round < 40; round++) {
    for (let i = 0; i < 5e6; i++) n = f(n);
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (!liftoff(f)) break;
  }
  console.log(liftoff(f));
`;
function staysLiftoff(unoptimized: boolean, argv?: string[]): boolean {
  const run = spawnSync(
    process.execPath,
    ['--allow-natives-syntax', '--import', 'tsx', '--input-type=module', '-e', hotWasm(unoptimized, argv)],
    {
      encoding: 'utf8',
    },
  );
  expect(run.status, run.stderr).toBe(0);
  return run.stdout.trim() === 'true';
}

describe('WebAssembly on the baseline compiler only', () => {
  it("keeps a hot function on Liftoff's code, where V8's default optimizes it", () => {
    // Without it the same function is tiered up: the test can tell the two apart.
    expect(staysLiftoff(false)).toBe(false);
    expect(staysLiftoff(true)).toBe(true);
    // An operator's flag on the command line, given to the function as node would: V8's default stays.
    expect(staysLiftoff(true, ['--wasm-tier-up'])).toBe(false);
  });

  it("leaves the operator's choice alone, either way and in either spelling", () => {
    for (const argv of [
      ['--liftoff-only'],
      ['--no-liftoff-only'],
      ['--no_liftoff'],
      ['--no-wasm-tier-up'],
      ['--wasm-dynamic-tiering'],
      ['--wasm_tiering_budget=1000'],
    ]) {
      expect(runWebAssemblyUnoptimized(argv), argv.join(' ')).toBe(false);
    }
  });
});

describe("a request's caches", () => {
  it('are let go of once its operation has run, and built again when used', () => {
    const context = { requestId: 'r1' } as unknown as GatewayContext;
    const during = RequestCache.fromContext(context, builder as never);
    expect(RequestCache.fromContext(context, builder as never)).toBe(during);
    releaseRequestCaches(context);
    expect(RequestCache.fromContext(context, builder as never)).not.toBe(during);
  });
});
