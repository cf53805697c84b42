/**
 * The R4 search parameters of each resource type, loaded once from schemas/search-parameters.json
 * (derived from the official definitions by scripts/derive-search-parameters.ts).
 * @see https://hl7.org/fhir/R4/searchparameter-registry.html
 */
import { readFileSync } from 'node:fs';
import type { SearchParameterDef } from './search-parameter.js';

interface SearchParameterFile {
  resourceTypes: string[];
  params: Record<string, SearchParameterDef[]>;
}

const file = JSON.parse(readFileSync(new URL('../../schemas/search-parameters.json', import.meta.url), 'utf8')) as SearchParameterFile;
const knownTypes = new Set(file.resourceTypes);
const byType = new Map<string, Map<string, SearchParameterDef>>();
const EMPTY = new Map<string, SearchParameterDef>();

const typeList: readonly string[] = Object.freeze([...file.resourceTypes]);

/** The concrete R4 resource type names, sorted. */
export function resourceTypes(): readonly string[] {
  return typeList;
}

/** Whether `type` names a concrete R4 resource type (`Patient`; not `Resource`, not `patient`). */
export function isKnownResourceType(type: string): boolean {
  return knownTypes.has(type);
}

/**
 * The search parameters that apply to `resourceType` by code, including the `Resource` ones (`_id`,
 * `_lastUpdated`, `_tag`, …); composite and special ones are included with their type. An unknown
 * type has none. The map is shared: do not modify it.
 */
export function searchParametersFor(resourceType: string): ReadonlyMap<string, SearchParameterDef> {
  let params = byType.get(resourceType);
  if (params === undefined) {
    const list = knownTypes.has(resourceType) ? file.params[resourceType] : undefined;
    if (list === undefined) return EMPTY;
    params = new Map(list.map((p) => [p.code, p]));
    byType.set(resourceType, params);
  }
  return params;
}
