/**
 * `medgen-data generate`: the built-in generator to files (SPEC "CLI"). Flags follow the `$generate`
 * parameter names; a bad one exits 2 with the same message the server would put in its OperationOutcome.
 * The reference date defaults to today; the seed to a fixed value, so a run can always be repeated.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { OperationOutcomeError } from '../fhir/outcomes.js';
import { date } from '../generate/clock.js';
import { OUTPUT_FORMATS, type OutputFormat } from '../generate/write-output.js';
import { writePopulation } from '../generate/write-population.js';

/** `<dataDir>/generated/<timestamp>`: one directory per run, sortable by time. */
export function defaultOutDir(dataDir: string, now = new Date()): string {
  return path.join(dataDir, 'generated', now.toISOString().replace(/[:.]/g, '-'));
}

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('generate synthetic patients (FHIR R4 transaction bundles in Synthea\'s layout, or NDJSON)')
    .option('--count <n>', 'patients to generate (1..100000)', '1')
    .option('--seed <n>', 'population seed (same seed and flags, same files)')
    .option('--state <state>', 'US state name or postal code', 'Massachusetts')
    .option('--city <city>', 'a city of that state')
    .option('--gender <gender>', 'male | female')
    .option('--min-age <years>', 'youngest age')
    .option('--max-age <years>', 'oldest age')
    .option('--profile <name>', 'default | chronic_disease | pediatric | emergency', 'default')
    .option('--years <n>', 'years of history before the reference date; 0 = whole life', '10')
    .option('--modules <ids>', 'comma-separated disease modules to run (default: all)')
    .option('--reference-date <date>', 'the simulation\'s "today", YYYY-MM-DD (default: today)')
    .option('--out <dir>', 'output directory (default: <MEDGEN_DATA_DIR>/generated/<timestamp>)')
    .option('--format <format>', 'bundle | ndjson', 'bundle')
    .option('--data-dir <dir>', 'data directory (MEDGEN_DATA_DIR)')
    .option('--json', 'print the summary as one JSON document')
    .action(async (o: Record<string, string | boolean | undefined>) => {
      const format = o.format as OutputFormat;
      if (!OUTPUT_FORMATS.includes(format)) program.error(`--format must be one of ${OUTPUT_FORMATS.join(', ')}, got "${o.format}"`, { exitCode: 2 });
      const outDir = path.resolve((o.out as string | undefined) ?? defaultOutDir(loadConfig(process.env, { dataDir: o.dataDir as string | undefined }).dataDir));
      const input = {
        count: o.count as string,
        seed: o.seed as string | undefined,
        state: o.state as string,
        city: o.city as string | undefined,
        gender: o.gender as string | undefined,
        minAge: o.minAge as string | undefined,
        maxAge: o.maxAge as string | undefined,
        profile: o.profile as string,
        yearsOfHistory: o.years as string,
        modules: o.modules as string | undefined,
        referenceDate: (o.referenceDate as string | undefined) ?? date(Date.now()),
      };
      let summary;
      try {
        summary = await writePopulation(input, outDir, format);
      } catch (err) {
        if (err instanceof OperationOutcomeError && err.status === 400) {
          const flag = String(err.outcome.issue[0]?.expression?.[0] ?? '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
          return program.error(`generate: ${err.message}${flag ? ` (--${flag === 'years-of-history' ? 'years' : flag})` : ''}`, { exitCode: 2 });
        }
        throw err;
      }
      if (o.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
      else {
        process.stdout.write(`generated ${summary.patients} patients (${summary.deaths} deceased), ${summary.resources} resources, seed ${summary.seed}, reference date ${summary.referenceDate}\n`);
        process.stdout.write(`wrote ${summary.files.length} files to ${summary.outDir}\n`);
      }
    });
}
