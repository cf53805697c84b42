/**
 * Reads the version lines of a backup file back as RawVersionRecords, streamed: gunzip runs on libuv's
 * threads while lines are parsed, and memory holds one batch of records whatever the file's size (reading a
 * file whole failed outright past V8's string limit of 512 MB, an Observation file of a few million
 * versions). Each line is split at the `"resource":` member its writer placed after the head
 * (write-version-files.ts), so the resource's JSON text goes to the store untouched and unparsed; the store
 * parses only the versions that become current. The head holds only ids, digits, an instant and a boolean,
 * none of which can contain that member text.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { OperationOutcomeError, unprocessable } from '../fhir/outcomes.js';
import type { RawVersionRecord } from '../store/resource-store.js';
import type { BackupFile } from './backup-manifest.js';
import { RESOURCE_MEMBER } from './write-version-files.js';

type Head = Omit<RawVersionRecord, 'json'>;

/** Opens a backup file's bytes (from wherever the backups live). */
export type OpenFile = () => Promise<Readable>;

/** Bytes per read and per gunzip output chunk: fewer, larger chunks to split into lines. */
const CHUNK = 1 << 18;

function parseVersionLine(line: string, where: () => string): RawVersionRecord {
  const at = line.indexOf(RESOURCE_MEMBER);
  try {
    if (at < 0) return { ...(JSON.parse(line) as Head), json: null };
    if (!line.endsWith('}')) throw new Error('truncated');
    return { ...(JSON.parse(`${line.slice(0, at)}}`) as Head), json: line.slice(at + RESOURCE_MEMBER.length, -1) };
  } catch {
    throw unprocessable(`${where()} is not a version record`);
  }
}

/** The lines of a stream of text chunks; a line split over many chunks is joined once, not chunk by chunk. */
async function* linesOf(chunks: AsyncIterable<string>): AsyncGenerator<string> {
  let parts: string[] = [];
  for await (const chunk of chunks) {
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', start)) {
      const tail = chunk.slice(start, nl);
      if (parts.length === 0) yield tail;
      else {
        parts.push(tail);
        yield parts.join('');
        parts = [];
      }
      start = nl + 1;
    }
    if (start < chunk.length) parts.push(chunk.slice(start));
  }
  if (parts.length > 0) yield parts.join('');
}

const sameResource = (a: RawVersionRecord, b: RawVersionRecord) => a.id === b.id && a.resourceType === b.resourceType;

/**
 * The records of one verified backup file in batches of at least `size` (the last may be smaller) that never
 * split one resource's versions. The SHA-256 of the bytes actually read is checked against the manifest at
 * the end of the file: a file changed after verification throws there, and the caller undoes what it wrote.
 */
export async function* versionBatches(open: OpenFile, f: BackupFile, size: number): AsyncGenerator<RawVersionRecord[]> {
  const raw = await open();
  const hash = createHash('sha256');
  raw.on('data', (chunk) => hash.update(chunk as Buffer));
  const text = raw.pipe(createGunzip({ chunkSize: CHUNK })).setEncoding('utf8');
  raw.on('error', (err) => text.destroy(err));
  let batch: RawVersionRecord[] = [];
  let line = 0;
  try {
    for await (const content of linesOf(text)) {
      line++;
      const record = parseVersionLine(content, () => `${f.file} line ${line}`);
      if (batch.length >= size && !sameResource(batch[batch.length - 1], record)) yield batch.splice(0);
      batch.push(record);
    }
  } catch (err) {
    if (err instanceof OperationOutcomeError) throw err;
    throw unprocessable(`${f.file} cannot be read: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    raw.destroy();
  }
  if (hash.digest('hex') !== f.sha256) throw unprocessable(`${f.file} changed after verification`);
  if (batch.length > 0) yield batch;
}
