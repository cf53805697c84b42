/**
 * Write throughput of the SQLite store over real Synthea data (not part of `npm run bench`):
 * `put` ops in batches, non-atomic and atomic, each on a fresh database file in a temp dir; then the
 * unchanged re-put path, and `Observation?subject=Patient/x&code=system|code` searches on the result.
 * Context rows: computeIndex alone, and writes without index rows (the raw-write ceiling).
 * Run: node --import tsx bench/sqlite-write.ts [--copies 3] [--batch 1000] [--rounds 2]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Observation } from 'fhir/r4.js';
import { computeIndex } from '../src/search/index-resource.js';
import { parseSearchQuery } from '../src/search/parse-query.js';
import type { IndexEntries } from '../src/search/types.js';
import { createSqliteStore, type SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { secondsSince } from './result.js';
import { syntheaFiles, syntheaOps, type PutOp } from './synthea-ops.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const COPIES = arg('copies', 3);
const BATCH = arg('batch', 1000);
const ROUNDS = arg('rounds', 2);
const SEARCH_SECONDS = 2;

const texts = syntheaFiles().map((f) => fs.readFileSync(f, 'utf8'));
const ops: PutOp[] = [];
for (let copy = 0; copy < COPIES; copy++) ops.push(...syntheaOps(texts, copy));
const print = (line: Record<string, unknown>) => console.log(JSON.stringify(line));

const empty = (): IndexEntries => ({ tokens: [], strings: [], dates: [], references: [], numbers: [], uris: [], links: [] });

function indexOnly(): void {
  let rows = 0;
  const start = process.hrtime.bigint();
  for (const op of ops) {
    const e = computeIndex(op.resource);
    rows += e.tokens.length + e.strings.length + e.dates.length + e.references.length + e.numbers.length + e.uris.length + e.links.length;
  }
  const seconds = secondsSince(start);
  print({ bench: 'computeIndex', resources: ops.length, rate: Math.round(ops.length / seconds), rows_per_resource: +(rows / ops.length).toFixed(1) });
}

function dirSize(dir: string): number {
  return fs.readdirSync(dir).reduce((sum, name) => sum + fs.statSync(path.join(dir, name)).size, 0);
}

/** Writes every op in batches into a fresh store; returns the open store and its directory. */
async function writeAll(label: string, atomic: boolean, indexed: boolean): Promise<{ store: SqliteStore; dir: string; rate: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-bench-sqlite-'));
  const store = createSqliteStore({ path: path.join(dir, 'bench.sqlite'), computeIndex: indexed ? computeIndex : empty });
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < ops.length; i += BATCH) {
    const results = await store.write(ops.slice(i, i + BATCH), { atomic });
    const failed = results.find((r) => r.status === 'failed');
    if (failed) throw new Error(`op ${i + failed.index} failed: ${JSON.stringify(failed.error)}`);
  }
  const seconds = secondsSince(start);
  const used = process.cpuUsage(cpu);
  const rate = Math.round(ops.length / seconds);
  // On a shared machine wall time swings with other load; CPU time (user + system) is the steadier figure.
  const cpuRate = Math.round(ops.length / ((used.user + used.system) / 1e6));
  print({ bench: 'sqlite-write', mode: label, resources: ops.length, batch: BATCH, seconds: +seconds.toFixed(3), rate, cpu_rate: cpuRate });
  return { store, dir, rate };
}

async function rePut(store: SqliteStore): Promise<void> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < ops.length; i += BATCH) await store.write(ops.slice(i, i + BATCH));
  const seconds = secondsSince(start);
  print({ bench: 'sqlite-write', mode: 're-put unchanged', resources: ops.length, rate: Math.round(ops.length / seconds) });
}

/** `subject=Patient/x&code=system|code` for Observations that exist, in a fixed shuffled order. */
async function search(store: SqliteStore): Promise<void> {
  const queries = ops
    .map((op) => op.resource as Observation)
    .filter((r) => r.resourceType === 'Observation' && r.subject?.reference?.startsWith('Patient/') && r.code.coding?.[0]?.code)
    .map((r, i) => ({ i: (i * 7919) % 104729, params: new URLSearchParams({ subject: r.subject!.reference!, code: `${r.code.coding![0].system}|${r.code.coding![0].code}` }) }))
    .sort((a, b) => a.i - b.i)
    .map((q) => parseSearchQuery('Observation', q.params, { strict: true }).query);
  let n = 0;
  let found = 0;
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  while (secondsSince(start) < SEARCH_SECONDS) {
    const result = await store.search(queries[n % queries.length]);
    found += result.resources.length;
    n++;
  }
  const seconds = secondsSince(start);
  const used = process.cpuUsage(cpu);
  print({ bench: 'sqlite-search', query: 'Observation?subject=Patient/x&code=system|code', searches: n, rate: Math.round(n / seconds), cpu_rate: Math.round(n / ((used.user + used.system) / 1e6)), avg_results: +(found / n).toFixed(1) });
}

async function finish(run: { store: SqliteStore; dir: string }, extra: (store: SqliteStore) => Promise<void> = async () => {}): Promise<void> {
  await extra(run.store);
  await run.store.close();
  print({ bench: 'sqlite-size', mb: +(dirSize(run.dir) / 1024 / 1024).toFixed(1), bytes_per_resource: Math.round(dirSize(run.dir) / ops.length) });
  fs.rmSync(run.dir, { recursive: true, force: true });
}

indexOnly();
for (let round = 0; round < ROUNDS; round++) {
  await finish(await writeAll('raw (no index rows), non-atomic', false, false));
  await finish(await writeAll('indexed, non-atomic', false, true));
  await finish(await writeAll('indexed, atomic', true, true), round === ROUNDS - 1 ? async (s) => { await rePut(s); await search(s); } : undefined);
}
