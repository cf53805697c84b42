/**
 * WADO-RS metadata and frames, which viewers such as OHIF use to open a series: the stored files' own
 * attributes as DICOM JSON (Pixel Data replaced by a BulkDataURI), and a frame's raw pixel bytes.
 * @see https://dicom.nema.org/medical/dicom/current/output/chtml/part18/sect_10.4.html
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { DicomJsonDataset } from 'dcmjs';
import { DicomMessage } from './dcmjs.js';
import { numericStrings } from './dicomweb-json.js';

const PIXEL_DATA = '7FE00010';

async function readDataset(file: string) {
  const bytes = await fs.readFile(file);
  return DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer).dict;
}

/** The file's dataset as DICOM JSON; `instanceUrl` is the instance's WADO-RS URL (for the frame's BulkDataURI). */
export async function fileMetadata(file: string, instanceUrl: string): Promise<DicomJsonDataset> {
  const dict = await readDataset(file);
  const vr = dict[PIXEL_DATA]?.vr ?? 'OW';
  return numericStrings({ ...dict, [PIXEL_DATA]: { vr, BulkDataURI: `${instanceUrl}/frames/1` } });
}

/** The raw bytes of the (single) frame of an instance. */
export async function framePixels(file: string): Promise<Buffer> {
  const value = (await readDataset(file))[PIXEL_DATA]?.Value?.[0];
  return Buffer.from(value as ArrayBuffer);
}

/** The SOP Instance UID of a stored file, from its name. */
export const sopUidOfFile = (file: string) => path.basename(file, '.dcm');

/** The metadata of stored files of one study, each with its instance URL under `studyUrl` (the series from the file's folder). */
export async function filesMetadata(files: string[], studyUrl: string): Promise<DicomJsonDataset[]> {
  return Promise.all(files.map((f) => fileMetadata(f, `${studyUrl}/series/${path.basename(path.dirname(f))}/instances/${sopUidOfFile(f)}`)));
}
