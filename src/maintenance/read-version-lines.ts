/**
 * Reads the version lines of a backup file back as RawVersionRecords. Each line is split at the
 * `"resource":` member its writer placed after the head (write-version-files.ts), so the resource's JSON text
 * goes to the store untouched and unparsed; the store parses only the versions that become current. The head
 * holds only ids, digits, an instant and a boolean, none of which can contain that member text.
 */
import path from 'node:path';
import { unprocessable } from '../fhir/outcomes.js';
import type { RawVersionRecord } from '../store/resource-store.js';
import type { BackupFile } from './backup-manifest.js';
import { readGzipFile } from './gzip-ndjson.js';
import { RESOURCE_MEMBER } from './write-version-files.js';

type Head = Omit<RawVersionRecord, 'json'>;

function parseLine(line: string, where: () => string): RawVersionRecord {
  const at = line.indexOf(RESOURCE_MEMBER);
  try {
    if (at < 0) return { ...(JSON.parse(line) as Head), json: null };
    if (!line.endsWith('}')) throw new Error('truncated');
    return { ...(JSON.parse(`${line.slice(0, at)}}`) as Head), json: line.slice(at + RESOURCE_MEMBER.length, -1) };
  } catch {
    throw unprocessable(`${where()} is not a version record`);
  }
}

/** Every record of one verified backup file, checked again against the manifest on the bytes actually read. */
export function readVersionFile(dir: string, f: BackupFile): RawVersionRecord[] {
  const { text, sha256 } = readGzipFile(path.join(dir, path.basename(f.file)));
  // A file changed after verification is never restored.
  if (sha256 !== f.sha256) throw unprocessable(`${f.file} changed after verification`);
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((line, i) => parseLine(line, () => `${f.file} line ${i + 1}`));
}

/** Consecutive slices of about `size` records that never split one resource's versions. */
export function* resourceBatches(records: RawVersionRecord[], size: number): Generator<RawVersionRecord[]> {
  let start = 0;
  for (let end = size; start < records.length; end = start + size) {
    while (end < records.length && records[end].id === records[end - 1].id && records[end].resourceType === records[end - 1].resourceType) end++;
    yield records.slice(start, end);
    start = end;
  }
}
