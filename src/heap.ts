import { constants, PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/** How far V8's old generation may grow past what survived its last full collection, in percent. */
export const HEAP_GROWING_PERCENT = 100;

/**
 * V8 lets its old generation grow to up to four times what survived the last full collection before it
 * collects again. Under load, most of what a gateway promotes there is request objects that happened to
 * be alive at two young collections and are garbage soon after, so RSS climbed far past what is live.
 * Letting it grow by the live size (to twice what is live) keeps RSS near it, for more frequent full
 * collections (half the live size was measurably slower: collections too frequent). The heap's limit
 * is still V8's own, sized from the machine's or the container's memory. An operator who starts node
 * with `--heap-growing-percent` keeps their value (node refuses the flag in NODE_OPTIONS).
 * Returns whether the gateway set it.
 */
export function tuneHeapGrowth(argv: readonly string[] = process.execArgv): boolean {
  if (givenFlag(argv, 'heap-growing-percent')) return false;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}

/** The most each of the young generation's two semi-spaces may grow to, in MB. */
export const SEMI_SPACE_CAP_MB = 8;
// V8's own default growth factor of the young generation (`--semi-space-growth-factor`).
const V8_GROWTH_FACTOR = 2;

/**
 * V8 grows its young generation up to two 16 MB semi-spaces while a process allocates fast, and both
 * stay resident, for request objects that live a few milliseconds (the README's benchmark section has
 * what that cost in RSS). Its maximum can only be given on node's command line (`--max-semi-space-size`), which
 * an operator would have to know; the growth factor is read at each growth, so after every young
 * collection the gateway lets it grow (V8's factor) while a semi-space is below the cap and stops it
 * (factor 1) at the cap. V8 still shrinks it when the process is idle, and it grows back to the cap.
 * An operator's own `--max-semi-space-size` or `--semi-space-growth-factor` is left alone.
 * Returns a function that stops it, or null when the operator sized it.
 */
export function capYoungGeneration(argv: readonly string[] = process.execArgv, capMb = SEMI_SPACE_CAP_MB): (() => void) | null {
  if (givenFlag(argv, 'max-semi-space-size') || givenFlag(argv, 'semi-space-growth-factor')) return null;
  // No growth until the first young collection is observed: the observer is not called during a long
  // synchronous run such as loading the gateway's modules, which grew V8's default to its maximum.
  let factor = 1;
  setFlagsFromString('--semi-space-growth-factor=1');
  const follow = () => {
    const young = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
    if (!young) return;
    const wanted = young.space_size / 2 >= capMb * 1024 * 1024 ? 1 : V8_GROWTH_FACTOR;
    if (wanted !== factor) setFlagsFromString(`--semi-space-growth-factor=${(factor = wanted)}`);
  };
  const observer = new PerformanceObserver((list) => {
    if (list.getEntries().some((entry) => (entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR)) {
      follow();
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return () => {
    observer.disconnect();
    setFlagsFromString(`--semi-space-growth-factor=${V8_GROWTH_FACTOR}`);
  };
}

/**
 * With the young generation capped and a request's objects dying young (releaseRequestCaches), a young
 * collection copies little: one thread does that quickly, and V8's parallel scavenge woke helper
 * threads for it on every collection, which cost more CPU than it saved where cores are few (the
 * README's benchmark section has the figures). An operator's own `--parallel-scavenge` or
 * `--no-parallel-scavenge` is left alone. Returns whether the gateway set it.
 */
export function scavengeOnOneThread(argv: readonly string[] = process.execArgv): boolean {
  if (givenFlag(argv, 'parallel-scavenge') || givenFlag(argv, 'no-parallel-scavenge')) return false;
  setFlagsFromString('--no-parallel-scavenge');
  return true;
}

/** Whether node was started with this V8 flag, in either spelling (`-` or `_`), with a value or not. */
function givenFlag(argv: readonly string[], name: string): boolean {
  const pattern = new RegExp(`^--${name.replaceAll('-', '[-_]')}(=|$)`);
  return argv.some((arg) => pattern.test(arg));
}

/** The flags with which an operator chooses how V8 compiles WebAssembly; the gateway then sets none. */
const WASM_TIER_FLAGS = ['liftoff-only', 'liftoff', 'wasm-tier-up', 'wasm-dynamic-tiering', 'wasm-tiering-budget'];

/**
 * From here on V8 runs WebAssembly with its baseline compiler (Liftoff) only. By default it recompiles
 * each function that runs hot with its optimizing compiler; for the embedded PostgreSQL (PGlite, 9 MB of
 * WebAssembly) under a stream of changes it kept at it for minutes on the cores the gateway serves
 * from, and the memory those compiles took from malloc stayed resident (the README's benchmark section
 * has the figures). V8 reads the flag each time it would tier a function up, so it holds for the whole
 * process: the only other WebAssembly a gateway runs is undici's HTTP parser, whose cost per read did
 * not move. It is set when PGlite first starts, so a gateway that only reads keeps V8's default. An
 * operator who gave node any of these flags, either way, keeps their choice. Returns whether it was set.
 */
export function runWebAssemblyUnoptimized(argv: readonly string[] = process.execArgv): boolean {
  if (WASM_TIER_FLAGS.some((name) => givenFlag(argv, name) || givenFlag(argv, `no-${name}`))) return false;
  setFlagsFromString('--liftoff-only');
  return true;
}
