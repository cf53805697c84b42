/**
 * The one interface through which the project writes and serves its files (job inputs, outputs and error
 * files, DICOM instances, backups, reports), whether they live in a local folder or in an S3 bucket, and the
 * key rules both drivers share. Keys are the same in both: `jobs/x/y.ndjson` is the file
 * `<folder>/jobs/x/y.ndjson` locally and the object `<prefix>/jobs/x/y.ndjson` in a bucket.
 */
import type { Readable } from 'node:stream';
import { type IssueCode, OperationOutcomeError, badRequest, issue, outcome } from '../fhir/outcomes.js';

export interface StoredFile {
  key: string;
  size: number;
  modified: Date;
}

export interface FileStore {
  /** Where the files live, for messages and logs: a folder path or s3://bucket/prefix (never credentials). */
  readonly location: string;
  /** Fails with a clear OperationOutcomeError when the store cannot be used (endpoint unreachable, credentials refused, bucket missing, folder not writable). Called at start. */
  check(): Promise<void>;
  /** Streams body to key, replacing any object there. The object becomes visible only once complete: an error in the body stream or an abort through options.signal leaves nothing visible (and the previous object, if any, untouched). Memory stays bounded whatever the size (multipart upload for S3). */
  write(key: string, body: Readable | Uint8Array | string, options?: { signal?: AbortSignal; contentType?: string }): Promise<{ size: number }>;
  /** The object's bytes as a stream, optionally only bytes start..end inclusive; null when absent. */
  read(key: string, range?: { start: number; end: number }): Promise<Readable | null>;
  stat(key: string): Promise<StoredFile | null>;
  /** Every object whose key starts with `prefix`, in key order (a prefix ending in '/' is a folder). Never lists incomplete writes. */
  list(prefix: string): AsyncIterable<StoredFile>;
  /** Removes the object; absent is not an error. */
  delete(key: string): Promise<void>;
  /** Removes every object under prefix; returns how many. */
  deletePrefix(prefix: string): Promise<number>;
  /** The file's path on this machine when the driver is a local folder (SQLite snapshots and external tools need a path); undefined for object storage. */
  localPath(key: string): string | undefined;
}

/** S3's own limit on a key; the local driver keeps it too, so a key that works in one works in the other. */
const MAX_KEY_BYTES = 1024;

/**
 * The key itself when it is a relative, '/'-separated path that means the same file in every driver;
 * otherwise a 400. `.` and `..` would climb out of a folder, an empty segment or backslash means different
 * files on different systems, and `\0` ends a path in the operating system's calls.
 */
export function checkKey(key: string): string {
  if (key === '') throw badRequest('A file key must not be empty');
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) throw badRequest(`File key "${key.slice(0, 64)}…" is longer than ${MAX_KEY_BYTES} bytes`);
  if (key.includes('\0') || key.includes('\\')) throw badRequest(`File key "${key}" contains a backslash or NUL character`);
  if (key.startsWith('/')) throw badRequest(`File key "${key}" must be relative, not absolute`);
  for (const segment of key.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') throw badRequest(`File key "${key}" has an empty, "." or ".." segment`);
  }
  return key;
}

/** A list or delete prefix: empty (everything), or a valid key, or a valid key followed by '/' (a folder). */
export function checkPrefix(prefix: string): string {
  if (prefix !== '') checkKey(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix);
  return prefix;
}

/** Byte range checks shared by the drivers, so a bad range is a 400 in both rather than whatever each backend says. */
export function checkRange(range: { start: number; end: number } | undefined): void {
  if (!range) return;
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw badRequest(`Invalid byte range ${start}-${end}`);
  }
}

/**
 * A store that cannot be used answers 503: the request was fine and the server has no bug, but a service it
 * depends on (the folder's disk, the S3 endpoint, its credentials or bucket) is unavailable until an operator
 * puts it right, and a client may retry later.
 */
export function storeUnavailable(message: string, code: IssueCode = 'transient'): OperationOutcomeError {
  return new OperationOutcomeError(503, outcome(issue('error', code, message)));
}

/** A small file's whole content, or null when absent; for manifests and reports, not for large outputs. */
export async function readAll(store: FileStore, key: string): Promise<Buffer | null> {
  const stream = await store.read(key);
  if (!stream) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}
