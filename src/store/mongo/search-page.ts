/**
 * The sort, skip and limit of a search page, as plain `find` options. FHIR-style ordering puts resources
 * without a value for the sort parameter last in both directions (as the SQLite store does with NULLS LAST);
 * each stored sort key carries a presence marker (`srt.<code>.has`, see derived-entries.ts) sorted
 * descending first, so no computed field is needed and MongoDB can sort by index. Ascending uses each
 * resource's least value, descending its greatest.
 * @see https://hl7.org/fhir/R4/search.html#_sort
 * @see https://www.mongodb.com/docs/manual/reference/method/cursor.sort/
 */
import { badRequest } from '../../fhir/outcomes.js';
import type { SearchQuery, SortKey } from '../../search/types.js';
import type { FindOptions, MongoSort } from './collection.js';
import { SAFE_CODE } from './derived-entries.js';

const DEFAULT_SORT: SortKey[] = [{ param: '_lastUpdated', type: '_lastUpdated', descending: false }];

/** The fields a key sorts on; a parameter code becomes part of a field path, so it must be a plain name. */
function sortFields(key: SortKey): MongoSort {
  const dir = key.descending ? -1 : 1;
  if (key.type === '_id') return { id: dir };
  if (key.type === '_lastUpdated') return { lu: dir };
  if (typeof key.param !== 'string' || !SAFE_CODE.test(key.param)) throw badRequest(`Cannot sort by ${JSON.stringify(key.param)}`, '_sort');
  return { [`srt.${key.param}.has`]: -1, [`srt.${key.param}.${key.descending ? 'hi' : 'lo'}`]: dir };
}

/** The sort specification for the keys, ending with the id so that offset paging is stable. */
export function searchSort(keys: SortKey[]): MongoSort {
  const sort: MongoSort = {};
  for (const key of keys.length > 0 ? keys : DEFAULT_SORT) {
    for (const [field, dir] of Object.entries(sortFields(key))) if (!(field in sort)) sort[field] = dir;
  }
  if (!('id' in sort)) sort.id = 1;
  return sort;
}

/** The page's find options; null when the page is empty by request (`_count=0`). */
export function searchPage(query: SearchQuery): Required<Pick<FindOptions, 'sort'>> & FindOptions | null {
  const count = Number.isFinite(query.count) ? Math.max(0, Math.floor(query.count)) : Infinity;
  const offset = Number.isFinite(query.offset) ? Math.max(0, Math.floor(query.offset)) : 0;
  if (count === 0) return null;
  const page: Required<Pick<FindOptions, 'sort'>> & FindOptions = { sort: searchSort(query.sort) };
  if (offset > 0) page.skip = offset;
  if (count !== Infinity) page.limit = count;
  return page;
}
