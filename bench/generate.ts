/**
 * `generate [--count N]`: the built-in generator writing 500 patients in Massachusetts with 10 years of history
 * (issue 5: >= 100 patients/s in one process). The baseline is Synthea on the same count, state, seed and
 * history in the same run when it can run here (issue 18 asks the built-in engine for 10x its patients/s;
 * generate-synthea.ts), else serialising and writing the very same bundles (JSON.stringify + writeFile), the
 * floor any generator pays to put them on disk. Then the cohort rows (generate-cohort.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generatePopulation } from '../src/generate/population.js';
import { writePopulation } from '../src/generate/write-population.js';
import { benchGenerateCohort } from './generate-cohort.js';
import { syntheaBaseline } from './generate-synthea.js';
import { benchResult, secondsSince, type BenchResult } from './result.js';

const PATIENTS = 500;
const OPTIONS = { seed: 42, state: 'Massachusetts', yearsOfHistory: 10, referenceDate: '2025-01-01' };

export async function benchGenerate(args: string[] = []): Promise<BenchResult[]> {
  const c = args.indexOf('--count');
  const count = c >= 0 ? Number(args[c + 1]) : PATIENTS;
  if (!Number.isInteger(count) || count < 1) {
    process.stderr.write(`--count takes a number of patients, not ${JSON.stringify(args[c + 1] ?? '')}\n`);
    process.exit(2);
  }
  const options = { ...OPTIONS, count };
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-bench-generate-'));
  await writePopulation({ ...options, count: 20 }, path.join(out, 'warmup'));
  let start = process.hrtime.bigint();
  const summary = await writePopulation(options, path.join(out, 'run'));
  const seconds = secondsSince(start);
  // Taken before the baseline runs: reading Synthea's bundles back would count in this process's memory.
  const rss = process.memoryUsage().rss;
  const synthea = await syntheaBaseline(options, path.join(out, 'synthea'));
  let baseline: string;
  let base: { patients: number; resources: number };
  if (synthea) {
    baseline = `${synthea.synthea}: ${synthea.patients} patients, ${synthea.resources} resources in ${synthea.seconds.toFixed(1)} s (its ${synthea.startupSeconds.toFixed(1)} s JVM start and module loading not counted)`;
    base = { patients: synthea.patients / synthea.seconds, resources: synthea.resources / synthea.seconds };
  } else {
    const pop = generatePopulation(options);
    const bundles = [pop.hospitalInformation, pop.practitionerInformation, ...pop.patients];
    const baselineDir = path.join(out, 'baseline');
    fs.mkdirSync(baselineDir);
    start = process.hrtime.bigint();
    for (let i = 0; i < bundles.length; i++) await fs.promises.writeFile(path.join(baselineDir, `${i}.json`), JSON.stringify(bundles[i]));
    const baselineSeconds = secondsSince(start);
    baseline = 'JSON.stringify + writeFile of the same bundles';
    base = { patients: count / baselineSeconds, resources: summary.resources / baselineSeconds };
  }
  fs.rmSync(out, { recursive: true, force: true });
  return [
    benchResult('generate', 'patients', summary.patients, seconds, baseline, base.patients, rss),
    benchResult('generate', 'resources', summary.resources, seconds, baseline, base.resources, rss),
    ...(await benchGenerateCohort()),
  ];
}
