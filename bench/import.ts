/**
 * `import`: Synthea-shaped data through the whole strict import (parse, ids, references, validation,
 * reference targets, write) into a fresh SQLite store, against writing the same finished documents (with
 * their index rows) straight into another fresh store in the same run, in the import's order and calls
 * (the baseline, write-replay.ts). Both run after a warm-up. Peak RSS is sampled during the import.
 * Data: `--data DIR` (e.g. ../shared/data/synthea), else bundles the built-in generator makes with a fixed seed;
 * `--ndjson-mb N` imports one generated NDJSON file of about N MB instead.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import path from 'node:path';
import { createImportContext } from '../src/import/import-context.js';
import { fullCollection } from '../src/import/heap-collector.js';
import { runImportOf } from '../src/import/run-import.js';
import { createLogger } from '../src/logger.js';
import { warmValidationWorker } from '../src/import/ahead/validation-ahead.js';
import { createSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { writePopulation } from '../src/generate/write-population.js';
import { benchDataDir } from './bench-data.js';
import { benchResult, secondsSince, type BenchResult } from './result.js';
import { recordWrites, replayWrites } from './write-replay.js';

function peakRss(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  return { stop: () => (clearInterval(timer), Math.max(peak, process.memoryUsage().rss)) };
}

/** `--ndjson-mb N`: one NDJSON file of about N MB instead (the bounded-memory check: 1 GB under 500 MB RSS). */
async function inputPaths(args: string[]): Promise<{ paths: string[]; temporary?: string }> {
  const i = args.indexOf('--ndjson-mb');
  if (i < 0) return { paths: [await benchDataDir(args)] };
  const temporary = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-bench-ndjson-'));
  const file = path.join(temporary, 'population.ndjson');
  const script = fileURLToPath(new URL('./ndjson-file.ts', import.meta.url));
  const lines = execFileSync(process.execPath, ['--import', 'tsx', script, file, String(Number(args[i + 1]))], { encoding: 'utf8' }).trim();
  process.stderr.write(`wrote ${lines} resources (${(fs.statSync(file).size / 1048576).toFixed(0)} MB) to ${file}\n`);
  return { paths: [file], temporary };
}

/**
 * Imports a small population of another seed into a throwaway store, so the measured import and the baseline
 * both run on warmed-up code. Before this the import ran cold and the baseline after it warm: the 17k
 * Synthea resources imported about 25% faster in a process that had imported 5k others first.
 * A long import spends a negligible share of its time warming up, like the validator compile above; the
 * 1 GB NDJSON run (minutes) therefore skips it, so its peak RSS is that of a fresh process, as a user's is.
 */
async function warmUp(work: string): Promise<void> {
  const start = process.hrtime.bigint();
  const dir = path.join(work, 'warm-up');
  await writePopulation({ count: 20, seed: 7, yearsOfHistory: 10 }, dir);
  const store = createSqliteStore({ path: path.join(work, 'warm-up.sqlite') });
  const summary = await runImportOf(createImportContext({ store, mode: 'strict', logger: createLogger('warn') }), { kind: 'paths', paths: [dir] });
  await store.close();
  // The warm-up's garbage would otherwise count in the import's peak RSS.
  fullCollection();
  process.stderr.write(`warmed up on ${summary.created} generated resources in ${secondsSince(start).toFixed(2)} s (not in the rate)\n`);
}

export async function benchImport(args: string[]): Promise<BenchResult[]> {
  const { paths, temporary } = await inputPaths(args);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-bench-import-'));
  // The R4 schema validators are compiled once per install (about 3 s) and loaded by later processes (about
  // 0.6 s, src/validation/schema-cache.ts); that start-up is reported on stderr and kept out of the
  // throughput, which is what a long import runs at.
  let start = process.hrtime.bigint();
  await warmValidationWorker(createLogger('warn'));
  process.stderr.write(`validators ready in ${secondsSince(start).toFixed(2)} s (once per process, not in the rate)\n`);
  if (!temporary) await warmUp(work);

  const importFile = path.join(work, 'import.sqlite');
  const store = createSqliteStore({ path: importFile });
  const stored = recordWrites(store);
  const ctx = createImportContext({ store, mode: 'strict', logger: createLogger('warn') });
  const rss = peakRss();
  start = process.hrtime.bigint();
  const summary = await runImportOf(ctx, { kind: 'paths', paths });
  const importSeconds = secondsSince(start);
  const peak = rss.stop();
  await store.close();
  if (summary.failed > 0) process.stderr.write(`import bench: ${summary.failed} entries failed, e.g. ${JSON.stringify(summary.failures[0]).slice(0, 300)}\n`);

  const baselineRate = await replayWrites(importFile, stored, path.join(work, 'baseline.sqlite'));
  fs.rmSync(work, { recursive: true, force: true });
  if (temporary) fs.rmSync(temporary, { recursive: true, force: true });
  const items = summary.created + summary.updated + summary.unchanged + summary.failed;
  return [benchResult('import', 'resources', items, importSeconds, 'store.write of the same finished documents, in the import\'s order and calls', baselineRate, peak)];
}
