/**
 * What every maintenance task is given: the store, where the data lives, and (for jobs) a way to report
 * progress and to be cancelled. The CLI, `POST /fhir/$maintenance` and the cron schedules build the same
 * object, so all three run the same code.
 */
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { ResourceStore } from '../store/resource-store.js';

/** The store's settings, where files and backups go (the data folder when left out), and dedupe's match thresholds (the defaults when left out). */
export type StoreConfig = Pick<Config, 'dataDir' | 'mongodbUri' | 'mongodbDb'> & Partial<Pick<Config, 'filesUrl' | 'backupUrl' | 'matchThreshold' | 'possibleMatchThreshold'>>;

export interface MaintenanceDeps {
  store: ResourceStore;
  config: StoreConfig;
  logger?: Logger;
  signal?: AbortSignal;
  progress?: (done: number, total?: number) => void;
  /** The job running the task: what the resources it writes name as their source (src/lineage); absent on the CLI. */
  jobId?: string;
}
