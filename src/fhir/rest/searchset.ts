/**
 * The searchset Bundle: `total`, a `self` link, `next`/`previous` links that page with `_offset`, and an
 * OperationOutcome entry naming parameters that were ignored under `Prefer: handling=lenient`.
 * @see https://hl7.org/fhir/R4/search.html#paging
 */
import type { Bundle, BundleEntry, BundleLink } from 'fhir/r4.js';
import type { SearchQuery, SearchResult } from '../../search/types.js';
import type { StoredResource } from '../../store/resource-store.js';
import { newId } from '../ids.js';
import { issue, outcome } from '../outcomes.js';

function pageLink(baseUrl: string, type: string, params: URLSearchParams, offset: number): string {
  const copy = new URLSearchParams(params);
  copy.delete('_offset');
  if (offset > 0) copy.set('_offset', String(offset));
  const qs = copy.toString();
  return `${baseUrl}/${type}${qs ? `?${qs}` : ''}`;
}

export function searchBundle(
  baseUrl: string,
  type: string,
  params: URLSearchParams,
  query: SearchQuery,
  result: SearchResult<StoredResource>,
  ignored: string[],
): Bundle {
  const link: BundleLink[] = [{ relation: 'self', url: pageLink(baseUrl, type, params, query.offset) }];
  if (!query.summaryCount) {
    if (query.offset + result.resources.length < result.total) {
      link.push({ relation: 'next', url: pageLink(baseUrl, type, params, query.offset + query.count) });
    }
    if (query.offset > 0) {
      link.push({ relation: 'previous', url: pageLink(baseUrl, type, params, Math.max(0, query.offset - query.count)) });
    }
  }
  const entry: BundleEntry[] = result.resources.map((resource) => ({
    fullUrl: `${baseUrl}/${resource.resourceType}/${resource.id}`,
    resource,
    search: { mode: 'match' },
  }));
  if (ignored.length > 0) {
    entry.push({
      resource: outcome(issue('warning', 'not-supported', `Ignored search parameters: ${ignored.join(', ')}`, ignored)),
      search: { mode: 'outcome' },
    });
  }
  return {
    resourceType: 'Bundle',
    id: newId(),
    meta: { lastUpdated: new Date().toISOString() },
    type: 'searchset',
    total: result.total,
    link,
    ...(entry.length > 0 ? { entry } : {}),
  };
}
