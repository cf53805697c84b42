/**
 * Where DICOM files live: `<MEDGEN_DATA_DIR>/dicom/<StudyInstanceUID>/<SeriesInstanceUID>/<SOPInstanceUID>.dcm`.
 * Every UID is checked against the DICOM UID syntax (400 otherwise) and every path goes through
 * FileArea.resolve, so request data can never name a file outside the DICOM folder.
 * @see https://dicom.nema.org/medical/dicom/current/output/chtml/part05/chapter_9.html (UID encoding)
 */
import fs from 'node:fs/promises';
import { badRequest } from '../fhir/outcomes.js';
import type { FileArea } from '../files/file-area.js';
import { isDicomUid } from './uid.js';

export const DICOM_FOLDER = 'dicom';

/** The UID itself, or a 400 OperationOutcome naming the parameter when it is not a UID. */
export function checkUid(value: string, name: string): string {
  if (!isDicomUid(value)) throw badRequest(`${name} "${value.slice(0, 80)}" is not a DICOM UID`, name);
  return value;
}

export function studyDir(files: FileArea, studyUid: string): string {
  return files.resolve(DICOM_FOLDER, checkUid(studyUid, 'StudyInstanceUID'));
}

export function seriesDir(files: FileArea, studyUid: string, seriesUid: string): string {
  return files.resolve(DICOM_FOLDER, checkUid(studyUid, 'StudyInstanceUID'), checkUid(seriesUid, 'SeriesInstanceUID'));
}

export function instancePath(files: FileArea, studyUid: string, seriesUid: string, sopUid: string): string {
  return files.resolve(DICOM_FOLDER, checkUid(studyUid, 'StudyInstanceUID'), checkUid(seriesUid, 'SeriesInstanceUID'), `${checkUid(sopUid, 'SOPInstanceUID')}.dcm`);
}

/** Whether a file exists (and is a file). */
export async function fileExists(path: string): Promise<boolean> {
  return fs.stat(path).then((s) => s.isFile(), () => false);
}

/** Names in a directory, or none when it does not exist. */
export async function listDir(path: string): Promise<string[]> {
  return fs.readdir(path).then((names) => names.sort(), () => []);
}
