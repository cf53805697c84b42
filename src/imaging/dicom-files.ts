/**
 * Where DICOM files live in the file store: the key `dicom/<StudyInstanceUID>/<SeriesInstanceUID>/<SOPInstanceUID>.dcm`
 * (locally, that file under MEDGEN_DATA_DIR, the layout the data folder has always had). Every UID is
 * checked against the DICOM UID syntax (400 otherwise), so request data can only ever name a key under the
 * DICOM folder: a UID has no '/' and no '..'.
 * @see https://dicom.nema.org/medical/dicom/current/output/chtml/part05/chapter_9.html (UID encoding)
 */
import { badRequest, notFound } from '../fhir/outcomes.js';
import { type FileStore, readAll } from '../files/file-store.js';
import { isDicomUid } from './uid.js';

export const DICOM_FOLDER = 'dicom';

/** The UID itself, or a 400 OperationOutcome naming the parameter when it is not a UID. */
export function checkUid(value: string, name: string): string {
  if (!isDicomUid(value)) throw badRequest(`${name} "${value.slice(0, 80)}" is not a DICOM UID`, name);
  return value;
}

/** The prefix of every key of a study (ending in '/', so study 1.2 never lists study 1.23). */
export function studyPrefix(studyUid: string): string {
  return `${DICOM_FOLDER}/${checkUid(studyUid, 'StudyInstanceUID')}/`;
}

export function seriesPrefix(studyUid: string, seriesUid: string): string {
  return `${studyPrefix(studyUid)}${checkUid(seriesUid, 'SeriesInstanceUID')}/`;
}

export function instanceKey(studyUid: string, seriesUid: string, sopUid: string): string {
  return `${seriesPrefix(studyUid, seriesUid)}${checkUid(sopUid, 'SOPInstanceUID')}.dcm`;
}

export interface InstanceUids {
  study: string;
  series: string;
  sop: string;
}

/** The UIDs an instance key names; undefined for any other key (a stray file, a deeper path, a name that is not a UID). */
export function uidsOfKey(key: string): InstanceUids | undefined {
  const parts = key.split('/');
  if (parts.length !== 4 || parts[0] !== DICOM_FOLDER || !parts[3].endsWith('.dcm')) return undefined;
  const [, study, series, file] = parts;
  const sop = file.slice(0, -'.dcm'.length);
  return isDicomUid(study) && isDicomUid(series) && isDicomUid(sop) ? { study, series, sop } : undefined;
}

/** An instance's Part 10 bytes; 404 when the file is gone (removed since it was listed). */
export async function readInstance(store: FileStore, key: string): Promise<Buffer> {
  const bytes = await readAll(store, key);
  if (!bytes) throw notFound(`The DICOM file ${key} is no longer stored`);
  return bytes;
}
