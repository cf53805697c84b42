/**
 * The steps every `import` bench shares, whatever the store: the validators' start-up, a warm-up import, and
 * the peak RSS sampled during the measured import. Kept apart so the SQLite and MongoDB variants measure the
 * same way.
 */
import path from 'node:path';
import { warmValidationWorker } from '../src/import/ahead/validation-ahead.js';
import { fullCollection } from '../src/import/heap-collector.js';
import { createImportContext } from '../src/import/import-context.js';
import { runImportOf } from '../src/import/run-import.js';
import { createLogger } from '../src/logger.js';
import type { ResourceStore } from '../src/store/resource-store.js';
import { writePopulation } from '../src/generate/write-population.js';
import { secondsSince } from './result.js';

export function peakRss(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  return { stop: () => (clearInterval(timer), Math.max(peak, process.memoryUsage().rss)) };
}

/**
 * The R4 schema validators are compiled once per install (about 3 s) and loaded by later processes (about
 * 0.6 s, src/validation/schema-cache.ts); that start-up is reported on stderr and kept out of the
 * throughput, which is what a long import runs at.
 */
export async function readyValidators(): Promise<void> {
  const start = process.hrtime.bigint();
  await warmValidationWorker(createLogger('warn'));
  process.stderr.write(`validators ready in ${secondsSince(start).toFixed(2)} s (once per process, not in the rate)\n`);
}

/**
 * Imports a small population (`patients`, of another seed) into `store` (a throwaway one, closed here), so the
 * measured import and the baseline both run on warmed-up code. Before this the import ran cold and the baseline after
 * it warm: the 17k Synthea resources imported about 25% faster in a process that had imported 5k others first.
 * A long import spends a negligible share of its time warming up, like the validator compile above; the
 * 1 GB NDJSON run (minutes) therefore skips it, so its peak RSS is that of a fresh process, as a user's is.
 */
export async function warmUp(work: string, store: ResourceStore, patients = 20): Promise<void> {
  const start = process.hrtime.bigint();
  const dir = path.join(work, 'warm-up');
  await writePopulation({ count: patients, seed: 7, yearsOfHistory: 10 }, dir);
  const summary = await runImportOf(createImportContext({ store, mode: 'strict', logger: createLogger('warn') }), { kind: 'paths', paths: [dir] });
  await store.close();
  // The warm-up's garbage would otherwise count in the import's peak RSS.
  fullCollection();
  process.stderr.write(`warmed up on ${summary.created} generated resources in ${secondsSince(start).toFixed(2)} s (not in the rate)\n`);
}
