/**
 * `medgen-data export --out DIR [--type T,U] [--since INSTANT] [--type-filter 'Type?query']… [--elements a,b]
 * [--group ID | --patient-level] [--patient ID]… [--deidentify P [--key K]]`: a Bulk Data export into a new or
 * empty folder, NDJSON per type and `manifest.json` (export-folder.ts), de-identified with profile P when asked
 * (the key from `--key` or MEDGEN_DEID_KEY, never written into the manifest's command line). The parameters go
 * through the same checks as `$export` (export-request.ts), so a refusal says what the HTTP one says, prefixed
 * with the flag it came from. Exit 0 on success, 1 when the export fails, 2 on usage errors (a bad parameter, a
 * missing Group, a non-empty --out, `--deidentify` without a key), with nothing written.
 * @see https://hl7.org/fhir/uv/bulkdata/export.html
 */
import type { Command } from 'commander';
import { type ExportLevel, type ExportRequest, parseExportRequest } from '../export/export-request.js';
import { groupMembers } from '../export/export-scope.js';
import { assertValidId } from '../fhir/ids.js';
import type { ResourceStore } from '../store/resource-store.js';
import { CliFailure } from './cli-failure.js';
import { addStoreOptions, configFrom } from './common-options.js';
import { commandLineOf, exportIntoFolder, printRun, refusal } from './export-folder.js';

/** Each `$export` parameter with the flag that gives it, so a refusal naming the parameter names the flag too. */
const fail: (err: unknown) => never = refusal('export', { _type: '--type', _since: '--since', _typeFilter: '--type-filter', _elements: '--elements', patient: '--patient', Group: '--group', 'Group.member': '--group', _deidentify: '--deidentify' });

const collect = (value: string, previous: string[] = []) => [...previous, value];

interface Parsed {
  request: ExportRequest;
  /** The command line of the export parameters, the manifest's `request` (the kick-off URL over HTTP). */
  commandLine: string;
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
    ['_deidentify', o.deidentify === undefined ? [] : [o.deidentify as string]],
  ]);
  const words = ['medgen-data', 'export'];
  if (o.group !== undefined) words.push('--group', o.group as string);
  else if (level === 'patient') words.push('--patient-level');
  for (const name of ['type', 'since', 'typeFilter', 'elements', 'patient']) {
    for (const value of list(name)) words.push(`--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, value);
  }
  if (o.deidentify !== undefined) words.push('--deidentify', o.deidentify as string);
  try {
    if (o.group !== undefined) assertValidId(o.group as string, 'Group');
    return { request: parseExportRequest(level, params, o.group as string | undefined, configFrom(o).deidKey), commandLine: commandLineOf(words) };
  } catch (err) {
    fail(err);
  }
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
    .option('--deidentify <profile>', 'write every resource through this de-identification profile: safe-harbor | shifted (_deidentify)')
    .option('--key <key>', 'the de-identification key (MEDGEN_DEID_KEY; the variable keeps it out of process listings)')
    .option('--json', 'print the manifest, seconds and rate as one JSON document')
    .action(async (o: Record<string, unknown>) => {
      const { request, commandLine } = parse(o);
      const prepare = async (store: ResourceStore) => {
        if (request.level === 'group') await groupMembers(store, request.group as string);
        return request;
      };
      printRun(await exportIntoFolder({ command: 'export', options: o, commandLine, refuse: fail, prepare }), Boolean(o.json));
    });
}
