/**
 * `medgen-data generate`: the built-in generator to files (SPEC "CLI"). Flags follow the `$generate`
 * parameter names; a bad one exits 2 with the same message the server would put in its OperationOutcome.
 * The reference date defaults to today; the seed to a fixed value, so a run can always be repeated.
 * `--engine synthea` runs Synthea instead (what `setup --synthea` fetched, or SYNTHEA_JAR), streams its log
 * to stderr, and writes its FHIR folder under `--out`; when Java or Synthea is missing or Synthea fails it exits
 * 1 saying why.
 * `--duplicates RATE` adds corrupted second records and twins, and their ground truth in `duplicates.csv`.
 * `--cohort FILE` or `--with-condition CODE` generate a cohort, every patient meeting every requirement.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { OperationOutcomeError } from '../fhir/outcomes.js';
import { DEFAULT_SYNTHEA_TIMEOUT_MS, runSynthea } from '../generate/synthea-runner.js';
import { OUTPUT_FORMATS, type OutputFormat } from '../generate/write-output.js';
import { writePopulation } from '../generate/write-population.js';
import { addCohortOptions, refuseCohort, withCohort } from './generate-cohort.js';
import { addGenerateOptions, exitOnBadParameter, generateInputFrom } from './generate-options.js';
import { CliFailure } from './cli-failure.js';

/** `<dataDir>/generated/<timestamp>`: one directory per run, sortable by time. */
export function defaultOutDir(dataDir: string, now = new Date()): string {
  return path.join(dataDir, 'generated', now.toISOString().replace(/[:.]/g, '-'));
}

export function registerGenerate(program: Command): void {
  addCohortOptions(addGenerateOptions(program.command('generate').description("generate synthetic patients (FHIR R4 transaction bundles in Synthea's layout, or NDJSON)"), '1'))
    .option('--out <dir>', 'output directory (default: <MEDGEN_DATA_DIR>/generated/<timestamp>)')
    .option('--format <format>', 'bundle | ndjson', 'bundle')
    .option('--data-dir <dir>', 'data directory (MEDGEN_DATA_DIR)')
    .option('--json', 'print the summary as one JSON document')
    .option('--engine <engine>', 'builtin | synthea (needs Java and Synthea: `medgen-data setup --synthea`)', 'builtin')
    .option('--timeout <seconds>', 'synthea engine: stop Synthea after this long', String(DEFAULT_SYNTHEA_TIMEOUT_MS / 1000))
    .option('--duplicates <rate>', 'share (0..1) of patients who also get a corrupted duplicate record; adds twins and writes duplicates.csv, the ground truth')
    .action(async (o: Record<string, string | boolean | undefined>, command: Command) => {
      const format = o.format as OutputFormat;
      if (!OUTPUT_FORMATS.includes(format)) program.error(`--format must be one of ${OUTPUT_FORMATS.join(', ')}, got "${o.format}"`, { exitCode: 2 });
      if (o.engine !== 'builtin' && o.engine !== 'synthea') program.error(`--engine must be builtin or synthea, got "${o.engine}"`, { exitCode: 2 });
      const outDir = path.resolve((o.out as string | undefined) ?? defaultOutDir(loadConfig(process.env, { dataDir: o.dataDir as string | undefined }).dataDir));
      if (o.engine === 'synthea' && o.duplicates !== undefined) program.error('generate: --duplicates works with the built-in engine only', { exitCode: 2 });
      const input = withCohort(command, o, generateInputFrom(o));
      if (o.engine === 'synthea') return generateWithSynthea(program, o, outDir);
      const summary = await writePopulation(input, outDir, format).catch((err) => {
        refuseCohort(o, err);
        return exitOnBadParameter(program, 'generate', err);
      });
      if (o.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
      else {
        process.stdout.write(`generated ${summary.patients} patients (${summary.deaths} deceased), ${summary.resources} resources, seed ${summary.seed}, reference date ${summary.referenceDate}\n`);
        if (summary.groundTruth) process.stdout.write(`added ${summary.duplicates} duplicate records and ${summary.twins} twins, listed in ${summary.groundTruth}\n`);
        process.stdout.write(`wrote ${summary.files.length} files to ${summary.outDir}\n`);
      }
    });
}

async function generateWithSynthea(program: Command, o: Record<string, string | boolean | undefined>, outDir: string): Promise<void> {
  if (o.format !== 'bundle') program.error('--engine synthea writes bundles only (--format bundle)', { exitCode: 2 });
  const seconds = Number(o.timeout);
  if (!(seconds > 0)) program.error(`--timeout must be a positive number of seconds, got "${o.timeout}"`, { exitCode: 2 });
  const result = await runSynthea(generateInputFrom(o), outDir, { timeoutMs: seconds * 1000, onLog: (line) => process.stderr.write(`synthea: ${line}\n`) }).catch((err) => {
    if (err instanceof OperationOutcomeError && err.status !== 400) throw new CliFailure(`medgen-data generate: ${err.message}`, 1);
    return exitOnBadParameter(program, 'generate', err);
  });
  if (o.json) process.stdout.write(`${JSON.stringify({ engine: 'synthea', outDir: result.fhirDir, files: result.files, seconds: result.seconds, args: result.args })}\n`);
  else process.stdout.write(`synthea wrote ${result.files.length} files to ${result.fhirDir} in ${result.seconds.toFixed(1)} s\n`);
}
