/**
 * Conditional matching (`If-None-Exist`, conditional references `Type?params`): a search that must find
 * at most one resource. Unknown parameters are errors here, never ignored: ignoring one would widen the
 * match to every resource of the type.
 * @see https://hl7.org/fhir/R4/http.html#ccreate
 */
import { parseSearchQuery } from '../../search/parse-query.js';
import type { SearchQuery } from '../../search/types.js';
import type { ResourceStore } from '../../store/resource-store.js';
import { badRequest } from '../outcomes.js';

/**
 * `identifier=[system|]value` and nothing else, as the store's identifier lookup takes it (system null: any).
 * `identifier=|value` (explicitly no system) and modifiers are left to the general search.
 */
function identifierOnly(query: SearchQuery): { system: string | null; value: string } | undefined {
  if (query.criteria.length !== 1) return undefined;
  const [c] = query.criteria;
  if (c.param !== 'identifier' || c.type !== 'token' || c.predicates.length !== 1) return undefined;
  const [p] = c.predicates;
  if (p.kind !== 'token' || p.not || p.value === undefined || p.system === null) return undefined;
  return { system: p.system ?? null, value: p.value };
}

/**
 * The identifier an identifier-only condition names (Synthea's `ifNoneExist` and conditional references),
 * undefined for any other condition. Rejects a condition that is no valid search, as findConditionalMatches does.
 */
export function identifierCondition(type: string, queryString: string, expression?: string): { system: string | null; value: string } | undefined {
  const params = new URLSearchParams(queryString);
  if ([...params.keys()].length === 0) throw badRequest(`A conditional match needs search parameters, got "${queryString}"`, expression);
  return identifierOnly(parseSearchQuery(type, params, { strict: true }).query);
}

/**
 * Ids of up to two current resources of `type` matching the query string (two is enough to tell "many").
 * An identifier-only query goes straight to the identifier index: the same rows a search reads, without
 * loading and parsing the matched resources.
 */
export async function findConditionalMatches(store: ResourceStore, type: string, queryString: string, expression?: string): Promise<string[]> {
  const identifier = identifierCondition(type, queryString, expression);
  if (identifier) return (await store.findByIdentifier(type, identifier.system, identifier.value)).slice(0, 2);
  const { query } = parseSearchQuery(type, new URLSearchParams(queryString), { strict: true });
  const result = await store.search({ ...query, count: 2, offset: 0, summaryCount: false, sort: [] });
  return result.resources.map((r) => r.id!);
}
