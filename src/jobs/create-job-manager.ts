/** The job manager with every kind of job this server runs, resuming what a previous process left. */
import type { FileArea } from '../files/file-area.js';
import { generateWorker } from '../generate/generate-job.js';
import { importWorker } from '../import/import-job.js';
import type { Logger } from '../logger.js';
import type { StoreConfig } from '../maintenance/maintenance-deps.js';
import { maintenanceWorker } from '../maintenance/maintenance-worker.js';
import type { ResourceStore } from '../store/resource-store.js';
import { JobManager } from './job-manager.js';

export function createJobManager(options: { files: FileArea; store: ResourceStore; config: StoreConfig; logger: Logger }): JobManager {
  const { files, store, config, logger } = options;
  const workers = {
    import: importWorker(store, logger),
    generate: generateWorker(store, logger),
    maintenance: maintenanceWorker(store, config, logger),
  };
  const jobs = new JobManager(files, workers, logger);
  jobs.resume();
  return jobs;
}
