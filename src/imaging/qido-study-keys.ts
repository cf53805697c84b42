/**
 * The matching keys of a QIDO-RS study search, by keyword or tag: PatientID, StudyInstanceUID, StudyDate
 * (a date or a range) and ModalitiesInStudy (one or more codes), plus limit and offset. Keys it does not
 * support are named so the answer can say they were ignored (PS3.18 asks for a 299 Warning), rather than
 * silently answering as if they had matched.
 * @see https://dicom.nema.org/medical/dicom/current/output/chtml/part18/sect_8.3.4.html (query parameters)
 */
import { badRequest } from '../fhir/outcomes.js';
import { pagingOf, type StudyQuery } from './dicomweb-query.js';

const KEYS: Record<string, string> = {
  PatientID: 'PatientID',
  '00100020': 'PatientID',
  StudyInstanceUID: 'StudyInstanceUID',
  '0020000D': 'StudyInstanceUID',
  StudyDate: 'StudyDate',
  '00080020': 'StudyDate',
  ModalitiesInStudy: 'ModalitiesInStudy',
  '00080061': 'ModalitiesInStudy',
};

/** Parameters that are not matching keys: paging, and what to return or how to match (always exact here). */
const NOT_MATCHING = new Set(['limit', 'offset', 'includefield', 'fuzzymatching']);

const DA = /^(\d{4})(\d{2})(\d{2})$/;
const CS = /^[A-Z0-9 _]{1,16}$/;

/** A DA value as YYYY-MM-DD; 400 unless it is a real calendar date. */
function dateOf(value: string): string {
  const m = DA.exec(value);
  const iso = m ? `${m[1]}-${m[2]}-${m[3]}` : '';
  if (!m || Number.isNaN(Date.parse(`${iso}T00:00:00Z`)) || new Date(`${iso}T00:00:00Z`).toISOString().slice(0, 10) !== iso) {
    throw badRequest(`StudyDate "${value.slice(0, 40)}" is not a DICOM date (YYYYMMDD) or range (YYYYMMDD-YYYYMMDD)`, 'StudyDate');
  }
  return iso;
}

/** `YYYYMMDD`, `YYYYMMDD-YYYYMMDD`, `-YYYYMMDD` or `YYYYMMDD-` (PS3.4 C.2.2.2.5 range matching). */
function studyDateOf(value: string): { from?: string; to?: string } {
  const dash = value.indexOf('-');
  if (dash < 0) {
    const day = dateOf(value);
    return { from: day, to: day };
  }
  const [from, to] = [value.slice(0, dash), value.slice(dash + 1)];
  if (!from && !to) throw badRequest('StudyDate "-" names no date', 'StudyDate');
  const range = { from: from ? dateOf(from) : undefined, to: to ? dateOf(to) : undefined };
  if (range.from && range.to && range.from > range.to) throw badRequest(`StudyDate range "${value}" ends before it starts`, 'StudyDate');
  return range;
}

/** One or more modality codes, separated by commas or backslashes (multiple values, PS3.18 8.3.4.1). */
function modalitiesOf(value: string): string[] {
  const codes = value.split(/[,\\]/);
  for (const code of codes) if (!CS.test(code)) throw badRequest(`ModalitiesInStudy "${value.slice(0, 40)}" is not a list of modality codes`, 'ModalitiesInStudy');
  return codes;
}

export function studyQueryOf(params: URLSearchParams): { query: StudyQuery; ignored: string[] } {
  const query: StudyQuery = { ...pagingOf(params) };
  const ignored = new Set<string>();
  for (const [name, value] of params) {
    const key = KEYS[name];
    if (key === 'PatientID') query.patientId = value;
    else if (key === 'StudyInstanceUID') query.studyUid = value;
    else if (key === 'StudyDate') query.studyDate = studyDateOf(value);
    else if (key === 'ModalitiesInStudy') query.modalities = modalitiesOf(value);
    else if (!NOT_MATCHING.has(name)) ignored.add(name.slice(0, 64));
  }
  return { query, ignored: [...ignored] };
}
