/**
 * NDJSON read line by line, in chunks of independent entries, so memory stays bounded whatever the input
 * size. A line that is not a JSON object fails alone, reported by its line number.
 * @see https://hl7.org/fhir/R4/nd-json.html
 */
import readline from 'node:readline';
import type { Readable } from 'node:stream';
import { OperationOutcomeError } from '../fhir/outcomes.js';
import { parseJsonBody } from '../fhir/safe-json.js';
import { CHUNK } from './bundle-units.js';
import type { ImportEntry, ImportUnit } from './import-types.js';

/** A line longer than this is refused rather than held (no single resource comes close). */
export const MAX_LINE = 64 * 1024 * 1024;

function entryOfLine(text: string, line: number, file: string | undefined): ImportEntry {
  if (text.length > MAX_LINE) return { resource: undefined, line, file, unreadable: `Line ${line} is longer than ${MAX_LINE} characters` };
  try {
    return { resource: parseJsonBody(text), line, file };
  } catch (err) {
    const why = err instanceof OperationOutcomeError ? err.message : String(err);
    return { resource: undefined, line, file, unreadable: `Line ${line}: ${why}` };
  }
}

export async function* unitsOfNdjson(input: Readable, file?: string): AsyncGenerator<ImportUnit> {
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  let entries: ImportEntry[] = [];
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    entries.push(entryOfLine(text, line, file));
    if (entries.length >= CHUNK) {
      yield { entries, atomic: false, file };
      entries = [];
    }
  }
  if (entries.length > 0) yield { entries, atomic: false, file };
}
