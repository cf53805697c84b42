/**
 * `export`: a system-level Bulk Data export (runExport) of a fresh embedded store into a temporary folder, in
 * resources/s, against streaming every current resource of the same store (store.stream, type by type: the
 * read an export cannot do without). Peak RSS is sampled during the export alone (issue #17 asks at least
 * 50,000 resources/s, and under 300 MB of RSS on a 1 GB NDJSON population). `export-deidentified` is the same
 * export through the `shifted` profile (`_deidentify`; the issue asks at least 10,000 resources/s), against the
 * plain export of the same store.
 * Data: `--data DIR` imported first (e.g. ../shared/data/synthea), `--ndjson-mb N` one generated NDJSON file
 * of about N MB, else the fixed-seed built-in population.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ExportRequest } from '../src/export/export-request.js';
import { runExport } from '../src/export/run-export.js';
import { importFiles } from '../src/import/import-files.js';
import { createLogger } from '../src/logger.js';
import { SQLITE_FILE } from '../src/store/open-store.js';
import type { ResourceStore } from '../src/store/resource-store.js';
import { createSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { inputPaths } from './import.js';
import { peakRss } from './import-steps.js';
import { benchResult, secondsSince, type BenchResult } from './result.js';

async function streamAll(store: ResourceStore): Promise<number> {
  let n = 0;
  for (const type of Object.keys(await store.countByType())) for await (const _ of store.stream(type)) n++;
  return n;
}

export async function benchExport(args: string[]): Promise<BenchResult[]> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-bench-export-'));
  const file = path.join(work, SQLITE_FILE);
  const input = await inputPaths(args);
  let store = createSqliteStore({ path: file });
  const imported = await importFiles(store, input.paths, { mode: 'none', logger: createLogger('warn') });
  // Without --data or --ndjson-mb the built-in population was written to a temporary folder of its own.
  const generated = !args.includes('--data') && !input.temporary ? input.paths[0] : undefined;
  for (const dir of [input.temporary, generated]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  process.stderr.write(`imported ${imported.created + imported.updated + imported.unchanged} resources (${imported.failed} failed)\n`);
  // A store opened afresh, and the import's garbage collected when --expose-gc allows: the export's RSS is
  // then that of a process which exports, not one which has just imported.
  await store.close();
  globalThis.gc?.();
  store = createSqliteStore({ path: file });

  const start = process.hrtime.bigint();
  const streamed = await streamAll(store);
  const baselineRate = streamed / secondsSince(start);

  const exportOnce = async (name: string, request: ExportRequest) => {
    const out = path.join(work, name);
    fs.mkdirSync(out);
    globalThis.gc?.();
    process.stderr.write(`RSS before ${name}: ${(process.memoryUsage().rss / 1048576).toFixed(0)} MB\n`);
    const rss = peakRss();
    const begun = process.hrtime.bigint();
    const result = await runExport({ store, request, dir: out, deidKey: 'bench-key' });
    const seconds = secondsSince(begun);
    const peak = rss.stop();
    fs.rmSync(out, { recursive: true, force: true });
    const items = result.output.reduce((n, f) => n + f.count, 0);
    if (items !== streamed) throw new Error(`${name} wrote ${items} resources, the store streamed ${streamed}`);
    return { items, seconds, peak };
  };
  const plain = await exportOnce('export', { level: 'system' });
  const deidentified = await exportOnce('export-deidentified', { level: 'system', deidentify: 'shifted' });
  await store.close();
  fs.rmSync(work, { recursive: true, force: true });
  return [
    benchResult('export', 'resources', plain.items, plain.seconds, 'store.stream of every current resource of the same store', baselineRate, plain.peak),
    benchResult('export-deidentified', 'resources', deidentified.items, deidentified.seconds, 'the plain export of the same store (_deidentify=shifted against none)', plain.items / plain.seconds, deidentified.peak),
  ];
}
