/**
 * The CapabilityStatement at `GET /metadata`: every resource type with the interactions and the search
 * parameters this server answers (from the same definitions the search engine uses), and the operations
 * registered (an operation appears only once it works).
 * @see https://hl7.org/fhir/R4/capabilitystatement.html
 */
import type { CapabilityStatement, CapabilityStatementRestResource } from 'fhir/r4.js';
import { resourceTypes, searchParametersFor } from '../../search/search-parameters.js';
import type { FhirContext } from './types.js';

const VERSION = '0.1.0';
const INTERACTIONS = ['read', 'vread', 'update', 'patch', 'delete', 'history-instance', 'history-type', 'create', 'search-type'] as const;

function restResource(type: string): CapabilityStatementRestResource {
  const searchParam = [...searchParametersFor(type).values()]
    .filter((p) => p.type !== 'composite' && p.type !== 'special')
    .map((p) => ({ name: p.code, definition: p.url, type: p.type as 'token' }));
  return {
    type: type as CapabilityStatementRestResource['type'],
    interaction: INTERACTIONS.map((code) => ({ code })),
    versioning: 'versioned',
    readHistory: true,
    updateCreate: true,
    conditionalCreate: true,
    conditionalUpdate: true,
    conditionalDelete: 'single',
    searchParam,
  };
}

let cachedResources: CapabilityStatementRestResource[] | undefined;

export function capabilityStatement(ctx: FhirContext): CapabilityStatement {
  cachedResources ??= resourceTypes().map(restResource);
  const operation = [...ctx.operations.values()].map((op) => ({ name: op.code, definition: `${ctx.baseUrl}/OperationDefinition/${op.code}` }));
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: new Date().toISOString(),
    kind: 'instance',
    software: { name: 'medgen-data', version: VERSION },
    implementation: { description: 'medgen-data FHIR R4 server', url: ctx.baseUrl },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    patchFormat: ['application/json-patch+json'],
    rest: [
      {
        mode: 'server',
        resource: cachedResources,
        interaction: [{ code: 'transaction' }, { code: 'batch' }, { code: 'history-system' }],
        ...(operation.length > 0 ? { operation } : {}),
      },
    ],
  };
}
