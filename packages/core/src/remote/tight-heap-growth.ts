// V8 lets its old generation grow to up to four times the live heap before a full collection.
// A push's live heap is ~30 MB at 20 000 files, but each of the 20 000 requests leaves objects
// that V8 promotes while the request waits on the network (the SDK's request and response
// objects, headers, signing): at the default growth the heap reached 120-160 MB of garbage,
// and the push's peak RSS 300 MB, on a busy machine where the collector's incremental marking
// runs late. Growing by 50 % at most keeps the heap near the live size (a full collection of
// ~30 MB takes ~10 ms; one every few seconds costs nothing measurable).
// The flag is the process's: it is set while at least one push runs and the default given back after.
import { setFlagsFromString } from 'node:v8';

/** Old generation growth while a push runs: 1 + 50 / 100 times the live size after each full collection. */
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
