/**
 * The result parameters of a search: `_count`, `_offset` (this server's paging position), `_sort`,
 * `_summary` and `_elements`. `_total`, `_format` and `_pretty` change nothing here and are accepted quietly.
 * @see https://hl7.org/fhir/R4/search.html#return
 */
import { badRequest } from '../fhir/outcomes.js';
import { SUMMARY_MODES, type SummaryMode } from '../fhir/resource-subset.js';
import { checkSortKeyCount } from './query-limits.js';
import type { SearchParameterDef } from './search-parameter.js';
import type { SortKey } from './types.js';
import { UnsupportedSearch } from './unsupported.js';

export const DEFAULT_COUNT = 20;
export const MAX_COUNT = 1000;

/** Result parameters that have no effect on what this server returns. */
export const QUIET_PARAMS = new Set(['_total', '_format', '_pretty']);

function nonNegativeInteger(name: string, value: string): number {
  if (!/^\d{1,15}$/.test(value)) throw badRequest(`${name} must be a non-negative integer, not "${value}"`, name);
  return Number(value);
}

/** `_count`: page size, at most MAX_COUNT (larger requests get MAX_COUNT, as the spec allows). */
export function parseCount(value: string): number {
  return Math.min(nonNegativeInteger('_count', value), MAX_COUNT);
}

export function parseOffset(value: string): number {
  return nonNegativeInteger('_offset', value);
}

/** `_summary`: one of the R4 modes; `false` (full resources) is the default. */
export function parseSummary(value: string): SummaryMode {
  const mode = SUMMARY_MODES.find((m) => m === value);
  if (mode === undefined) throw badRequest(`_summary must be one of ${SUMMARY_MODES.join(', ')}, not "${value}"`, '_summary');
  return mode;
}

/** `_elements=a,b`: top-level element names; the ones a resource does not have are simply absent. */
export function parseElements(value: string): string[] {
  const names = value.split(',').map((n) => n.trim());
  if (names.some((n) => n === '')) throw badRequest(`_elements has an empty element name in "${value}"`, '_elements');
  return names;
}

/** `_sort=a,-b`: each key `_id`, `_lastUpdated` or an indexed parameter of the type; at most MAX_SORT_KEYS keys. */
export function parseSort(value: string, params: ReadonlyMap<string, SearchParameterDef>): SortKey[] {
  const keys: SortKey[] = [];
  const items = value.split(',');
  checkSortKeyCount(items.length);
  for (const item of items) {
    const descending = item.startsWith('-');
    const code = descending ? item.slice(1) : item;
    if (code === '') throw badRequest(`_sort has an empty key in "${value}"`, '_sort');
    if (code === '_id' || code === '_lastUpdated') {
      keys.push({ param: code, type: code, descending });
      continue;
    }
    const def = params.get(code);
    if (def === undefined || def.type === 'composite' || def.type === 'special' || def.expression === '') {
      throw new UnsupportedSearch('_sort', `_sort by ${code} is not supported: it is not an indexed search parameter of this type`);
    }
    keys.push({ param: code, type: def.type, descending });
  }
  return keys;
}
