/**
 * Compartment search, `GET [compartment]/[id]/[type]?…`: a search of `type` limited to the resources the R4
 * CompartmentDefinition places in that compartment, by any of its parameters (an Observation is in a Patient's
 * compartment by `subject` or `performer`). With one parameter the limit is one more criterion; with several,
 * the members found by each are gathered first and the search runs over their ids, so paging, sorting,
 * `_include` and `_summary` behave as in any search. The table is derived from the definitions
 * (scripts/derive-compartments.ts); parameters this server does not index are left out.
 * @see https://hl7.org/fhir/R4/http.html#vsearch
 * @see https://hl7.org/fhir/R4/compartmentdefinition.html
 */
import { readFileSync } from 'node:fs';
import { parseSearchQuery } from '../../search/parse-query.js';
import { MAX_COUNT } from '../../search/result-params.js';
import { searchParametersFor } from '../../search/search-parameters.js';
import type { Criterion } from '../../search/types.js';
import type { ResourceStore } from '../../store/resource-store.js';
import { badRequest } from '../outcomes.js';
import { parsePrefer } from './prefer.js';
import { collectIncludes } from './search-includes.js';
import { searchBundle } from './searchset.js';
import type { FhirContext, FhirRequest, FhirResponse } from './types.js';

let compartments: Record<string, Record<string, string[]>> | undefined;

/** Whether `type` names a compartment (Patient, Encounter, RelatedPerson, Practitioner, Device). */
export function isCompartment(type: string): boolean {
  compartments ??= JSON.parse(readFileSync(new URL('../../../schemas/fhir-compartments.json', import.meta.url), 'utf8')) as Record<string, Record<string, string[]>>;
  return Object.hasOwn(compartments, type);
}

/** The parameters of `type` that place a resource in `compartment`; 400 when it has none. */
function membershipParams(compartment: string, type: string): string[] {
  const indexed = searchParametersFor(type);
  const params = isCompartment(compartment) ? (compartments?.[compartment]?.[type] ?? []).filter((p) => indexed.has(p)) : [];
  if (params.length === 0) throw badRequest(`${type} is not in the ${compartment} compartment`);
  return params;
}

const criteriaOf = (type: string, name: string, value: string): Criterion[] =>
  parseSearchQuery(type, new URLSearchParams([[name, value]]), { strict: true }).query.criteria;

/** Ids of every current `type` resource that `param` links to `target`. */
async function membersBy(store: ResourceStore, type: string, param: string, target: string): Promise<string[]> {
  const ids: string[] = [];
  const criteria = criteriaOf(type, param, target);
  for (let offset = 0; ; offset += MAX_COUNT) {
    const { resources } = await store.search({ resourceType: type, criteria, sort: [], count: MAX_COUNT, offset, summaryCount: false });
    for (const r of resources) ids.push(r.id as string);
    if (resources.length < MAX_COUNT) return ids;
  }
}

export async function searchCompartment(ctx: FhirContext, req: FhirRequest, compartment: string, id: string, type: string): Promise<FhirResponse> {
  const params = membershipParams(compartment, type);
  const search = parseSearchQuery(type, req.query, { strict: parsePrefer(req.headers.prefer).strict });
  const target = `${compartment}/${id}`;
  let membership: Criterion[] | null;
  if (params.length === 1) membership = criteriaOf(type, params[0], target);
  else {
    const members = new Set<string>();
    for (const param of params) for (const member of await membersBy(ctx.store, type, param, target)) members.add(member);
    membership = members.size === 0 ? null : criteriaOf(type, '_id', [...members].join(','));
  }
  const query = { ...search.query, criteria: [...search.query.criteria, ...(membership ?? [])] };
  const result = membership === null ? { resources: [], total: 0 } : await ctx.store.search(query);
  const included = await collectIncludes(ctx.store, search.includes, result.resources);
  return { status: 200, body: searchBundle(ctx.baseUrl, `${compartment}/${id}/${type}`, { ...search, query }, result, included) };
}
