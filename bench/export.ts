/**
 * `export`: a system-level Bulk Data export (runExport) of a fresh embedded store into a temporary folder, in
 * resources/s, against streaming every current resource of the same store (store.stream, type by type: the
 * read an export cannot do without). The import runs as `medgen-data import` and each export in a process of
 * its own (export-once.ts), so the peak RSS reported is the export's alone (issue #17 asks at least
 * 50,000 resources/s, and under 300 MB of RSS on a 1 GB NDJSON population). `export-deidentified` is the same
 * export through the `shifted` profile (`_deidentify`; the issue asks at least 10,000 resources/s), against the
 * plain export of the same store.
 * Data: `--data DIR` imported first (e.g. ../shared/data/synthea), `--ndjson-mb N` one generated NDJSON file
 * of about N MB, else the fixed-seed built-in population.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SQLITE_FILE } from '../src/store/open-store.js';
import type { ResourceStore } from '../src/store/resource-store.js';
import { createSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { inputPaths } from './import.js';
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
  // The import runs in a process of its own (the CLI's), so the peak RSS measured here is that of a process
  // which only exports, as `medgen-data export` is: importing in this process left a 400 MB heap behind.
  const imported = spawnSync(process.execPath, [path.resolve('bin/medgen-data.js'), 'import', ...input.paths, '--mode', 'none', '--data-dir', work, '--json'], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    env: { ...process.env, LOG_LEVEL: 'warn' },
  });
  if (imported.status !== 0) throw new Error(`the import failed: ${imported.stderr.slice(-2000)}`);
  // Without --data or --ndjson-mb the built-in population was written to a temporary folder of its own.
  const generated = !args.includes('--data') && !input.temporary ? input.paths[0] : undefined;
  for (const dir of [input.temporary, generated]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  const counts = JSON.parse(imported.stdout) as { created: number; updated: number; unchanged: number; failed: number };
  process.stderr.write(`imported ${counts.created + counts.updated + counts.unchanged} resources (${counts.failed} failed)\n`);
  const store = createSqliteStore({ path: file });

  const exportOnce = (name: string, profile?: string) => {
    const out = path.join(work, name);
    fs.mkdirSync(out);
    const child = spawnSync(process.execPath, ['--import', 'tsx', path.resolve('bench/export-once.ts'), file, out, ...(profile ? [profile] : [])], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`${name} failed: ${child.stderr.slice(-2000)}`);
    fs.rmSync(out, { recursive: true, force: true });
    return JSON.parse(child.stdout) as { items: number; seconds: number; rssBytes: number };
  };
  const plain = exportOnce('export');
  const start = process.hrtime.bigint();
  const streamed = await streamAll(store);
  const baselineRate = streamed / secondsSince(start);
  if (plain.items !== streamed) throw new Error(`the export wrote ${plain.items} resources, the store streamed ${streamed}`);
  const deidentified = exportOnce('export-deidentified', 'shifted');
  if (deidentified.items !== streamed) throw new Error(`the de-identified export wrote ${deidentified.items} resources, the store streamed ${streamed}`);
  await store.close();
  fs.rmSync(work, { recursive: true, force: true });
  return [
    benchResult('export', 'resources', plain.items, plain.seconds, 'store.stream of every current resource of the same store', baselineRate, plain.rssBytes),
    benchResult('export-deidentified', 'resources', deidentified.items, deidentified.seconds, 'the plain export of the same store (_deidentify=shifted against none)', plain.items / plain.seconds, deidentified.rssBytes),
  ];
}
