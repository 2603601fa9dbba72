import { describe, expect, it } from 'vitest';
import { tuneHeapGrowth } from '../src/heap.js';

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
