/**
 * `medgen-data generate`: the built-in generator to files (SPEC "CLI"). Flags follow the `$generate`
 * parameter names; a bad one exits 2 with the same message the server would put in its OperationOutcome.
 * The reference date defaults to today; the seed to a fixed value, so a run can always be repeated.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { OUTPUT_FORMATS, type OutputFormat } from '../generate/write-output.js';
import { writePopulation } from '../generate/write-population.js';
import { addGenerateOptions, exitOnBadParameter, generateInputFrom } from './generate-options.js';

/** `<dataDir>/generated/<timestamp>`: one directory per run, sortable by time. */
export function defaultOutDir(dataDir: string, now = new Date()): string {
  return path.join(dataDir, 'generated', now.toISOString().replace(/[:.]/g, '-'));
}

export function registerGenerate(program: Command): void {
  addGenerateOptions(program.command('generate').description("generate synthetic patients (FHIR R4 transaction bundles in Synthea's layout, or NDJSON)"), '1')
    .option('--out <dir>', 'output directory (default: <MEDGEN_DATA_DIR>/generated/<timestamp>)')
    .option('--format <format>', 'bundle | ndjson', 'bundle')
    .option('--data-dir <dir>', 'data directory (MEDGEN_DATA_DIR)')
    .option('--json', 'print the summary as one JSON document')
    .action(async (o: Record<string, string | boolean | undefined>) => {
      const format = o.format as OutputFormat;
      if (!OUTPUT_FORMATS.includes(format)) program.error(`--format must be one of ${OUTPUT_FORMATS.join(', ')}, got "${o.format}"`, { exitCode: 2 });
      const outDir = path.resolve((o.out as string | undefined) ?? defaultOutDir(loadConfig(process.env, { dataDir: o.dataDir as string | undefined }).dataDir));
      const summary = await writePopulation(generateInputFrom(o), outDir, format).catch((err) => exitOnBadParameter(program, 'generate', err));
      if (o.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
      else {
        process.stdout.write(`generated ${summary.patients} patients (${summary.deaths} deceased), ${summary.resources} resources, seed ${summary.seed}, reference date ${summary.referenceDate}\n`);
        process.stdout.write(`wrote ${summary.files.length} files to ${summary.outDir}\n`);
      }
    });
}
