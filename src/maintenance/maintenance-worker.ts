/**
 * The `maintenance` job kind: runs one task (run-task.ts) for `$maintenance`, `$backup`, `$restore` and
 * the schedules, writing the task's full result as `result.json` in the job folder. The job record keeps
 * start, end, status and the task's counts, which is how runs are recorded and seen at /fhir/_jobs/{id}.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { JobWorker } from '../jobs/job-types.js';
import type { Logger } from '../logger.js';
import type { ResourceStore } from '../store/resource-store.js';
import type { StoreConfig } from './maintenance-deps.js';
import { assertTask, runTask } from './run-task.js';

export function maintenanceWorker(store: ResourceStore, config: StoreConfig, logger?: Logger): JobWorker {
  return async (run) => {
    const { task, ...params } = run.record.params;
    const outcome = await runTask({ store, config, logger, signal: run.signal, progress: run.progress, jobId: run.record.id }, assertTask(task), params);
    fs.writeFileSync(path.join(run.dir, 'result.json'), JSON.stringify(outcome));
    return { counts: { task: outcome.task, ...outcome.counts }, output: [{ type: 'Parameters', file: 'result.json' }] };
  };
}
