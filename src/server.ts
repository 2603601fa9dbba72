// The gateway's entry point. V8 is tuned before anything else is loaded (src/heap.ts): loading the
// gateway's modules allocates enough to grow V8's young generation to its maximum, which a cap set
// afterwards cannot take back, so the rest is imported only once the heap is set.
import { capYoungGeneration, scavengeOnOneThread, tuneHeapGrowth } from './heap.js';

tuneHeapGrowth();
capYoungGeneration();
scavengeOnOneThread();

await import('./serve.js');
