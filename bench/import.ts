/**
 * `import`: Synthea-shaped data through the whole strict import (parse, ids, references, validation,
 * reference targets, write) into a fresh SQLite store, against writing the same finished documents (with
 * their index rows) straight into another fresh store in the same run (the baseline). Peak RSS is sampled.
 * Data: `--data DIR` (e.g. ../shared/data/synthea), else bundles the built-in generator makes with a fixed seed;
 * `--ndjson-mb N` imports one generated NDJSON file of about N MB instead.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import path from 'node:path';
import type { Resource } from 'fhir/r4.js';
import { createImportContext } from '../src/import/import-context.js';
import { runImportOf } from '../src/import/run-import.js';
import { createLogger } from '../src/logger.js';
import { warmValidationWorker } from '../src/import/ahead/validation-ahead.js';
import { createSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { WriteOp } from '../src/store/resource-store.js';
import { benchDataDir } from './bench-data.js';
import { benchResult, secondsSince, type BenchResult } from './result.js';

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

export async function benchImport(args: string[]): Promise<BenchResult[]> {
  const { paths, temporary } = await inputPaths(args);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-bench-import-'));
  const store = createSqliteStore({ path: path.join(work, 'import.sqlite') });
  const ctx = createImportContext({ store, mode: 'strict', logger: createLogger('warn') });
  // ajv compiles the whole R4 schema once per process (about 2.5 s here); that start-up cost is reported on
  // stderr and kept out of the throughput, which is what a long import runs at.
  let start = process.hrtime.bigint();
  await warmValidationWorker(createLogger('warn'));
  process.stderr.write(`validator compiled in ${secondsSince(start).toFixed(2)} s (once per process, not in the rate)\n`);
  const rss = peakRss();
  start = process.hrtime.bigint();
  const summary = await runImportOf(ctx, { kind: 'paths', paths });
  const importSeconds = secondsSince(start);
  const peak = rss.stop();
  if (summary.failed > 0) process.stderr.write(`import bench: ${summary.failed} entries failed, e.g. ${JSON.stringify(summary.failures[0]).slice(0, 300)}\n`);

  // The baseline writes exactly what the import stored, in the same batch size, with no import work; the
  // documents are streamed out of the import's store batch by batch and only the writes are timed.
  const baseline = createSqliteStore({ path: path.join(work, 'baseline.sqlite') });
  let written = 0;
  let writeSeconds = 0;
  const flush = async (batch: WriteOp[]) => {
    const t = process.hrtime.bigint();
    await baseline.write(batch);
    writeSeconds += secondsSince(t);
    written += batch.length;
  };
  for (const type of Object.keys(await store.countByType())) {
    const batch: WriteOp[] = [];
    for await (const r of store.stream(type)) {
      batch.push({ op: 'put', resource: r as Resource & { id: string } });
      if (batch.length === 1000) await flush(batch.splice(0));
    }
    if (batch.length > 0) await flush(batch);
  }
  await store.close();
  const baselineRate = written / writeSeconds;
  await baseline.close();
  fs.rmSync(work, { recursive: true, force: true });
  if (temporary) fs.rmSync(temporary, { recursive: true, force: true });
  const items = summary.created + summary.updated + summary.unchanged + summary.failed;
  return [benchResult('import', 'resources', items, importSeconds, 'store.write of the same finished documents', baselineRate, peak)];
}
