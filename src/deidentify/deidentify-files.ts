/**
 * De-identifying files on disk: a JSON file (a Bundle or one resource) is read whole; an NDJSON file is
 * streamed a line at a time, so its size is not bounded by memory. Each resource's patient comes from the
 * Patient compartment of its original references (a Bundle works its entries out itself: bundle-scope.ts).
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Resource } from 'fhir/r4.js';
import type { LeakCheck } from './check-output.js';
import type { Deidentifier } from './deidentifier.js';

export type FileFormat = 'bundle' | 'resource' | 'ndjson';

export interface FileResult {
  input: string;
  output: string;
  format: FileFormat;
  resources: number;
}

/** An input file that cannot be read as FHIR JSON or NDJSON. */
export class DeidInputError extends Error {}

type Json = Record<string, unknown>;

/** Writes go out in chunks of about this many characters: one write per line would cost more than the walk. */
const CHUNK = 1 << 20;

const isNdjson = (file: string) => /\.ndjson$/i.test(file);

function parse(text: string, where: string): Json {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new DeidInputError(`${where}: not JSON (${(err as Error).message})`);
  }
  if (value === null || typeof value !== 'object' || typeof (value as Json).resourceType !== 'string') throw new DeidInputError(`${where}: not a FHIR resource (no resourceType)`);
  return value as Json;
}

function deidentifyOne(deid: Deidentifier, resource: Json, sources: LeakCheck | undefined): Resource {
  sources?.addSource(resource);
  return deid.deidentify(resource as unknown as Resource, deid.patientOf(resource as unknown as Resource));
}

async function deidentifyNdjson(deid: Deidentifier, input: string, output: string, sources: LeakCheck | undefined): Promise<number> {
  const lines = createInterface({ input: createReadStream(input, 'utf8'), crlfDelay: Infinity });
  const out = createWriteStream(output, 'utf8');
  let pending = '';
  let count = 0;
  let lineNumber = 0;
  try {
    for await (const line of lines) {
      lineNumber++;
      if (line.trim() === '') continue;
      pending += `${JSON.stringify(deidentifyOne(deid, parse(line, `${input} line ${lineNumber}`), sources))}\n`;
      count++;
      if (pending.length >= CHUNK) {
        if (!out.write(pending)) await once(out, 'drain');
        pending = '';
      }
    }
    out.end(pending);
    await once(out, 'finish');
  } finally {
    lines.close();
    out.destroy();
  }
  return count;
}

/** De-identifies `input` into `output` (same format), noting its identifying strings in `sources` when given. */
export async function deidentifyFile(deid: Deidentifier, input: string, output: string, sources?: LeakCheck): Promise<FileResult> {
  if (isNdjson(input)) return { input, output, format: 'ndjson', resources: await deidentifyNdjson(deid, input, output, sources) };
  const resource = parse(await readFile(input, 'utf8'), input);
  const result = deidentifyOne(deid, resource, sources);
  await writeFile(output, `${JSON.stringify(result)}\n`);
  const isBundle = resource.resourceType === 'Bundle';
  return { input, output, format: isBundle ? 'bundle' : 'resource', resources: isBundle && Array.isArray(resource.entry) ? resource.entry.length : 1 };
}

/** Searches a written output file for the strings `check` seeks. */
export async function scanOutputFile(check: LeakCheck, file: string): Promise<void> {
  if (!isNdjson(file)) {
    check.scanText(file, await readFile(file, 'utf8'));
    return;
  }
  let line = 0;
  for await (const text of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) check.scanLine(file, text, ++line);
}
