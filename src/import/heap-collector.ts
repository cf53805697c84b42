/**
 * Keeps a long import's (or restore's, restore-backup.ts) heap near its live size. V8 sizes its heap from
 * the machine's memory, so between two major collections a multi-GB import lets hundreds of MB of garbage
 * (parsed units, index rows, JSON text) pile up: measured on a 1 GB NDJSON import, a 40 MB live heap grew
 * to 330 MB. A full collection every `every` resources (tens of milliseconds each, at most a few per second)
 * keeps peak RSS bounded.
 * `gc` is exposed at run time the way jest's leak detector does it, since a CLI cannot choose node's flags.
 * @see https://nodejs.org/api/v8.html#v8setflagsfromstringflags
 */
import v8 from 'node:v8';
import vm from 'node:vm';

let exposed: (() => void) | undefined;

/** V8's full garbage collection. */
export function fullCollection(): void {
  if (!exposed) {
    v8.setFlagsFromString('--expose-gc');
    exposed = vm.runInNewContext('gc') as () => void;
  }
  exposed();
}

/**
 * Calls `collect` each time the resources processed since its last call reach `every`, once `from` have been
 * processed: an import smaller than that never collects, since a full collection also leaves V8 a smaller heap
 * to grow again (a backup run right after a collecting import measured ~10% slower).
 */
export function heapCollector(every: number, from = 0, collect: () => void = fullCollection): (processed: number) => void {
  let last = 0;
  return (processed) => {
    if (processed < from || processed - last < every) return;
    last = processed;
    collect();
  };
}
