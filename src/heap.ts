import { setFlagsFromString } from 'node:v8';

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
  if (argv.some((a) => /^--heap[-_]growing[-_]percent\b/.test(a))) return false;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}
