/**
 * Conditional matching (`If-None-Exist`, conditional references `Type?params`): a search that must find
 * at most one resource. Unknown parameters are errors here, never ignored: ignoring one would widen the
 * match to every resource of the type.
 * @see https://hl7.org/fhir/R4/http.html#ccreate
 */
import { parseSearchQuery } from '../../search/parse-query.js';
import type { ResourceStore, StoredResource } from '../../store/resource-store.js';
import { badRequest } from '../outcomes.js';

/** Up to two current resources of `type` matching the query string (two is enough to tell "many"). */
export async function findConditionalMatches(store: ResourceStore, type: string, queryString: string, expression?: string): Promise<StoredResource[]> {
  const params = new URLSearchParams(queryString);
  if ([...params.keys()].length === 0) throw badRequest(`A conditional match needs search parameters, got "${queryString}"`, expression);
  const { query } = parseSearchQuery(type, params, { lenient: false });
  const result = await store.search({ ...query, count: 2, offset: 0, summaryCount: false, sort: [] });
  return result.resources;
}
