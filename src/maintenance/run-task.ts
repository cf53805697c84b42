/**
 * The maintenance tasks by name, each one function, run under the maintenance lock. The CLI, the
 * `$maintenance` job and the cron schedules all call `runTask`, so they behave the same and never overlap.
 * A task stops through `deps.signal`, which is aborted when its job is cancelled or its lease is lost.
 */
import { badRequest } from '../fhir/outcomes.js';
import { DEFAULT_MATCH_THRESHOLDS } from '../match/match-grade.js';
import { qualityReport, qualityReportFiles } from '../report/quality-report.js';
import { validateAll, validationReportFiles } from '../validation/validate-all.js';
import { parseBackupType } from './backup-ids.js';
import { saveReports } from './report-files.js';
import { cleanupOrphans } from './cleanup-orphans.js';
import { dedupePatients } from './dedupe-patients.js';
import type { MaintenanceDeps } from './maintenance-deps.js';
import { runMigrations } from './migrations.js';
import { restoreBackup } from './restore-backup.js';
import { runBackup } from './run-backup.js';
import { acquireLock, type LeaseTiming } from './task-lock.js';

/** Tasks `$maintenance` and the schedules accept (restore is CLI / `$restore` only). */
export const MAINTENANCE_TASKS = ['validate', 'cleanup-orphans', 'dedupe', 'statistics', 'migrate', 'backup'] as const;
export type MaintenanceTask = (typeof MAINTENANCE_TASKS)[number] | 'restore';

type Params = Record<string, unknown>;
type TaskFn = (deps: MaintenanceDeps, params: Params) => Promise<{ result: unknown; counts: Record<string, number> }>;

const TASKS: Record<MaintenanceTask, TaskFn> = {
  validate: async (deps) => {
    const report = await validateAll(deps.store);
    const r = { ...report, files: await saveReports(deps, validationReportFiles(report)) };
    return { result: r, counts: { resources: r.resources, errors: r.errors, warnings: r.warnings } };
  },
  'cleanup-orphans': async (deps, p) => {
    const r = await cleanupOrphans(deps.store, { dryRun: p.dryRun === true, signal: deps.signal, lineage: { jobId: deps.jobId, parameters: p } });
    return { result: r, counts: { orphans: r.orphans.length, deleted: r.deleted } };
  },
  dedupe: async (deps, p) => {
    const { matchThreshold = DEFAULT_MATCH_THRESHOLDS.match, possibleMatchThreshold = DEFAULT_MATCH_THRESHOLDS.possible } = deps.config;
    const r = await dedupePatients(deps.store, { dryRun: p.dryRun === true, signal: deps.signal, thresholds: { match: matchThreshold, possible: possibleMatchThreshold }, lineage: { jobId: deps.jobId, parameters: p } });
    return { result: r, counts: { merges: r.merges.length, repointed: r.repointed, review: r.review.length, sharedIdentifiers: r.sharedIdentifiers.length } };
  },
  statistics: async (deps) => {
    const r = await qualityReport(deps.store);
    const files = await saveReports(deps, qualityReportFiles(r));
    return { result: { ...r, files }, counts: { resources: r.resources, patients: r.demographics.patients } };
  },
  migrate: async (deps) => {
    const r = await runMigrations(deps);
    return { result: r, counts: { applied: r.applied.length } };
  },
  backup: async (deps, p) => {
    const r = await runBackup(deps, { type: parseBackupType(p.type), keep: p.keep as number | undefined });
    return { result: { ...r.manifest, removed: r.removed }, counts: { versions: r.manifest.counts.versions, resources: r.manifest.counts.current } };
  },
  restore: async (deps, p) => {
    const r = await restoreBackup(deps, { id: p.backup as string, replace: p.replace === true });
    return { result: r, counts: { versions: r.versions } };
  },
};

export function assertTask(task: unknown): MaintenanceTask {
  if (typeof task === 'string' && task in TASKS) return task as MaintenanceTask;
  throw badRequest(`Unknown maintenance task ${JSON.stringify(task)}: use ${MAINTENANCE_TASKS.join(' | ')}`, 'task');
}

export interface TaskOutcome {
  task: MaintenanceTask;
  started: string;
  finished: string;
  result: unknown;
  counts: Record<string, number>;
}

/**
 * Runs one task under the lock; 409 when another task holds it. Rejects with the lease's error (409 lost to
 * another process, 503 not renewable) when the lease failed while the task ran; a task that finished first
 * keeps its outcome.
 */
export async function runTask(deps: MaintenanceDeps, task: MaintenanceTask, params: Params = {}, timing?: LeaseTiming): Promise<TaskOutcome> {
  const fn = TASKS[assertTask(task)];
  const lease = await acquireLock(deps.store, task, timing);
  const signal = deps.signal ? AbortSignal.any([deps.signal, lease.signal]) : lease.signal;
  const started = new Date().toISOString();
  try {
    const { result, counts } = await fn({ ...deps, signal }, params);
    return { task, started, finished: new Date().toISOString(), result, counts };
  } catch (err) {
    // However the task noticed the abort (or failed on its way out), the lost lease is why it stopped.
    throw lease.signal.aborted ? lease.signal.reason : err;
  } finally {
    await lease.release();
  }
}
