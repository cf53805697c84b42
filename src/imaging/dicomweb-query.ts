/**
 * QIDO-RS over the store: the ImagingStudy resources written by $enhance-imaging are the index, so a query
 * is a FHIR search (by patient, by identifier) and never a scan of the files.
 * @see https://dicom.nema.org/medical/dicom/current/output/chtml/part18/sect_10.6.html (QIDO-RS)
 */
import type { DicomJsonDataset } from 'dcmjs';
import type { ImagingStudy, Patient } from 'fhir/r4.js';
import { badRequest, notFound, OperationOutcomeError } from '../fhir/outcomes.js';
import { parseSearchQuery } from '../search/parse-query.js';
import type { ResourceStore } from '../store/resource-store.js';
import { checkUid } from './dicom-files.js';
import { instanceJson, seriesJson, studyJson } from './dicomweb-json.js';
import { DCM } from './imaging-study-resource.js';

export interface StudyQuery {
  patientId?: string;
  studyUid?: string;
  /** StudyDate bounds, inclusive days (YYYY-MM-DD, UTC as the files' StudyDate is). */
  studyDate?: { from?: string; to?: string };
  /** ModalitiesInStudy: a study matches when it has any of these. */
  modalities?: string[];
  limit: number;
  offset: number;
}

/** FHIR ids: a DICOM PatientID outside this syntax cannot name one of our patients. */
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

/** `limit` and `offset` (PS3.18 8.3.4.4) as non-negative integers; 400 otherwise. */
export function pagingOf(query: URLSearchParams): { limit: number; offset: number } {
  const number = (name: string, fallback: number) => {
    const raw = query.get(name);
    if (raw === null) return fallback;
    if (!/^\d{1,9}$/.test(raw)) throw badRequest(`${name} must be a non-negative integer`, name);
    return Number(raw);
  };
  return { limit: Math.min(number('limit', 100), 1000), offset: number('offset', 0) };
}

async function searchStudies(store: ResourceStore, q: StudyQuery): Promise<ImagingStudy[]> {
  const params = new URLSearchParams({ _count: String(q.limit), _sort: 'started' });
  if (q.patientId !== undefined) {
    if (!FHIR_ID.test(q.patientId)) return [];
    params.set('patient', `Patient/${q.patientId}`);
  }
  if (q.studyUid !== undefined) params.set('identifier', `urn:dicom:uid|urn:oid:${checkUid(q.studyUid, 'StudyInstanceUID')}`);
  if (q.studyDate?.from) params.append('started', `ge${q.studyDate.from}`);
  if (q.studyDate?.to) params.append('started', `le${q.studyDate.to}`);
  if (q.modalities) params.set('modality', q.modalities.map((code) => `${DCM}|${code}`).join(','));
  const { query } = parseSearchQuery('ImagingStudy', params, { strict: true });
  return (await store.search({ ...query, offset: q.offset })).resources as unknown as ImagingStudy[];
}

async function patientOf(store: ResourceStore, study: ImagingStudy, cache: Map<string, Patient & { id: string }>) {
  const id = /^Patient\/([A-Za-z0-9\-.]{1,64})$/.exec(study.subject.reference ?? '')?.[1];
  if (!id) return undefined;
  if (!cache.has(id)) {
    const patient = await store.read('Patient', id).catch((err) => (err instanceof OperationOutcomeError ? undefined : Promise.reject(err)));
    if (patient) cache.set(id, patient as unknown as Patient & { id: string });
  }
  return cache.get(id);
}

export async function queryStudies(store: ResourceStore, q: StudyQuery, base: string): Promise<DicomJsonDataset[]> {
  const cache = new Map<string, Patient & { id: string }>();
  const out: DicomJsonDataset[] = [];
  for (const study of await searchStudies(store, q)) out.push(studyJson(study, await patientOf(store, study, cache), base));
  return out;
}

/** The one ImagingStudy with this Study Instance UID; 404 when there is none. */
export async function studyByUid(store: ResourceStore, studyUid: string): Promise<ImagingStudy> {
  const [study] = await searchStudies(store, { studyUid, limit: 1, offset: 0 });
  if (!study) throw notFound(`No study ${studyUid}`);
  return study;
}

export async function querySeries(store: ResourceStore, studyUid: string, base: string): Promise<DicomJsonDataset[]> {
  const study = await studyByUid(store, studyUid);
  return (study.series ?? []).map((s) => seriesJson(study, s, base));
}

export async function queryInstances(store: ResourceStore, studyUid: string, seriesUid: string, base: string): Promise<DicomJsonDataset[]> {
  const study = await studyByUid(store, studyUid);
  const series = study.series?.find((s) => s.uid === checkUid(seriesUid, 'SeriesInstanceUID'));
  if (!series) throw notFound(`No series ${seriesUid} in study ${studyUid}`);
  return (series.instance ?? []).map((i) => instanceJson(study, series, i, base));
}
