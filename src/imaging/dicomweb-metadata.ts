/**
 * WADO-RS metadata and frames, which viewers such as OHIF use to open a series: the stored files' own
 * attributes as DICOM JSON (Pixel Data replaced by a BulkDataURI), and a frame's raw pixel bytes. The files
 * are read from the file store by key, so a bucket serves them as well as the data folder.
 * @see https://dicom.nema.org/medical/dicom/current/output/chtml/part18/sect_10.4.html
 */
import type { DicomJsonDataset } from 'dcmjs';
import type { FileStore } from '../files/file-store.js';
import { DicomMessage } from './dcmjs.js';
import { readInstance, uidsOfKey } from './dicom-files.js';
import { numericStrings } from './dicomweb-json.js';

const PIXEL_DATA = '7FE00010';

async function readDataset(store: FileStore, key: string) {
  const bytes = await readInstance(store, key);
  return DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer).dict;
}

/** The instance's dataset as DICOM JSON; `instanceUrl` is its WADO-RS URL (for the frame's BulkDataURI). */
export async function instanceMetadata(store: FileStore, key: string, instanceUrl: string): Promise<DicomJsonDataset> {
  const dict = await readDataset(store, key);
  const vr = dict[PIXEL_DATA]?.vr ?? 'OW';
  return numericStrings({ ...dict, [PIXEL_DATA]: { vr, BulkDataURI: `${instanceUrl}/frames/1` } });
}

/** The raw bytes of the (single) frame of an instance. */
export async function framePixels(store: FileStore, key: string): Promise<Buffer> {
  const value = (await readDataset(store, key))[PIXEL_DATA]?.Value?.[0];
  return Buffer.from(value as ArrayBuffer);
}

/** The metadata of instances of one study, each with its instance URL under `studyUrl` (series and SOP UIDs from the key). */
export async function instancesMetadata(store: FileStore, keys: string[], studyUrl: string): Promise<DicomJsonDataset[]> {
  return Promise.all(
    keys.map((key) => {
      // Keys come from dicomweb-retrieve.ts, which lists instance keys only.
      const { series, sop } = uidsOfKey(key)!;
      return instanceMetadata(store, key, `${studyUrl}/series/${series}/instances/${sop}`);
    }),
  );
}
