/**
 * `medgen-data subset --count N [--seed S] [--where 'Type?search'] --out DIR`: what `POST /fhir/$subset` does, into
 * a folder: N patients drawn by a seeded shuffle (src/export/subset.ts; the same patients for the same seed and
 * data), only those with a resource `--where` selects when given, exported as a Patient export of just them
 * (export-folder.ts): their compartments and what those reference, shared resources once, re-importable, with
 * `manifest.json`; `--deidentify P` writes it through a de-identification profile, as `$subset`'s `deidentify`
 * does (the key from `--key` or MEDGEN_DEID_KEY, never written into the manifest). As over HTTP, asking for more patients than qualify gives all of them; a bad `--count`,
 * `--seed` or `--where`, or no patient qualifying, is refused: exit 2, with nothing written.
 */
import type { Command } from 'commander';
import { choosePatients, parseSubsetRequest, type SubsetRequest, subsetExport } from '../export/subset.js';
import type { ResourceStore } from '../store/resource-store.js';
import { addStoreOptions, configFrom } from './common-options.js';
import { commandLineOf, exportIntoFolder, printRun, refusal } from './export-folder.js';

const fail: (err: unknown) => never = refusal('subset', { count: '--count', seed: '--seed', where: '--where', deidentify: '--deidentify' });

/** The flags through the checks `$subset` makes, so a refusal says what the HTTP one says. */
function parse(o: Record<string, unknown>): SubsetRequest {
  try {
    return parseSubsetRequest((name) => o[name] as string | undefined, configFrom(o).deidKey);
  } catch (err) {
    fail(err);
  }
}

export function registerSubset(program: Command): void {
  addStoreOptions(program.command('subset').description('N patients drawn by seed, with everything their records reference, into a folder: NDJSON per type and manifest.json'))
    .requiredOption('--count <n>', 'how many patients (at most 100,000; all that qualify when fewer)')
    .option('--seed <n>', 'the same seed draws the same patients from the same data (default 1)')
    .option('--where <Type?search>', 'only patients with a matching resource in their compartment, e.g. Condition?code=44054006')
    .requiredOption('--out <dir>', 'the folder written: new or empty')
    .option('--deidentify <profile>', 'write every resource through this de-identification profile: safe-harbor | shifted')
    .option('--key <key>', 'the de-identification key (MEDGEN_DEID_KEY; the variable keeps it out of process listings)')
    .option('--json', 'print the patients drawn, the manifest, seconds and rate as one JSON document')
    .action(async (o: Record<string, unknown>) => {
      const subset = parse(o);
      // The effective seed is always written, so the manifest's request draws the same patients again.
      const words = ['medgen-data', 'subset', '--count', String(subset.count), '--seed', String(subset.seed), ...(subset.where === undefined ? [] : ['--where', subset.where]), ...(subset.deidentify === undefined ? [] : ['--deidentify', subset.deidentify])];
      let patients: string[] = [];
      const prepare = async (store: ResourceStore) => subsetExport((patients = await choosePatients(store, subset)), subset.deidentify);
      const run = await exportIntoFolder({ command: 'subset', options: o, commandLine: commandLineOf(words), refuse: fail, prepare });
      const lead = `subset of ${patients.length} patients (${subset.count} asked, seed ${subset.seed}${subset.where === undefined ? '' : `, where ${subset.where}`})`;
      printRun(run, Boolean(o.json), { patients }, lead);
    });
}
