/**
 * The migrations a server applies as it starts. Replicas often start together: only one may hold the
 * maintenance lease, so the others wait for it instead of failing, and a replica started while another runs a
 * long task (a backup) starts at once when nothing is pending: it asks whether anything is pending before it
 * asks for the lease.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { OperationOutcomeError } from '../fhir/outcomes.js';
import type { MaintenanceDeps } from './maintenance-deps.js';
import { MIGRATIONS, migrationStatus } from './migrations.js';
import { runTask } from './run-task.js';

const RETRY_MS = 1000;
const LOG_EVERY_MS = 30_000;

export async function migrateAtStart(deps: MaintenanceDeps): Promise<void> {
  let loggedAt = 0;
  for (;;) {
    if ((await migrationStatus(deps.store, MIGRATIONS)).every((m) => m.applied !== null)) return;
    try {
      await runTask(deps, 'migrate');
      return;
    } catch (err) {
      if (!(err instanceof OperationOutcomeError && err.status === 409)) throw err;
      if (Date.now() - loggedAt >= LOG_EVERY_MS) {
        loggedAt = Date.now();
        deps.logger?.info({ reason: err.message }, 'migrations pending; waiting for the maintenance lease');
      }
      await sleep(RETRY_MS);
    }
  }
}
