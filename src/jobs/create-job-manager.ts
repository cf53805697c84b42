/** The job manager with every kind of job this server runs, resuming what a previous process left. */
import type { FileArea } from '../files/file-area.js';
import { importWorker } from '../import/import-job.js';
import type { Logger } from '../logger.js';
import type { ResourceStore } from '../store/resource-store.js';
import { JobManager } from './job-manager.js';

export function createJobManager(options: { files: FileArea; store: ResourceStore; logger: Logger }): JobManager {
  const jobs = new JobManager(options.files, { import: importWorker(options.store, options.logger) }, options.logger);
  jobs.resume();
  return jobs;
}
