/**
 * WADO-RS retrieval: the stored Part 10 files of an instance, a series or a study, found on disk by UID and
 * sent unchanged as parts of a multipart/related response. Every path comes from dicom-files.ts, so only
 * valid UIDs under the DICOM folder are ever opened.
 * @see https://dicom.nema.org/medical/dicom/current/output/chtml/part18/sect_10.4.html (WADO-RS Retrieve)
 * @see https://www.rfc-editor.org/rfc/rfc2387 (multipart/related)
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { notFound } from '../fhir/outcomes.js';
import type { FileArea } from '../files/file-area.js';
import { fileExists, instancePath, listDir, seriesDir, studyDir } from './dicom-files.js';
import { isDicomUid } from './uid.js';

const dcmFiles = async (dir: string) => (await listDir(dir)).filter((n) => n.endsWith('.dcm') && isDicomUid(n.slice(0, -4))).map((n) => path.join(dir, n));

export async function instanceFiles(files: FileArea, studyUid: string, seriesUid: string, sopUid: string): Promise<string[]> {
  const file = instancePath(files, studyUid, seriesUid, sopUid);
  if (!(await fileExists(file))) throw notFound(`No instance ${sopUid} in series ${seriesUid} of study ${studyUid}`);
  return [file];
}

export async function seriesFiles(files: FileArea, studyUid: string, seriesUid: string): Promise<string[]> {
  const found = await dcmFiles(seriesDir(files, studyUid, seriesUid));
  if (found.length === 0) throw notFound(`No series ${seriesUid} in study ${studyUid}`);
  return found;
}

export async function studyFiles(files: FileArea, studyUid: string): Promise<string[]> {
  const dir = studyDir(files, studyUid);
  const found: string[] = [];
  for (const series of (await listDir(dir)).filter(isDicomUid)) found.push(...(await dcmFiles(path.join(dir, series))));
  if (found.length === 0) throw notFound(`No study ${studyUid}`);
  return found;
}

/** A boundary that cannot occur by chance in the parts. */
export const newBoundary = () => `medgen-${randomUUID()}`;

export const multipartType = (boundary: string, type = 'application/dicom') => `multipart/related; type="${type}"; boundary=${boundary}`;

/** The bytes of the multipart body: each file as one part (its bytes untouched), then the closing delimiter. */
async function* multipartBody(filesToSend: string[], boundary: string, type: string): AsyncGenerator<Buffer> {
  for (const file of filesToSend) {
    yield Buffer.from(`--${boundary}\r\nContent-Type: ${type}\r\n\r\n`);
    yield* fs.createReadStream(file);
    yield Buffer.from('\r\n');
  }
  yield Buffer.from(`--${boundary}--\r\n`);
}

/**
 * Streams the parts into `out` through one pipeline, with backpressure; a client that goes away stops it and
 * closes the open file. A pipeline per file added its listeners to `out` each time, and a series of more than
 * ten instances made Node warn of a listener leak on every request.
 */
export async function writeMultipart(out: Writable, filesToSend: string[], boundary: string, type = 'application/dicom'): Promise<void> {
  await pipeline(multipartBody(filesToSend, boundary, type), out);
}
