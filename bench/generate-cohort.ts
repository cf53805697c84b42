/**
 * Cohorts in `npm run bench -- generate` (issue 18 asks at least 50 patients/s for the example, and as much
 * for a condition under 1% prevalence): the example cohort (200 patients over 60 in Ohio with type 2
 * diabetes and 3+ inpatient admissions in the last 5 years) and a rare one (a stroke in the last 2 years at
 * 30 to 50), each written to disk like the plain run, against the plain generator writing the same count,
 * state and ages. The baseline names how often the plain population meets the rare cohort's condition: what
 * keeping only matching patients, as Synthea's keep-modules does, would divide the rate by.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveOptions } from '../src/generate/options.js';
import { generatePatient } from '../src/generate/patient-record.js';
import { buildNetwork } from '../src/generate/providers.js';
import { writePopulation, type GenerateSummary } from '../src/generate/write-population.js';
import { benchResult, secondsSince, type BenchResult } from './result.js';

const PATIENTS = 200;
const RUN = { seed: 42, referenceDate: '2025-01-01' };
const EXAMPLE = { count: PATIENTS, age: { min: 60 }, state: 'Ohio', conditions: [{ code: '44054006' }], encounters: [{ class: 'inpatient', atLeast: 3, within: { lastYears: 5 } }] };
const STROKE = '230690007';
const RARE = { count: PATIENTS, age: { min: 30, max: 50 }, state: 'Ohio', conditions: [{ code: STROKE, onset: { after: '2023-01-01' } }] };

async function timed(dir: string, input: Parameters<typeof writePopulation>[0]): Promise<{ summary: GenerateSummary; seconds: number }> {
  const start = process.hrtime.bigint();
  const summary = await writePopulation(input, dir);
  return { summary, seconds: secondsSince(start) };
}

/** Share of a plain population of the rare cohort's ages with a stroke since 2023: its natural prevalence. */
function strokePrevalence(count: number): number {
  const options = resolveOptions({ ...RUN, count, state: 'Ohio', minAge: 30, maxAge: 50 });
  const network = buildNetwork(options);
  const since = Date.parse('2023-01-01');
  let hits = 0;
  for (let i = 0; i < count; i++) if (generatePatient(options, network, i).life.diagnoses.some((d) => d.variant.condition.code === STROKE && d.onset >= since)) hits++;
  return hits / count;
}

export async function benchGenerateCohort(): Promise<BenchResult[]> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-bench-cohort-'));
  await writePopulation({ ...RUN, cohort: { ...EXAMPLE, count: 20 } }, path.join(out, 'warmup'));
  const example = await timed(path.join(out, 'example'), { ...RUN, cohort: EXAMPLE });
  const plainOld = await timed(path.join(out, 'plain-60'), { ...RUN, count: PATIENTS, state: 'Ohio', minAge: 60 });
  const rare = await timed(path.join(out, 'rare'), { ...RUN, cohort: RARE });
  const plainYoung = await timed(path.join(out, 'plain-30-50'), { ...RUN, count: PATIENTS, state: 'Ohio', minAge: 30, maxAge: 50 });
  fs.rmSync(out, { recursive: true, force: true });
  const prevalence = (100 * strokePrevalence(4000)).toFixed(2);
  return [
    benchResult('generate-cohort', 'patients', example.summary.patients, example.seconds, 'plain generation of the same count, state and ages (60+)', PATIENTS / plainOld.seconds),
    benchResult('generate-cohort-rare', 'patients', rare.summary.patients, rare.seconds, `plain generation of the same count, state and ages (30-50), of whom ${prevalence}% have a stroke since 2023`, PATIENTS / plainYoung.seconds),
  ];
}
