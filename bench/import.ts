/**
 * `import`: Synthea-shaped data through the whole strict import (parse, ids, references, validation,
 * reference targets, write) into a fresh SQLite store, against writing the same finished documents (with
 * their index rows) straight into another fresh store in the same run, in the import's order and calls
 * (the baseline, write-replay.ts). Both run after a warm-up. Peak RSS is sampled during the import.
 * Data: `--data DIR` (e.g. ../shared/data/synthea), else bundles the built-in generator makes with a fixed seed;
 * `--ndjson-mb N` imports one generated NDJSON file of about N MB instead.
 * `--store mongo` runs the same import into MongoDB instead (mongo-import.ts).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import path from 'node:path';
import { createImportContext } from '../src/import/import-context.js';
import { runImportOf } from '../src/import/run-import.js';
import { createLogger } from '../src/logger.js';
import { createSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { benchDataDir } from './bench-data.js';
import { peakRss, readyValidators, warmUp } from './import-steps.js';
import { benchResult, secondsSince, type BenchResult } from './result.js';
import { recordWrites, replayWrites } from './write-replay.js';

/** `--ndjson-mb N`: one NDJSON file of about N MB instead (the bounded-memory check: 1 GB under 500 MB RSS). */
export async function inputPaths(args: string[]): Promise<{ paths: string[]; temporary?: string }> {
  const i = args.indexOf('--ndjson-mb');
  if (i < 0) return { paths: [await benchDataDir(args)] };
  const temporary = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-bench-ndjson-'));
  const file = path.join(temporary, 'population.ndjson');
  const script = fileURLToPath(new URL('./ndjson-file.ts', import.meta.url));
  const lines = execFileSync(process.execPath, ['--import', 'tsx', script, file, String(Number(args[i + 1]))], { encoding: 'utf8' }).trim();
  process.stderr.write(`wrote ${lines} resources (${(fs.statSync(file).size / 1048576).toFixed(0)} MB) to ${file}\n`);
  return { paths: [file], temporary };
}

/** `--store sqlite|mongo` (default sqlite); anything else is a usage error. */
function storeOf(args: string[]): 'sqlite' | 'mongo' {
  const i = args.indexOf('--store');
  const store = i < 0 ? 'sqlite' : args[i + 1];
  if (store === 'sqlite' || store === 'mongo') return store;
  process.stderr.write(`import bench: --store takes sqlite or mongo, not ${JSON.stringify(store ?? '')}\n`);
  process.exit(2);
}

export async function benchImport(args: string[]): Promise<BenchResult[]> {
  if (storeOf(args) === 'mongo') return (await import('./mongo-import.js')).benchMongoImport(args);
  const { paths, temporary } = await inputPaths(args);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-bench-import-'));
  await readyValidators();
  if (!temporary) await warmUp(work, createSqliteStore({ path: path.join(work, 'warm-up.sqlite') }));

  const importFile = path.join(work, 'import.sqlite');
  const store = createSqliteStore({ path: importFile });
  const stored = recordWrites(store);
  const ctx = createImportContext({ store, mode: 'strict', logger: createLogger('warn') });
  const rss = peakRss();
  const start = process.hrtime.bigint();
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
