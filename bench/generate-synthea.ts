/**
 * Synthea as the `generate` bench's baseline (issue 18), when it can run here (`medgen-data setup --synthea`,
 * SYNTHEA_HOME or SYNTHEA_JAR): the same count, state, seed, years of history and reference date, in the same
 * run. Its time counts from the log line it prints once the JVM is up and every module loaded ("Running with
 * options:") to its exit, so that, like the built-in engine after its warm-up, it pays no start-up; the
 * start-up is reported beside. Resources are counted in its bundles afterwards, outside the timing.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Bundle } from 'fhir/r4.js';
import type { GenerateOptions } from '../src/generate/options.js';
import { syntheaEnvironment } from '../src/generate/synthea-environment.js';
import { runSynthea } from '../src/generate/synthea-runner.js';

export interface SyntheaBaseline {
  /** What ran, e.g. `Synthea 3.3.0 in /…/.cache/synthea (145 jars)`. */
  synthea: string;
  patients: number;
  resources: number;
  seconds: number;
  startupSeconds: number;
}

/** Runs Synthea into `outDir` and measures it, or says on stderr why it cannot and returns undefined. */
export async function syntheaBaseline(options: GenerateOptions, outDir: string): Promise<SyntheaBaseline | undefined> {
  const env = syntheaEnvironment();
  if (!env.available) {
    const missing = [env.java, env.synthea].filter((c) => !c.ok).map((c) => c.detail);
    process.stderr.write(`generate bench: Synthea cannot run here, so the baseline is writing the same bundles (${missing.join('; ')})\n`);
    return undefined;
  }
  const started = process.hrtime.bigint();
  let running: bigint | undefined;
  const result = await runSynthea(options, outDir, { onLog: (line) => (running ??= line.startsWith('Running with options:') ? process.hrtime.bigint() : undefined) });
  const ended = process.hrtime.bigint();
  running ??= started;
  let patients = 0;
  let resources = 0;
  for (const f of result.files) {
    const bundle = JSON.parse(fs.readFileSync(path.join(result.fhirDir, f), 'utf8')) as Bundle;
    resources += bundle.entry?.length ?? 0;
    if (!/^(hospital|practitioner)Information/.test(f)) patients++;
  }
  return { synthea: env.synthea.detail, patients, resources, seconds: Number(ended - running) / 1e9, startupSeconds: Number(running - started) / 1e9 };
}
