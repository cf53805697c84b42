/**
 * The `import` job worker: re-reads the saved request body (NDJSON or one JSON document) and imports it,
 * writing each failure to the job's error file with where it happened.
 */
import type { JobWorker } from '../jobs/job-types.js';
import type { Logger } from '../logger.js';
import type { ResourceStore } from '../store/resource-store.js';
import { createImportContext } from './import-context.js';
import type { ImportFailure, ImportMode } from './import-types.js';
import { runImportOf } from './run-import.js';
import { summaryJson } from './summary-parameters.js';

function locate(f: ImportFailure) {
  const where = [f.file, f.index !== undefined ? `entry ${f.index}` : undefined, f.line !== undefined ? `line ${f.line}` : undefined].filter(Boolean).join(' ');
  return { ...f.outcome, issue: (f.outcome.issue ?? []).map((i) => ({ ...i, diagnostics: `${where}: ${i.diagnostics ?? ''}` })) };
}

export function importWorker(store: ResourceStore, logger: Logger): JobWorker {
  return async (run) => {
    const { mode, format, baseUrl } = run.record.params as { mode: ImportMode; format: 'ndjson' | 'json'; baseUrl?: string };
    const ctx = createImportContext({ store, mode, logger, baseUrl, signal: run.signal, lineage: { jobId: run.record.id, parameters: run.record.params } });
    ctx.tally.onFailure = (f) => run.error(locate(f));
    const summary = await runImportOf(ctx, { kind: format, path: run.inputPath! }, { onProgress: (done) => run.progress(done) });
    const { failures: _f, warnings: _w, ...counts } = summaryJson(summary);
    return { counts: { ...counts, warnings: summary.warnings.length } };
  };
}
