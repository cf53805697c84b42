/**
 * The `export` job worker: a Bulk Data export (run-export.ts) into the job's folder, its files the job's output.
 * `deidKey` (MEDGEN_DEID_KEY) de-identifies the exports that ask for it.
 */
import type { JobWorker } from '../jobs/job-types.js';
import type { ResourceStore } from '../store/resource-store.js';
import type { ExportRequest } from './export-request.js';
import { runExport } from './run-export.js';

export function exportWorker(store: ResourceStore, deidKey?: string): JobWorker {
  return async (run) => {
    const request = run.record.params.export as ExportRequest;
    const result = await runExport({ store, request, dir: run.dir, signal: run.signal, progress: run.progress, deidKey });
    return { counts: result.counts, output: result.output, deleted: request.since === undefined ? undefined : result.deleted, transactionTime: result.transactionTime };
  };
}
