/**
 * `medgen-data deidentify <files…> --profile P --out DIR [--key K] [--check] [--json]`: writes de-identified
 * copies of Bundles, resources and NDJSON files, under the same names, into an empty (or new) directory. The key
 * (`--key`, else MEDGEN_DEID_KEY) makes every pseudonym and date shift. `--check` then searches the output for
 * every identifying string of the input and lists what it finds. Exit 0 when done (and clean), 1 when the check
 * finds a leak, 2 on unusable input: unknown profile, no key, a missing file, an out directory in use.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { LeakCheck, type Leak } from '../deidentify/check-output.js';
import { createDeidentifier, DeidConfigError, DeidentifyError, knownProfiles, type Deidentifier } from '../deidentify/deidentifier.js';
import { DeidInputError, deidentifyFile, scanOutputFile, type FileResult } from '../deidentify/deidentify-files.js';
import { CliFailure } from './cli-failure.js';

const COMMAND = 'medgen-data deidentify';
const refuse = (message: string): never => {
  throw new CliFailure(`${COMMAND}: ${message}`, 2);
};

interface Options {
  profile?: string;
  out?: string;
  key?: string;
  check?: boolean;
  json?: boolean;
}

/** Every refusal before a file is written, so a refused run leaves nothing behind. */
function prepare(files: string[], o: Options): { deid: Deidentifier; outDir: string } {
  if (o.profile === undefined) refuse(`--profile is required (one of ${knownProfiles().join(', ')})`);
  const key = o.key ?? process.env.MEDGEN_DEID_KEY;
  if (key === undefined || key === '') refuse('a key is required: --key or MEDGEN_DEID_KEY');
  let deid: Deidentifier | undefined;
  try {
    deid = createDeidentifier({ profile: o.profile as string, key: key as string });
  } catch (err) {
    if (err instanceof DeidConfigError) refuse(err.message);
    throw err;
  }
  for (const file of files) if (!existsSync(file) || !statSync(file).isFile()) refuse(`no such file: ${file}`);
  const names = files.map((f) => path.basename(f));
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) refuse(`two inputs are named ${twice}: their outputs would overwrite each other`);
  if (o.out === undefined) refuse('--out <dir> is required');
  const outDir = o.out as string;
  if (existsSync(outDir) && (!statSync(outDir).isDirectory() || readdirSync(outDir).length > 0)) refuse(`the out directory must be empty or new: ${outDir}`);
  return { deid: deid as Deidentifier, outDir };
}

function leakLine(l: Leak): string {
  const where = `${l.file}${l.line === undefined ? '' : `:${l.line}`} ${l.path}`;
  return `  ${l.kind} "${l.value}" (from ${l.source}) in ${where}`;
}

function summary(results: FileResult[], seconds: number, profile: string, outDir: string, check: LeakCheck | undefined): string {
  const resources = results.reduce((n, r) => n + r.resources, 0);
  const lines = [`de-identified ${resources} resources in ${results.length} files into ${outDir} (profile ${profile}) in ${seconds.toFixed(2)} s (${Math.round(resources / seconds)} resources/s)`];
  if (check !== undefined) {
    if (check.count === 0) lines.push('check: no identifying string of the input is in the output');
    else {
      lines.push(`check: ${check.count} identifying strings of the input are in the output:`);
      lines.push(...check.leaks.slice(0, 50).map(leakLine));
      if (check.count > 50) lines.push(`  … and ${check.count - 50} more (use --json for up to ${check.leaks.length})`);
    }
  }
  return lines.join('\n');
}

async function run(files: string[], o: Options): Promise<{ results: FileResult[]; seconds: number; check?: LeakCheck; profile: string; outDir: string }> {
  const { deid, outDir } = prepare(files, o);
  const existed = existsSync(outDir);
  mkdirSync(outDir, { recursive: true });
  // Shifted dates are true dates of other days: one may fall on another patient's birthday.
  const check = o.check ? new LeakCheck({ birthDates: !deid.profile.rules.some((r) => r.method === 'shift') }) : undefined;
  const started = performance.now();
  const results: FileResult[] = [];
  try {
    for (const file of files) results.push(await deidentifyFile(deid, file, path.join(outDir, path.basename(file)), check));
  } catch (err) {
    // The folder was new or empty: half a de-identified set is no use, and none of it stays.
    if (existed) for (const entry of readdirSync(outDir)) rmSync(path.join(outDir, entry), { recursive: true, force: true });
    else rmSync(outDir, { recursive: true, force: true });
    if (err instanceof DeidInputError || err instanceof DeidentifyError) refuse(err.message);
    throw err;
  }
  const seconds = (performance.now() - started) / 1000;
  if (check !== undefined) for (const r of results) await scanOutputFile(check, r.output);
  return { results, seconds, check, profile: deid.profile.name, outDir };
}

export function registerDeidentify(program: Command): void {
  program
    .command('deidentify')
    .description('write de-identified copies of FHIR Bundles, resources and NDJSON files')
    .argument('<files...>', 'Bundle or resource JSON files, NDJSON files')
    .option('--profile <name>', `de-identification profile (${knownProfiles().join(' | ')})`)
    .option('--out <dir>', 'where the de-identified files go: an empty or new directory')
    .option('--key <key>', 'the HMAC key behind pseudonyms and date shifts (MEDGEN_DEID_KEY; the variable keeps it out of process listings)')
    .option('--check', "search the output for the input's names, identifiers, telecoms, addresses, ids and birth dates; exit 1 if any is found")
    .option('--json', 'print the result as one JSON document')
    .action(async (files: string[], o: Options) => {
      const { results, seconds, check, profile, outDir } = await run(files, o);
      if (o.json) {
        const resources = results.reduce((n, r) => n + r.resources, 0);
        const report = { profile, out: outDir, files: results, resources, seconds, resourcesPerSecond: Math.round(resources / seconds), ...(check ? { check: { count: check.count, leaks: check.leaks } } : {}) };
        process.stdout.write(`${JSON.stringify(report)}\n`);
      } else {
        process.stdout.write(`${summary(results, seconds, profile, outDir, check)}\n`);
      }
      if (check !== undefined && check.count > 0) program.setOptionValue('exitCode', 1);
    });
}
