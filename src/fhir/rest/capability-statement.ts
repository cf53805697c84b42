/**
 * The CapabilityStatement at `GET /metadata`: every resource type with the interactions and the search
 * parameters this server answers (from the same definitions the search engine uses), and the operations
 * registered (an operation appears only once it works). `searchInclude` and `searchRevInclude` list the
 * reference parameters `_include`/`_revinclude` follow (parse-includes.ts accepts exactly these).
 * @see https://hl7.org/fhir/R4/capabilitystatement.html
 */
import type { CapabilityStatement, CapabilityStatementRestResource, CapabilityStatementRestResourceSearchParam } from 'fhir/r4.js';
import { resourceTypes, searchParametersFor } from '../../search/search-parameters.js';
import type { FhirContext } from './types.js';

const VERSION = '0.1.0';
const INTERACTIONS = ['read', 'vread', 'update', 'patch', 'delete', 'history-instance', 'history-type', 'create', 'search-type'] as const;

/** Reference parameters of a type that the search engine indexes (those an include can follow). */
function referenceParams(type: string) {
  return [...searchParametersFor(type).values()].filter((p) => p.type === 'reference' && p.expression !== '');
}

/** `S:param` for every reference parameter of any type S that may point at `type` (no targets: any type). */
function revIncludes(type: string): string[] {
  return resourceTypes().flatMap((source) =>
    referenceParams(source)
      .filter((p) => p.targets === undefined || p.targets.includes(type))
      .map((p) => `${source}:${p.code}`),
  );
}

/** Result parameters answered for every type, beside each type's own search parameters. */
const COMMON_PARAMS: CapabilityStatementRestResourceSearchParam[] = [
  { name: '_summary', type: 'token', documentation: 'true, text, data, count or false; on read too' },
  { name: '_elements', type: 'special', documentation: 'top-level element names; mandatory elements, id and meta are always kept' },
  { name: '_count', type: 'number' },
  { name: '_sort', type: 'special' },
];

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
    searchInclude: [`${type}:*`, ...referenceParams(type).map((p) => `${type}:${p.code}`)],
    searchRevInclude: revIncludes(type),
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
        compartment: ['patient', 'encounter', 'relatedPerson', 'practitioner', 'device'].map((c) => `http://hl7.org/fhir/CompartmentDefinition/${c}`),
        searchParam: COMMON_PARAMS,
        ...(operation.length > 0 ? { operation } : {}),
      },
    ],
  };
}
