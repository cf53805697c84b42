/**
 * The searchset Bundle: `total`, a `self` link, `next`/`previous` links that page with `_offset`, the matches
 * (`search.mode = match`), the resources `_include`/`_revinclude` brought in (`include`), and an
 * OperationOutcome entry (`outcome`) naming what was ignored. `_summary` and `_elements` cut the matches
 * only: included resources are context, returned whole.
 * @see https://hl7.org/fhir/R4/search.html#paging
 */
import type { Bundle, BundleEntry, BundleLink } from 'fhir/r4.js';
import type { ParsedSearch } from '../../search/parse-query.js';
import type { SearchResult } from '../../search/types.js';
import type { StoredResource } from '../../store/resource-store.js';
import { newId } from '../ids.js';
import { issue, outcome } from '../outcomes.js';
import { selectElements, summarise } from '../resource-subset.js';
import type { Included } from './search-includes.js';

/** A page of a searchset or history at `url`: the client's parameters, with `_offset` set to this page's. */
export function pageLink(url: string, params: URLSearchParams, offset: number): string {
  const copy = new URLSearchParams(params);
  copy.delete('_offset');
  if (offset > 0) copy.set('_offset', String(offset));
  const qs = copy.toString();
  return `${url}${qs ? `?${qs}` : ''}`;
}

function shaped(resource: StoredResource, search: ParsedSearch): StoredResource {
  const summarised = summarise(resource, search.summary);
  return search.elements ? selectElements(summarised, search.elements) : summarised;
}

/** `path` is what was searched, below the base: a type, or a compartment's `Patient/1/Observation`. */
export function searchBundle(
  baseUrl: string,
  path: string,
  search: ParsedSearch,
  result: SearchResult<StoredResource>,
  included: Included,
): Bundle {
  const { query, linkParams } = search;
  const url = `${baseUrl}/${path}`;
  const link: BundleLink[] = [{ relation: 'self', url: pageLink(url, linkParams, query.offset) }];
  if (!query.summaryCount) {
    if (query.offset + result.resources.length < result.total) {
      link.push({ relation: 'next', url: pageLink(url, linkParams, query.offset + query.count) });
    }
    if (query.offset > 0) {
      link.push({ relation: 'previous', url: pageLink(url, linkParams, Math.max(0, query.offset - query.count)) });
    }
  }
  const entry: BundleEntry[] = [
    ...result.resources.map((resource) => ({
      fullUrl: `${baseUrl}/${resource.resourceType}/${resource.id}`,
      resource: shaped(resource, search),
      search: { mode: 'match' as const },
    })),
    ...included.resources.map((resource) => ({
      fullUrl: `${baseUrl}/${resource.resourceType}/${resource.id}`,
      resource,
      search: { mode: 'include' as const },
    })),
  ];
  const issues = [
    ...search.ignored.map((i) => issue('warning', 'not-supported', `Ignored search parameter ${i.param}: ${i.reason}`, i.param)),
    ...included.notes.map((note) => issue('information', 'too-costly', note, '_include')),
  ];
  if (issues.length > 0) entry.push({ resource: outcome(...issues), search: { mode: 'outcome' } });
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
