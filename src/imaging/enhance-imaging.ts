/**
 * The $enhance-imaging worker: for each Condition the imaging table names, plan the study, write its DICOM
 * files (only those missing), then put the ImagingStudy merged over any existing one. Plans are
 * deterministic, so a second run finds every file present and every resource unchanged; a patient with a
 * new Condition gets exactly one new study. The HTTP operation, the CLI and `full` all call this.
 * @see ../../shared/SPEC.md ($enhance-imaging)
 */
import type { Resource } from 'fhir/r4.js';
import type { FileStore } from '../files/file-store.js';
import type { ResourceStore, StoredResource, WriteOp } from '../store/resource-store.js';
import { OperationOutcomeError } from '../fhir/outcomes.js';
import { jobLineage, type JobLineage, type LineageOption } from '../lineage/job-lineage.js';
import { dicomwebEndpoint } from './endpoint-resource.js';
import { candidatesOfAll, candidatesOfPatient, type Candidate } from './imaging-candidates.js';
import { imagingStudyResource } from './imaging-study-resource.js';
import { planStudy } from './study-plan.js';
import { loadStudyTable, type StudyTable } from './study-table.js';
import { writeStudyFiles } from './write-study.js';

export interface EnhanceImagingOptions {
  store: ResourceStore;
  /** Where the DICOM files go (MEDGEN_FILES_URL): the data folder or a bucket. */
  fileStore: FileStore;
  /** The DICOMweb root the Endpoint points at, e.g. `http://127.0.0.1:8080/dicomweb`. */
  dicomwebBaseUrl: string;
  /** Only this patient (404 OperationOutcomeError when unknown); all patients otherwise. */
  patientId?: string;
  table?: StudyTable;
  /** Called after each patient with the running totals. */
  onProgress?: (result: EnhanceImagingResult) => void;
  /** The job this run is (meta.source and Provenance name it; a fresh `cli-<run id>` when absent); `false`: no lineage. */
  lineage?: LineageOption;
}

export interface EnhanceImagingResult {
  /** Patients with at least one Condition that calls for imaging. */
  patients: number;
  /** ImagingStudy resources by what the write did. */
  created: number;
  updated: number;
  unchanged: number;
  series: number;
  instances: number;
  /** DICOM files written in this run (0 on a re-run) and their size. */
  filesWritten: number;
  bytesWritten: number;
}

/** The stored version without what the store owns, so a merge compares content only. */
function content(resource: StoredResource): Resource {
  const { meta: _meta, ...rest } = resource;
  return rest as Resource;
}

async function existing(store: ResourceStore, id: string): Promise<StoredResource | undefined> {
  return store.read('ImagingStudy', id).catch((err) => {
    if (err instanceof OperationOutcomeError && (err.status === 404 || err.status === 410)) return undefined;
    throw err;
  });
}

async function enhancePatient(options: EnhanceImagingOptions, table: StudyTable, candidates: Candidate[], result: EnhanceImagingResult, lineage: JobLineage | undefined): Promise<void> {
  const ops: WriteOp[] = [];
  const seen = new Set<string>();
  for (const { patient, condition, encounter } of candidates) {
    const plan = planStudy(table, patient, condition, encounter);
    if (!plan || seen.has(plan.id)) continue;
    seen.add(plan.id);
    const written = await writeStudyFiles(options.fileStore, plan);
    result.filesWritten += written.files;
    result.bytesWritten += written.bytes;
    const ours = imagingStudyResource(plan);
    const before = await existing(options.store, ours.id);
    const merged = before ? { ...content(before), ...ours } : ours;
    ops.push({ op: 'put', resource: lineage ? lineage.stamp(merged) : merged });
    result.series += ours.numberOfSeries ?? 0;
    result.instances += ours.numberOfInstances ?? 0;
  }
  if (ops.length === 0) return;
  result.patients += 1;
  const results = await options.store.write(ops);
  for (const r of results) {
    if (r.status === 'failed') throw new OperationOutcomeError(r.error?.status ?? 500, r.error!.outcome);
    if (r.status === 'created' || r.status === 'updated' || r.status === 'unchanged') result[r.status] += 1;
  }
  await lineage?.record(options.store, results);
}

export async function enhanceImaging(options: EnhanceImagingOptions): Promise<EnhanceImagingResult> {
  const table = options.table ?? loadStudyTable();
  const result: EnhanceImagingResult = { patients: 0, created: 0, updated: 0, unchanged: 0, series: 0, instances: 0, filesWritten: 0, bytesWritten: 0 };
  const { store } = options;
  const batches = options.patientId === undefined ? candidatesOfAll(store, table) : [await candidatesOfPatient(store, table, options.patientId)];
  const lineage = jobLineage('enhance-imaging', options.lineage === false ? false : { parameters: { patient: options.patientId ?? null }, ...options.lineage });
  let endpointWritten = false;
  for await (const candidates of batches) {
    if (candidates.length > 0 && !endpointWritten) {
      const endpoint = dicomwebEndpoint(options.dicomwebBaseUrl);
      const written = await store.update(lineage ? lineage.stamp(endpoint) : endpoint);
      await lineage?.record(store, [{ index: 0, ...written }]);
      endpointWritten = true;
    }
    await enhancePatient(options, table, candidates, result, lineage);
    options.onProgress?.(result);
  }
  return result;
}
