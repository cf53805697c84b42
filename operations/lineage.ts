/**
 * `GET [base]/$lineage?target=Type/id`: where a resource came from, version by version, oldest first: the job
 * or REST request that wrote each version, the input file and its SHA-256, the activity and the Provenance
 * (src/lineage/lineage-chain.ts). 400 for a missing or malformed target, 404 for a resource that never existed.
 */
import type { OperationDefinition } from 'fhir/r4.js';
import { isValidId } from '../src/fhir/ids.js';
import { badRequest } from '../src/fhir/outcomes.js';
import type { FhirOperation, OperationTarget } from '../src/fhir/rest/operation.js';
import type { FhirContext, FhirRequest, FhirResponse } from '../src/fhir/rest/types.js';
import { lineageChain } from '../src/lineage/lineage-chain.js';
import { isKnownResourceType } from '../src/search/search-parameters.js';

const definition: OperationDefinition = {
  resourceType: 'OperationDefinition',
  id: 'lineage',
  url: 'urn:medgen-data:OperationDefinition/lineage',
  name: 'Lineage',
  status: 'active',
  kind: 'operation',
  code: 'lineage',
  affectsState: false,
  system: true,
  type: false,
  instance: false,
  description: 'The lineage of a resource: for each version, oldest first, the job or request that wrote it, the input file and its SHA-256, the activity and the Provenance.',
  parameter: [
    { name: 'target', use: 'in', min: 1, max: '1', type: 'string', documentation: 'The resource, as Type/id' },
    { name: 'target', use: 'out', min: 1, max: '1', type: 'Reference', documentation: 'The resource' },
    {
      name: 'version',
      use: 'out',
      min: 1,
      max: '*',
      documentation: 'One per version, oldest first',
      part: [
        { name: 'versionId', use: 'out', min: 1, max: '1', type: 'id' },
        { name: 'lastUpdated', use: 'out', min: 1, max: '1', type: 'instant' },
        { name: 'deleted', use: 'out', min: 0, max: '1', type: 'boolean', documentation: 'true for a deletion' },
        { name: 'source', use: 'out', min: 0, max: '1', type: 'uri', documentation: 'The version\'s meta.source' },
        { name: 'job', use: 'out', min: 0, max: '1', type: 'string', documentation: 'The id of the job that wrote it' },
        { name: 'request', use: 'out', min: 0, max: '1', type: 'string', documentation: 'The id of the REST request that wrote it' },
        { name: 'activity', use: 'out', min: 0, max: '1', type: 'Coding', documentation: 'What the job did (v3-DataOperation, or merge and cleanup)' },
        { name: 'file', use: 'out', min: 0, max: '1', type: 'string', documentation: 'The input file (request-body for a request body)' },
        { name: 'sha256', use: 'out', min: 0, max: '1', type: 'string', documentation: 'The input file\'s SHA-256, hex' },
        { name: 'position', use: 'out', min: 0, max: '1', type: 'string', documentation: 'entry-N (Bundle entry) or line-N (NDJSON line) in the file' },
        { name: 'parameters', use: 'out', min: 0, max: '1', type: 'string', documentation: 'The job\'s parameters, JSON' },
        { name: 'provenance', use: 'out', min: 0, max: '1', type: 'Reference', documentation: 'The Provenance covering this version' },
      ],
    },
  ],
};

const TARGET = /^([A-Za-z]{1,64})\/([^/]+)$/;

function parseTarget(req: FhirRequest): { resourceType: string; id: string } {
  const values = req.query.getAll('target');
  if (values.length === 0 || values[0] === '') throw badRequest('$lineage needs target=Type/id', 'target');
  if (values.length > 1) throw badRequest('$lineage takes one target', 'target');
  const match = TARGET.exec(values[0]);
  if (!match || !isKnownResourceType(match[1]) || !isValidId(match[2])) throw badRequest(`target must be Type/id of a resource, not "${values[0].slice(0, 80)}"`, 'target');
  return { resourceType: match[1], id: match[2] };
}

async function handler(ctx: FhirContext, req: FhirRequest, target: OperationTarget): Promise<FhirResponse> {
  if (req.method !== 'GET' && req.method !== 'HEAD') throw badRequest('$lineage takes GET');
  if (target.resourceType !== undefined) throw badRequest('$lineage runs on the system: GET [base]/$lineage?target=Type/id');
  const { resourceType, id } = parseTarget(req);
  return { status: 200, body: await lineageChain(ctx.store, resourceType, id) };
}

export const lineageOperation: FhirOperation = { code: 'lineage', definition, handler };
