/**
 * The `generate` job worker (`$generate` over the synchronous limit, or with engine=synthea): writes the
 * population into the job folder (the built-in engine's files, or Synthea's `fhir/` files moved up, since
 * a job file is addressed by one name) and lists each file in the manifest; with `import=true` it then
 * imports them strictly. A resumed job regenerates the same files from its saved parameters (the reference
 * date is among them) and import keeps ids, so a re-run ends in the same state. With `duplicates` the manifest
 * also lists the ground truth, `duplicates.csv` (type `ground-truth`), which is not imported.
 */
import fs from 'node:fs';
import path from 'node:path';
import { importFiles } from '../import/import-files.js';
import type { JobResult, JobRun, JobWorker } from '../jobs/job-types.js';
import type { Logger } from '../logger.js';
import type { ResourceStore } from '../store/resource-store.js';
import type { GenerateOptions } from './options.js';
import { runSynthea } from './synthea-runner.js';
import { writePopulation } from './write-population.js';

export interface GenerateJobParams extends GenerateOptions {
  engine: 'builtin' | 'synthea';
  import: boolean;
}

async function generate(run: JobRun, p: GenerateJobParams, logger: Logger): Promise<{ files: string[]; counts: Record<string, unknown>; groundTruth?: string }> {
  const { engine, import: _import, ...input } = p;
  if (engine === 'synthea') {
    const work = path.join(run.dir, 'synthea');
    fs.rmSync(work, { recursive: true, force: true });
    const result = await runSynthea(input, work, { signal: run.signal, onLog: (line) => logger.info({ job: run.record.id, synthea: line }, 'synthea') });
    for (const f of result.files) fs.renameSync(path.join(result.fhirDir, f), path.join(run.dir, f));
    fs.rmSync(work, { recursive: true, force: true });
    return { files: result.files, counts: { engine, files: result.files.length, seconds: result.seconds } };
  }
  const { files, outDir: _outDir, ...summary } = await writePopulation(input, run.dir, 'bundle', { signal: run.signal, onProgress: (done, total) => run.progress(done, total) });
  return { files, counts: { engine, ...summary }, groundTruth: summary.groundTruth };
}

export function generateWorker(store: ResourceStore, logger: Logger): JobWorker {
  return async (run): Promise<JobResult> => {
    const params = run.record.params as unknown as GenerateJobParams;
    const { files, counts, groundTruth } = await generate(run, params, logger);
    const output = files.map((file) => ({ type: 'Bundle', file }));
    if (groundTruth) output.push({ type: 'ground-truth', file: groundTruth });
    if (!params.import) return { counts, output };
    const imported = await importFiles(store, files.map((f) => path.join(run.dir, f)), { mode: 'strict', logger, signal: run.signal, onProgress: (done) => run.progress(done), lineage: { jobId: run.record.id, parameters: run.record.params } });
    for (const f of imported.failures) {
      const where = [f.file && path.basename(f.file), f.index !== undefined ? `entry ${f.index}` : undefined].filter(Boolean).join(' ');
      run.error({ ...f.outcome, issue: (f.outcome.issue ?? []).map((i) => ({ ...i, diagnostics: `${where}: ${i.diagnostics ?? ''}` })) });
    }
    const { created, updated, unchanged, failed, byType } = imported;
    return { counts: { ...counts, imported: { created, updated, unchanged, failed, byType } }, output };
  };
}
