/** The job manager with every kind of job this server runs, looking for work (its own and other processes'). */
import path from 'node:path';
import type { Config } from '../config.js';
import { exportWorker } from '../export/export-job.js';
import type { FileStore } from '../files/file-store.js';
import { generateWorker } from '../generate/generate-job.js';
import { importWorker } from '../import/import-job.js';
import type { Logger } from '../logger.js';
import type { StoreConfig } from '../maintenance/maintenance-deps.js';
import { maintenanceWorker } from '../maintenance/maintenance-worker.js';
import type { ResourceStore } from '../store/resource-store.js';
import { JobManager } from './job-manager.js';

/** The job settings of Config; a host app that leaves them out gets the defaults. */
export type JobConfig = StoreConfig & Partial<Pick<Config, 'jobConcurrency' | 'jobLeaseMs' | 'jobRetentionDays' | 'deidKey'>>;

export function createJobManager(options: { fileStore: FileStore; store: ResourceStore; config: JobConfig; logger: Logger }): JobManager {
  const { fileStore, store, config, logger } = options;
  const workers = {
    import: importWorker(store, logger),
    generate: generateWorker(store, logger),
    maintenance: maintenanceWorker(store, config, logger),
    export: exportWorker(store, config.deidKey),
  };
  const jobs = new JobManager({
    store,
    files: fileStore,
    scratch: path.join(config.dataDir, 'scratch', 'jobs'),
    workers,
    logger,
    concurrency: config.jobConcurrency,
    leaseMs: config.jobLeaseMs,
    retentionDays: config.jobRetentionDays,
  });
  jobs.start();
  return jobs;
}
