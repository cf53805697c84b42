/**
 * What `medgen-data export` and `medgen-data subset` share: a Bulk Data export (src/export/run-export.ts) into a
 * new or empty folder, one NDJSON file per type and a `manifest.json` shaped like the Bulk Data completion
 * manifest, its urls the file names. Every refusal (an OperationOutcome from the checks `$export` and `$subset`
 * make) exits 2 prefixed with the flag it came from, and leaves the folder as it was found: missing or empty.
 * @see https://hl7.org/fhir/uv/bulkdata/export.html#response---complete-status
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ExportRequest } from '../export/export-request.js';
import { type ExportResult, runExport } from '../export/run-export.js';
import { OperationOutcomeError } from '../fhir/outcomes.js';
import { openStore } from '../store/open-store.js';
import type { ResourceStore } from '../store/resource-store.js';
import { CliFailure } from './cli-failure.js';
import { configFrom } from './common-options.js';
import { createProgress } from './progress.js';

export const MANIFEST_FILE = 'manifest.json';

/** A command-line word as a POSIX shell reads it back: bare when it is safe, else single-quoted. */
const quote = (word: string) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`);

/** The words as one command line a shell runs again: the manifest's `request` (the kick-off URL over HTTP). */
export const commandLineOf = (words: string[]) => words.map(quote).join(' ');

/**
 * Turns an error into the command's exit: a 4xx OperationOutcome is a refusal of what was asked (exit 2), its
 * message prefixed with the flag that gave the parameter it names (`flags`: parameter to flag); anything else is
 * thrown on (exit 1).
 */
export function refusal(command: string, flags: Record<string, string>): (err: unknown) => never {
  return (err) => {
    if (!(err instanceof OperationOutcomeError) || err.status >= 500) throw err;
    const flag = flags[err.outcome.issue?.[0]?.expression?.[0] ?? ''];
    throw new CliFailure(`medgen-data ${command}: ${flag ? `${flag}: ` : ''}${err.message}`, 2);
  };
}

/** Whether `dir` can take the export: missing (then created) or an empty folder. */
function checkOut(command: string, dir: string): boolean {
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return false;
    throw new CliFailure(`medgen-data ${command}: --out ${dir} is not a folder that can be read (${code ?? (err as Error).message})`, 2);
  }
  if (entries.length > 0) throw new CliFailure(`medgen-data ${command}: --out ${dir} is not empty (${entries.length} entries): ${command} into a new or empty folder`, 2);
  return true;
}

function manifestOf(result: ExportResult, request: string, since: boolean): Record<string, unknown> {
  const files = (list: ExportResult['output']) => list.map((f) => ({ type: f.type, url: f.file, count: f.count }));
  return {
    transactionTime: result.transactionTime,
    request,
    requiresAccessToken: false,
    output: files(result.output),
    ...(since ? { deleted: files(result.deleted) } : {}),
    error: [],
  };
}

export interface FolderExport {
  /** The command's name, which starts every message. */
  command: string;
  /** The command's options: `out`, `json` and the store options. */
  options: Record<string, unknown>;
  /** The manifest's `request`. */
  commandLine: string;
  /** The command's refusal (see {@link refusal}). */
  refuse: (err: unknown) => never;
  /** The export, from the checks that need the store (a Group that exists, a subset's draw): before anything is written. */
  prepare: (store: ResourceStore) => Promise<ExportRequest>;
}

export interface FolderRun {
  dir: string;
  seconds: number;
  result: ExportResult;
  manifest: Record<string, unknown>;
}

/** Runs the export into `--out` and writes the manifest; a failure removes whatever it wrote. */
export async function exportIntoFolder(e: FolderExport): Promise<FolderRun> {
  const dir = path.resolve(e.options.out as string);
  const existed = checkOut(e.command, dir);
  const config = configFrom(e.options);
  const store = await openStore(config);
  const progress = createProgress();
  const start = process.hrtime.bigint();
  try {
    const request = await e.prepare(store).catch(e.refuse);
    fs.mkdirSync(dir, { recursive: true });
    try {
      const result = await runExport({ store, request, dir, deidKey: config.deidKey, progress: (done) => e.options.json || progress.update(`exporting: ${done} resources`) });
      const manifest = manifestOf(result, e.commandLine, request.since !== undefined);
      fs.writeFileSync(path.join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
      return { dir, seconds: Number(process.hrtime.bigint() - start) / 1e9, result, manifest };
    } catch (err) {
      // The folder was missing or empty: what a failed export leaves in it is partial, so none of it stays.
      if (existed) for (const entry of fs.readdirSync(dir)) fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
      else fs.rmSync(dir, { recursive: true, force: true });
      e.refuse(err);
    }
  } finally {
    await store.close();
  }
}

const totalOf = (result: ExportResult) => result.output.reduce((n, f) => n + f.count, 0);

function summary({ result, dir, seconds }: FolderRun): string {
  const total = totalOf(result);
  const lines = [`exported ${total} resources of ${result.output.length} types into ${dir} in ${seconds.toFixed(1)} s (${Math.round(total / Math.max(seconds, 1e-3))} resources/s)`];
  for (const f of result.output) lines.push(`  ${f.type.padEnd(28)} ${String(f.count).padStart(9)}  ${f.file}`);
  for (const f of result.deleted) lines.push(`  ${'deleted'.padEnd(28)} ${String(f.count).padStart(9)}  ${f.file} (Bundles of DELETE entries)`);
  return lines.join('\n');
}

/**
 * Prints the run on stdout: with `--json` one document (the folder, seconds, rate, `fields` and the manifest),
 * else `lead` when given, then the files and their counts.
 */
export function printRun(run: FolderRun, json: boolean, fields: Record<string, unknown> = {}, lead?: string): void {
  if (json) process.stdout.write(`${JSON.stringify({ dir: run.dir, seconds: run.seconds, rate: totalOf(run.result) / Math.max(run.seconds, 1e-3), ...fields, manifest: run.manifest })}\n`);
  else process.stdout.write(`${lead === undefined ? '' : `${lead}\n`}${summary(run)}\n`);
}
