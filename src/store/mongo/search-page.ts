/**
 * The aggregation pipeline of a search page: match, sort, skip, limit. A pipeline rather than `find`
 * because FHIR-style ordering puts resources without a value for the sort parameter last in both
 * directions (as the SQLite store does with NULLS LAST), while MongoDB sorts a missing field first when
 * ascending; a computed "has no value" key sorted first fixes that. Sort values are precomputed per
 * parameter (`srt`, see derived-entries.ts): ascending uses each resource's least value, descending its greatest.
 * @see https://hl7.org/fhir/R4/search.html#_sort
 * @see https://www.mongodb.com/docs/manual/reference/operator/aggregation/sort/
 */
import { badRequest } from '../../fhir/outcomes.js';
import type { SearchQuery, SortKey } from '../../search/types.js';
import type { MongoSort } from './collection.js';
import { SAFE_CODE } from './derived-entries.js';
import { searchFilter } from './search-filter.js';

type Stage = Record<string, unknown>;

const DEFAULT_SORT: SortKey[] = [{ param: '_lastUpdated', type: '_lastUpdated', descending: false }];

/** The field a key sorts on; a parameter code becomes part of a field path, so it must be a plain name. */
function sortField(key: SortKey): string {
  if (key.type === '_id') return 'id';
  if (key.type === '_lastUpdated') return 'lu';
  if (typeof key.param !== 'string' || !SAFE_CODE.test(key.param)) throw badRequest(`Cannot sort by ${JSON.stringify(key.param)}`, '_sort');
  return `srt.${key.param}.${key.descending ? 'hi' : 'lo'}`;
}

/** Sort stages for the keys, ending with the id so that offset paging is stable. */
export function sortStages(keys: SortKey[]): Stage[] {
  const flags: Record<string, unknown> = {};
  const sort: MongoSort = {};
  (keys.length > 0 ? keys : DEFAULT_SORT).forEach((key, i) => {
    const field = sortField(key);
    if (field in sort) return;
    if (field.startsWith('srt.')) {
      const flag = `_nv${i}`;
      flags[flag] = { $cond: [{ $eq: [{ $ifNull: [`$${field}`, null] }, null] }, 1, 0] };
      sort[flag] = 1;
    }
    sort[field] = key.descending ? -1 : 1;
  });
  if (!('id' in sort)) sort.id = 1;
  return Object.keys(flags).length > 0 ? [{ $addFields: flags }, { $sort: sort }] : [{ $sort: sort }];
}

/** The page pipeline; null when the page is empty by request (`_count=0`), since `$limit: 0` is invalid. */
export function searchPipeline(query: SearchQuery, now: number = Date.now()): Stage[] | null {
  const count = Number.isFinite(query.count) ? Math.max(0, Math.floor(query.count)) : Infinity;
  const offset = Number.isFinite(query.offset) ? Math.max(0, Math.floor(query.offset)) : 0;
  if (count === 0) return null;
  const stages: Stage[] = [{ $match: searchFilter(query, now) }, ...sortStages(query.sort)];
  if (offset > 0) stages.push({ $skip: offset });
  if (count !== Infinity) stages.push({ $limit: count });
  stages.push({ $project: { json: 1 } });
  return stages;
}
