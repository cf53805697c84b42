/**
 * QIDO-RS over the store: the ImagingStudy resources written by $enhance-imaging are the index, so a query
 * is a FHIR search (narrowed by the study keys FHIR can express: patient, identifier, started, modality) whose
 * studies are then answered as DICOM JSON and matched key by key; the files are never scanned. Paging counts
 * matches, so the store is read in chunks until `offset + limit` of them are found, and then until one more
 * is, so the answer can say there are more (PS3.18 asks for a 299 Warning then).
 * @see https://dicom.nema.org/medical/dicom/current/output/chtml/part18/sect_10.6.html (QIDO-RS)
 */
import type { DicomJsonDataset } from 'dcmjs';
import type { ImagingStudy, Patient } from 'fhir/r4.js';
import { notFound, OperationOutcomeError } from '../fhir/outcomes.js';
import { parseSearchQuery } from '../search/parse-query.js';
import type { ResourceStore } from '../store/resource-store.js';
import { checkUid } from './dicom-files.js';
import { instanceJson, seriesJson, studyJson } from './dicomweb-json.js';
import type { QidoQuery } from './qido-keys.js';

/** Studies read from the store per round while looking for matches. */
const CHUNK = 200;

/** Every ImagingStudy the FHIR-expressible keys allow, oldest first, read a chunk at a time. */
async function* candidateStudies(store: ResourceStore, q: Pick<QidoQuery, 'matchers'>): AsyncGenerator<ImagingStudy> {
  const params = new URLSearchParams({ _count: String(CHUNK), _sort: 'started' });
  for (const m of q.matchers) for (const [name, value] of m.fhir ?? []) params.append(name, value);
  const { query } = parseSearchQuery('ImagingStudy', params, { strict: true });
  for (let offset = 0; ; offset += CHUNK) {
    const { resources } = await store.search({ ...query, offset });
    for (const r of resources) yield r as unknown as ImagingStudy;
    if (resources.length < CHUNK) return;
  }
}

type PatientCache = Map<string, (Patient & { id: string }) | undefined>;

async function patientOf(store: ResourceStore, study: ImagingStudy, cache: PatientCache) {
  const id = /^Patient\/([A-Za-z0-9\-.]{1,64})$/.exec(study.subject.reference ?? '')?.[1];
  if (!id) return undefined;
  if (!cache.has(id)) {
    const patient = await store.read('Patient', id).catch((err) => (err instanceof OperationOutcomeError ? undefined : Promise.reject(err)));
    cache.set(id, patient as unknown as (Patient & { id: string }) | undefined);
  }
  return cache.get(id);
}

/** Which datasets one study contributes to the answer (study, each series, or each instance). */
type Expand = (study: ImagingStudy, studyDataset: DicomJsonDataset) => DicomJsonDataset[];

/** A page of matches, and whether more match beyond it. */
export interface QidoPage {
  datasets: DicomJsonDataset[];
  more: boolean;
}

/** The page of matching datasets: every matcher holds, `offset` skipped, at most `limit` kept. */
async function page(store: ResourceStore, q: QidoQuery, studies: AsyncIterable<ImagingStudy>, base: string, expand: Expand): Promise<QidoPage> {
  const cache: PatientCache = new Map();
  const datasets: DicomJsonDataset[] = [];
  let skip = q.offset;
  for await (const study of studies) {
    const studyDataset = studyJson(study, await patientOf(store, study, cache), base);
    for (const dataset of expand(study, studyDataset)) {
      if (!q.matchers.every((m) => m.matches(dataset))) continue;
      if (skip > 0) skip--;
      else if (datasets.length === q.limit) return { datasets, more: true };
      else datasets.push(dataset);
    }
  }
  return { datasets, more: false };
}

async function* just(study: ImagingStudy): AsyncGenerator<ImagingStudy> {
  yield study;
}

const seriesOf = (base: string, withStudy: boolean): Expand => (study, studyDataset) =>
  (study.series ?? []).map((s) => ({ ...(withStudy ? studyDataset : {}), ...seriesJson(study, s, base) }));

const instancesOf = (base: string, withStudy: boolean, seriesUid?: string): Expand => (study, studyDataset) =>
  (study.series ?? [])
    .filter((s) => seriesUid === undefined || s.uid === seriesUid)
    .flatMap((s) => {
      const series = seriesJson(study, s, base);
      return (s.instance ?? []).map((i) => ({ ...(withStudy ? studyDataset : {}), ...series, ...instanceJson(study, s, i, base) }));
    });

export async function queryStudies(store: ResourceStore, q: QidoQuery, base: string): Promise<QidoPage> {
  return page(store, q, candidateStudies(store, q), base, (_, dataset) => [dataset]);
}

/** The one ImagingStudy with this Study Instance UID; 404 when there is none. */
export async function studyByUid(store: ResourceStore, studyUid: string): Promise<ImagingStudy> {
  const params = new URLSearchParams({ _count: '1', identifier: `urn:dicom:uid|urn:oid:${checkUid(studyUid, 'StudyInstanceUID')}` });
  const [study] = (await store.search(parseSearchQuery('ImagingStudy', params, { strict: true }).query)).resources as unknown as ImagingStudy[];
  if (!study) throw notFound(`No study ${studyUid}`);
  return study;
}

/** Series of one study (`/studies/{s}/series`, series attributes only) or of all studies (`/series`, with the study's). */
export async function querySeries(store: ResourceStore, q: QidoQuery, base: string, studyUid?: string): Promise<QidoPage> {
  if (studyUid === undefined) return page(store, q, candidateStudies(store, q), base, seriesOf(base, true));
  return page(store, q, just(await studyByUid(store, studyUid)), base, seriesOf(base, false));
}

/**
 * Instances of one series (instance and series attributes), of one study, or of all studies (both with the
 * study's attributes too, as PS3.18 10.6.3.3 lists for those queries).
 */
export async function queryInstances(store: ResourceStore, q: QidoQuery, base: string, studyUid?: string, seriesUid?: string): Promise<QidoPage> {
  if (studyUid === undefined) return page(store, q, candidateStudies(store, q), base, instancesOf(base, true));
  const study = await studyByUid(store, studyUid);
  if (seriesUid !== undefined && !study.series?.some((s) => s.uid === checkUid(seriesUid, 'SeriesInstanceUID'))) throw notFound(`No series ${seriesUid} in study ${studyUid}`);
  return page(store, q, just(study), base, instancesOf(base, seriesUid === undefined, seriesUid));
}
