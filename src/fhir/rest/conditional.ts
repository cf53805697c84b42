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
 * Ids of up to two current resources of `type` matching the query string (two is enough to tell "many").
 * An identifier-only query (Synthea's `ifNoneExist` and conditional references) goes straight to the
 * identifier index: the same rows a search reads, without loading and parsing the matched resources.
 */
export async function findConditionalMatches(store: ResourceStore, type: string, queryString: string, expression?: string): Promise<string[]> {
  const params = new URLSearchParams(queryString);
  if ([...params.keys()].length === 0) throw badRequest(`A conditional match needs search parameters, got "${queryString}"`, expression);
  const { query } = parseSearchQuery(type, params, { lenient: false });
  const identifier = identifierOnly(query);
  if (identifier) return (await store.findByIdentifier(type, identifier.system, identifier.value)).slice(0, 2);
  const result = await store.search({ ...query, count: 2, offset: 0, summaryCount: false, sort: [] });
  return result.resources.map((r) => r.id!);
}
