/**
 * `medgen-data export --out DIR [--type T,U] [--since INSTANT] [--type-filter 'Type?query']… [--elements a,b]
 * [--group ID | --patient-level] [--patient ID]…`: a Bulk Data export (src/export/run-export.ts) into a new or
 * empty folder, one NDJSON file per type and a `manifest.json` shaped like the Bulk Data completion manifest,
 * its urls the file names. The parameters go through the same checks as `$export` (export-request.ts), so a
 * refusal says what the HTTP one says, prefixed with the flag it came from. Exit 0 on success, 1 when the
 * export fails, 2 on usage errors (a bad parameter, a missing Group, a non-empty --out), with nothing written.
 * @see https://hl7.org/fhir/uv/bulkdata/export.html#response---complete-status
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { type ExportLevel, type ExportRequest, parseExportRequest } from '../export/export-request.js';
import { groupMembers } from '../export/export-scope.js';
import { type ExportResult, runExport } from '../export/run-export.js';
import { assertValidId } from '../fhir/ids.js';
import { OperationOutcomeError } from '../fhir/outcomes.js';
import { openStore } from '../store/open-store.js';
import { CliFailure } from './cli-failure.js';
import { addStoreOptions, configFrom } from './common-options.js';
import { createProgress } from './progress.js';

export const MANIFEST_FILE = 'manifest.json';

/** Each `$export` parameter with the flag that gives it, so a refusal naming the parameter names the flag too. */
const FLAGS: Record<string, string> = { _type: '--type', _since: '--since', _typeFilter: '--type-filter', _elements: '--elements', patient: '--patient', Group: '--group', 'Group.member': '--group' };

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** A command-line word as a POSIX shell reads it back: bare when it is safe, else single-quoted. */
const quote = (word: string) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`);

interface Parsed {
  request: ExportRequest;
  /** The command line of the export parameters, the manifest's `request` (the kick-off URL over HTTP). */
  commandLine: string;
}

function fail(err: unknown): never {
  if (!(err instanceof OperationOutcomeError) || err.status >= 500) throw err;
  const flag = FLAGS[err.outcome.issue?.[0]?.expression?.[0] ?? ''];
  throw new CliFailure(`medgen-data export: ${flag ? `${flag}: ` : ''}${err.message}`, err.status === 400 || err.status === 404 ? 2 : 1);
}

function parse(o: Record<string, unknown>): Parsed {
  const list = (name: string) => (o[name] as string[] | undefined) ?? [];
  if (o.group !== undefined && o.patientLevel) throw new CliFailure('medgen-data export: --group and --patient-level exclude each other', 2);
  // `--patient` alone asks for those patients' compartments: the patient level, where the parameter applies.
  const level: ExportLevel = o.group !== undefined ? 'group' : o.patientLevel || list('patient').length > 0 ? 'patient' : 'system';
  const params = new Map<string, string[]>([
    ['_type', list('type')],
    ['_since', list('since')],
    ['_typeFilter', list('typeFilter')],
    ['_elements', list('elements')],
    ['patient', list('patient').map((p) => (p.includes('/') ? p : `Patient/${p}`))],
  ]);
  const words = ['medgen-data', 'export'];
  if (o.group !== undefined) words.push('--group', o.group as string);
  else if (level === 'patient') words.push('--patient-level');
  for (const name of ['type', 'since', 'typeFilter', 'elements', 'patient']) {
    for (const value of list(name)) words.push(`--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, value);
  }
  try {
    if (o.group !== undefined) assertValidId(o.group as string, 'Group');
    return { request: parseExportRequest(level, params, o.group as string | undefined), commandLine: words.map(quote).join(' ') };
  } catch (err) {
    fail(err);
  }
}

