/** `POST [base]/$backup` (`type` = full | incremental | fhir | snapshot): a backup as a job (202 + Content-Location). */
import type { OperationDefinition } from 'fhir/r4.js';
import { badRequest } from '../src/fhir/outcomes.js';
import type { FhirOperation } from '../src/fhir/rest/operation.js';
import type { FhirContext, FhirRequest, FhirResponse } from '../src/fhir/rest/types.js';
import { parseBackupType } from '../src/maintenance/backup-ids.js';
import { parameter, submitMaintenance } from './maintenance.js';

const definition: OperationDefinition = {
  resourceType: 'OperationDefinition',
  id: 'backup',
  url: 'urn:medgen-data:OperationDefinition/backup',
  name: 'Backup',
  status: 'active',
  kind: 'operation',
  code: 'backup',
  affectsState: false,
  system: true,
  type: false,
  instance: false,
  description: 'Backs up the store: full (every version, gzip NDJSON per type, manifest with SHA-256), incremental, or fhir (one Bundle).',
  parameter: [{ name: 'type', use: 'in', min: 0, max: '1', type: 'code', documentation: 'full (default) | incremental | fhir' }],
};

async function handler(ctx: FhirContext, req: FhirRequest): Promise<FhirResponse> {
  if (req.method !== 'POST') throw badRequest('$backup takes POST');
  return submitMaintenance(ctx, { task: 'backup', type: parseBackupType(parameter(req, 'type')) });
}

export const backupOperation: FhirOperation = { code: 'backup', definition, handler };
