// V8 lets its old generation grow to up to four times the live heap before a full collection.
// The long operations keep a small live heap but leave garbage that V8 promotes while requests
// wait on the network: a push's 20 000 SDK requests (live ~30 MB, heap 120-160 MB of garbage,
// peak RSS 300 MB on a busy machine where incremental marking runs late), a migration's parsed
// pages and bulk bodies (the heap twice its live size between full collections). Growing by
// 50 % at most keeps the heap near the live size (a full collection of ~30 MB takes ~10 ms;
// one every few seconds costs nothing measurable).
// The flag is the process's: it is set while at least one holder runs and the default given back after.
import { setFlagsFromString } from 'node:v8';

/** Old generation growth while a holder runs: 1 + 50 / 100 times the live size after each full collection. */
const HEAP_GROWING_PERCENT = 50;
let holders = 0;

/** Tightens V8's heap growth until the returned function is called (once per call). */
export function holdTightHeapGrowth(): () => void {
  if (holders++ === 0) setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    // 0 is V8's own default: the growth it computes from the collector's speed.
    if (--holders === 0) setFlagsFromString('--heap-growing-percent=0');
  };
}