/** Whether `dir` can take the export: missing (then created) or an empty folder. */
function checkOut(dir: string): boolean {
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return false;
    throw new CliFailure(`medgen-data export: --out ${dir} is not a folder that can be read (${code ?? (err as Error).message})`, 2);
  }
  if (entries.length > 0) throw new CliFailure(`medgen-data export: --out ${dir} is not empty (${entries.length} entries): export into a new or empty folder`, 2);
  return true;
}

function manifestOf(result: ExportResult, commandLine: string, since: boolean): Record<string, unknown> {
  const files = (list: ExportResult['output']) => list.map((f) => ({ type: f.type, url: f.file, count: f.count }));
  return {
    transactionTime: result.transactionTime,
    request: commandLine,
    requiresAccessToken: false,
    output: files(result.output),
    ...(since ? { deleted: files(result.deleted) } : {}),
    error: [],
  };
}

function summary(result: ExportResult, dir: string, seconds: number): string {
  const total = result.output.reduce((n, f) => n + f.count, 0);
  const lines = [`exported ${total} resources of ${result.output.length} types into ${dir} in ${seconds.toFixed(1)} s (${Math.round(total / Math.max(seconds, 1e-3))} resources/s)`];
  for (const f of result.output) lines.push(`  ${f.type.padEnd(28)} ${String(f.count).padStart(9)}  ${f.file}`);
  for (const f of result.deleted) lines.push(`  ${'deleted'.padEnd(28)} ${String(f.count).padStart(9)}  ${f.file} (Bundles of DELETE entries)`);
  return lines.join('\n');
}

export function registerExport(program: Command): void {
  addStoreOptions(program.command('export').description('Bulk Data export of the store into a folder: NDJSON per type and manifest.json'))
    .requiredOption('--out <dir>', 'the folder written: new or empty')
    .option('--type <types>', 'only these resource types, comma-separated (_type; repeatable)', collect)
    .option('--since <instant>', 'only resources changed at or after this FHIR instant, and the deletions since (_since)', collect)
    .option('--type-filter <Type?query>', 'a search a resource of that type must match (_typeFilter; repeatable)', collect)
    .option('--elements <names>', 'top-level elements kept, comma-separated (_elements)', collect)
    .option('--group <id>', 'only the compartments of this Group\'s members (Group/[id]/$export)')
    .option('--patient-level', 'only the patients\' compartments (Patient/$export)')
    .option('--patient <id>', 'only this patient\'s compartment (patient; repeatable; the patient level unless --group)', collect)
    .option('--json', 'print the manifest, seconds and rate as one JSON document')
    .action(async (o: Record<string, unknown>) => {
      const { request, commandLine } = parse(o);
      const dir = path.resolve(o.out as string);
      const existed = checkOut(dir);
      const store = await openStore(configFrom(o));
      const progress = createProgress();
      let result: ExportResult;
      const start = process.hrtime.bigint();
      try {
        if (request.level === 'group') await groupMembers(store, request.group as string).catch(fail);
        fs.mkdirSync(dir, { recursive: true });
        try {
          result = await runExport({ store, request, dir, progress: (done) => o.json || progress.update(`exporting: ${done} resources`) });
          fs.writeFileSync(path.join(dir, MANIFEST_FILE), `${JSON.stringify(manifestOf(result, commandLine, request.since !== undefined), null, 2)}\n`);
        } catch (err) {
          // The folder was missing or empty: what a failed export leaves in it is partial, so none of it stays.
          if (existed) for (const entry of fs.readdirSync(dir)) fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
          else fs.rmSync(dir, { recursive: true, force: true });
          fail(err);
        }
      } finally {
        await store.close();
      }
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const total = result.output.reduce((n, f) => n + f.count, 0);
      if (o.json) process.stdout.write(`${JSON.stringify({ dir, seconds, rate: total / Math.max(seconds, 1e-3), manifest: manifestOf(result, commandLine, request.since !== undefined) })}\n`);
      else process.stdout.write(`${summary(result, dir, seconds)}\n`);
    });
}
