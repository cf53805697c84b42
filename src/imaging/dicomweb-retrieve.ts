/**
 * WADO-RS retrieval: the stored Part 10 files of an instance, a series or a study, found in the file store by
 * UID and sent unchanged as parts of a multipart/related response. Every key comes from dicom-files.ts, so
 * only valid UIDs under the DICOM folder are ever read, and the same code serves a local folder or a bucket.
 * @see https://dicom.nema.org/medical/dicom/current/output/chtml/part18/sect_10.4.html (WADO-RS Retrieve)
 * @see https://www.rfc-editor.org/rfc/rfc2387 (multipart/related)
 */
import { randomUUID } from 'node:crypto';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { notFound } from '../fhir/outcomes.js';
import type { FileStore } from '../files/file-store.js';
import { instanceKey, seriesPrefix, studyPrefix, uidsOfKey, type InstanceUids } from './dicom-files.js';

/** The instance keys under `prefix`, with their UIDs, in key order; anything else stored there is left out. */
async function instancesUnder(store: FileStore, prefix: string): Promise<{ key: string; uids: InstanceUids }[]> {
  const found: { key: string; uids: InstanceUids }[] = [];
  for await (const { key } of store.list(prefix)) {
    const uids = uidsOfKey(key);
    if (uids) found.push({ key, uids });
  }
  return found;
}

export async function instanceKeys(store: FileStore, studyUid: string, seriesUid: string, sopUid: string): Promise<string[]> {
  const key = instanceKey(studyUid, seriesUid, sopUid);
  if (!(await store.stat(key))) throw notFound(`No instance ${sopUid} in series ${seriesUid} of study ${studyUid}`);
  return [key];
}

export async function seriesKeys(store: FileStore, studyUid: string, seriesUid: string): Promise<string[]> {
  const found = await instancesUnder(store, seriesPrefix(studyUid, seriesUid));
  if (found.length === 0) throw notFound(`No series ${seriesUid} in study ${studyUid}`);
  return found.map((f) => f.key);
}

/**
 * A study's instances series by series, each series' in key order. Series are ordered by UID as strings, the
 * order they had as folder names: key order would put series 1.2.3.4 before 1.2.3 ('.' sorts before '/').
 * The sort is stable, so each series keeps its own order.
 */
export async function studyKeys(store: FileStore, studyUid: string): Promise<string[]> {
  const found = await instancesUnder(store, studyPrefix(studyUid));
  if (found.length === 0) throw notFound(`No study ${studyUid}`);
  found.sort((a, b) => (a.uids.series < b.uids.series ? -1 : a.uids.series > b.uids.series ? 1 : 0));
  return found.map((f) => f.key);
}

/** A boundary that cannot occur by chance in the parts. */
export const newBoundary = () => `medgen-${randomUUID()}`;

export const multipartType = (boundary: string, type = 'application/dicom') => `multipart/related; type="${type}"; boundary=${boundary}`;

/** The bytes of the multipart body: each file as one part (its bytes untouched), then the closing delimiter. */
async function* multipartBody(store: FileStore, keys: string[], boundary: string, type: string): AsyncGenerator<Buffer> {
  for (const key of keys) {
    const body = await store.read(key);
    // Listed but gone: the answer is already under way, so all that is left is to end it short.
    if (!body) throw new Error(`The DICOM file ${key} is no longer stored`);
    // A client that leaves while the header is out stops the generator there; the read must close all the same.
    try {
      yield Buffer.from(`--${boundary}\r\nContent-Type: ${type}\r\n\r\n`);
      yield* body;
    } finally {
      body.destroy();
    }
    yield Buffer.from('\r\n');
  }
  yield Buffer.from(`--${boundary}--\r\n`);
}

/**
 * Streams the parts into `out` through one pipeline, with backpressure; a client that goes away stops it and
 * closes the open read. A pipeline per file added its listeners to `out` each time, and a series of more than
 * ten instances made Node warn of a listener leak on every request.
 */
export async function writeMultipart(out: Writable, store: FileStore, keys: string[], boundary: string, type = 'application/dicom'): Promise<void> {
  await pipeline(multipartBody(store, keys, boundary, type), out);
}
