/**
 * `generate`: the built-in generator writing 500 patients with 10 years of history (issue 5: >= 100
 * patients/s in one process; Synthea reports ~17/s), against the baseline of serialising and writing the
 * very same bundles (JSON.stringify + writeFile), the floor any generator pays to put them on disk.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generatePopulation } from '../src/generate/population.js';
import { writePopulation } from '../src/generate/write-population.js';
import { benchResult, secondsSince, type BenchResult } from './result.js';

const PATIENTS = 500;
const OPTIONS = { count: PATIENTS, seed: 42, yearsOfHistory: 10, referenceDate: '2025-01-01' };

export async function benchGenerate(): Promise<BenchResult[]> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-bench-generate-'));
  await writePopulation({ ...OPTIONS, count: 20 }, path.join(out, 'warmup'));
  let start = process.hrtime.bigint();
  const summary = await writePopulation(OPTIONS, path.join(out, 'run'));
  const seconds = secondsSince(start);
  const pop = generatePopulation(OPTIONS);
  const bundles = [pop.hospitalInformation, pop.practitionerInformation, ...pop.patients];
  const baselineDir = path.join(out, 'baseline');
  fs.mkdirSync(baselineDir);
  start = process.hrtime.bigint();
  for (let i = 0; i < bundles.length; i++) await fs.promises.writeFile(path.join(baselineDir, `${i}.json`), JSON.stringify(bundles[i]));
  const baselineSeconds = secondsSince(start);
  fs.rmSync(out, { recursive: true, force: true });
  const baseline = 'JSON.stringify + writeFile of the same bundles';
  return [
    benchResult('generate', 'patients', summary.patients, seconds, baseline, PATIENTS / baselineSeconds),
    benchResult('generate', 'resources', summary.resources, seconds, baseline, summary.resources / baselineSeconds),
  ];
}
