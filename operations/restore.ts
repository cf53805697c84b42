/**
 * `POST [base]/$restore` (`backup` = id, `replace` boolean): checks the id's shape at once (400) and
 * restores as a job; an unknown id (404), verification and the empty-store check fail the job before any
 * write, with the OperationOutcome in the job record.
 */
import type { OperationDefinition } from 'fhir/r4.js';
import { badRequest } from '../src/fhir/outcomes.js';
import type { FhirOperation } from '../src/fhir/rest/operation.js';
import type { FhirContext, FhirRequest, FhirResponse } from '../src/fhir/rest/types.js';
import { assertBackupId } from '../src/maintenance/backup-ids.js';
import { parameter, submitMaintenance } from './maintenance.js';

const definition: OperationDefinition = {
  resourceType: 'OperationDefinition',
  id: 'restore',
  url: 'urn:medgen-data:OperationDefinition/restore',
  name: 'Restore',
  status: 'active',
  kind: 'operation',
  code: 'restore',
  affectsState: true,
  system: true,
  type: false,
  instance: false,
  description: 'Restores a full backup and its incrementals up to the given id into an empty store (or replaces the content when asked).',
  parameter: [
    { name: 'backup', use: 'in', min: 1, max: '1', type: 'string', documentation: 'backup id, e.g. 20240102T030405678Z-full' },
    { name: 'replace', use: 'in', min: 0, max: '1', type: 'boolean', documentation: 'empty a store with content first instead of refusing' },
  ],
};

async function handler(ctx: FhirContext, req: FhirRequest): Promise<FhirResponse> {
  if (req.method !== 'POST') throw badRequest('$restore takes POST');
  const id = assertBackupId(parameter(req, 'backup'));
  return submitMaintenance(ctx, { task: 'restore', backup: id, replace: [true, 'true'].includes(parameter(req, 'replace') as never) });
}

export const restoreOperation: FhirOperation = { code: 'restore', definition, handler };
