/**
 * `match`: a whole-store dedupe (src/maintenance/dedupe-patients.ts: deterministic first pass, blocking,
 * comparisons, EM, scoring, and the merges) of a fresh embedded store, in patients/s, against the
 * deterministic first pass alone on the same store (reading every patient and pairing them by identifier
 * and demographic keys: what dedupe did before it matched probabilistically). Issue #19 asks that 100,000
 * patients take under 60 s.
 * Data: `--count N` people (default 100,000) built by bench/match-patients.ts with 10% duplicates and twins,
 * or `--data DIR`, the Patients of a folder `generate` wrote.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Bundle, Patient } from 'fhir/r4.js';
import { deterministicPairs, mergedAway, ruleKeys } from '../src/maintenance/duplicate-patients.js';
import { dedupePatients } from '../src/maintenance/dedupe-patients.js';
import { SQLITE_FILE } from '../src/store/open-store.js';
import type { ResourceStore } from '../src/store/resource-store.js';
import { createSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { peakRss } from './import-steps.js';
import { benchPatients } from './match-patients.js';
import { benchResult, secondsSince, type BenchResult } from './result.js';

const BATCH = 1000;

function* folderPatients(dir: string): Generator<Patient & { id: string }> {
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const bundle = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Bundle;
    for (const e of bundle.entry ?? []) if (e.resource?.resourceType === 'Patient') yield e.resource as Patient & { id: string };
  }
}

async function load(store: ResourceStore, patients: Iterable<Patient & { id: string }>): Promise<number> {
  let batch: (Patient & { id: string })[] = [];
  let n = 0;
  const flush = async () => {
    await store.write(batch.map((resource) => ({ op: 'put' as const, resource })));
    n += batch.length;
    batch = [];
  };
  for (const p of patients) {
    batch.push(p);
    if (batch.length === BATCH) await flush();
  }
  await flush();
  return n;
}

/** The deterministic first pass alone: every live patient read and paired by key. */
async function firstPass(store: ResourceStore): Promise<number> {
  const keys: string[][] = [];
  for await (const r of store.stream('Patient')) if (!mergedAway(r as Patient)) keys.push(ruleKeys(r as Patient));
  return deterministicPairs(keys).length;
}

export async function benchMatch(args: string[]): Promise<BenchResult[]> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-bench-match-'));
  const store = createSqliteStore({ path: path.join(work, SQLITE_FILE) });
  try {
    const at = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
    const dir = at('--data');
    const count = Number(at('--count') ?? 100_000);
    if (!dir && (!Number.isInteger(count) || count < 2)) throw new Error(`--count takes a number of people, not ${at('--count')}`);
    const patients = await load(store, dir ? folderPatients(path.resolve(dir)) : benchPatients(count, 0.1));
    process.stderr.write(`${patients} patients stored\n`);

    let start = process.hrtime.bigint();
    const rulePairs = await firstPass(store);
    const baselineRate = patients / secondsSince(start);

    globalThis.gc?.();
    const rss = peakRss();
    start = process.hrtime.bigint();
    const result = await dedupePatients(store);
    const seconds = secondsSince(start);
    const peak = rss.stop();
    process.stderr.write(
      `${result.merges.length} merges, ${result.review.length} pairs for review, ${result.contradicted.length} rule pairs contradicted (${rulePairs} rule pairs); ` +
        `${result.matching.candidatePairs} candidate pairs, EM ${result.matching.emIterations} iterations\n`,
    );
    return [benchResult('match', 'patients', patients, seconds, 'deterministic first pass (identifier and demographic keys)', baselineRate, peak)];
  } finally {
    await store.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}
