/**
 * `POST [base]/$maintenance` (`task` = validate | cleanup-orphans | dedupe | statistics | migrate | backup,
 * optional `dryRun`, `type`): checks the task at once (400 for an unknown one) and runs it as a job,
 * answering 202 with the job's Content-Location; the cron schedules submit the same job.
 */
import type { OperationDefinition, Parameters } from 'fhir/r4.js';
import { allOk, badRequest } from '../src/fhir/outcomes.js';
import type { FhirOperation } from '../src/fhir/rest/operation.js';
import type { FhirContext, FhirRequest, FhirResponse } from '../src/fhir/rest/types.js';
import { parseBackupType } from '../src/maintenance/backup-ids.js';
import { MAINTENANCE_TASKS, assertTask } from '../src/maintenance/run-task.js';

const definition: OperationDefinition = {
  resourceType: 'OperationDefinition',
  id: 'maintenance',
  url: 'urn:medgen-data:OperationDefinition/maintenance',
  name: 'Maintenance',
  status: 'active',
  kind: 'operation',
  code: 'maintenance',
  affectsState: true,
  system: true,
  type: false,
  instance: false,
  description: 'Runs a maintenance task as an asynchronous job; one task runs at a time.',
  parameter: [
    { name: 'task', use: 'in', min: 1, max: '1', type: 'code', documentation: MAINTENANCE_TASKS.join(' | ') },
    { name: 'dryRun', use: 'in', min: 0, max: '1', type: 'boolean', documentation: 'cleanup-orphans and dedupe: report only' },
    { name: 'type', use: 'in', min: 0, max: '1', type: 'code', documentation: 'backup: full | incremental | fhir | snapshot (the embedded SQLite store only)' },
  ],
};

/** A parameter from a Parameters body or the query string. */
export function parameter(req: FhirRequest, name: string): unknown {
  const body = req.body as Parameters | undefined;
  const p = body?.resourceType === 'Parameters' ? body.parameter?.find((x) => x.name === name) : undefined;
  return p?.valueCode ?? p?.valueString ?? p?.valueBoolean ?? p?.valueInteger ?? req.query.get(name) ?? undefined;
}

/** Submits a `maintenance` job and answers 202 with where to follow it. */
export async function submitMaintenance(ctx: FhirContext, params: Record<string, unknown>): Promise<FhirResponse> {
  const record = await ctx.jobs.submit('maintenance', params);
  return { status: 202, headers: { 'Content-Location': `${ctx.baseUrl}/_jobs/${record.id}` }, body: allOk(`Maintenance task ${String(params.task)} accepted as job ${record.id}`) };
}

async function handler(ctx: FhirContext, req: FhirRequest): Promise<FhirResponse> {
  if (req.method !== 'POST') throw badRequest('$maintenance takes POST');
  const task = assertTask(parameter(req, 'task'));
  if (task === 'restore') throw badRequest('Use $restore to restore a backup', 'task');
  const dryRun = [true, 'true'].includes(parameter(req, 'dryRun') as never);
  return submitMaintenance(ctx, { task, dryRun, ...(task === 'backup' ? { type: parseBackupType(parameter(req, 'type')) } : {}) });
}

export const maintenanceOperation: FhirOperation = { code: 'maintenance', definition, handler };
