/**
 * Search on servers that cannot match one array element against several conditions. The store's filters
 * say "one index entry has this code AND this value" with `$elemMatch`; FerretDB v1 (the MongoDB-wire
 * server over SQLite) refuses an `$elemMatch` of more than one field ("unknown operator", its issue #730)
 * and answers wrongly for the one-field and operator forms (measured: a one-field `$elemMatch` matched
 * nothing, a two-operator one matched across elements). There the server runs a relaxed filter, each
 * `$elemMatch` spread into dotted any-element conditions and negations dropped, which selects a superset of
 * the matches; mingo, a faithful implementation of MongoDB's query language, then applies the exact filter to
 * each candidate here. Servers with real `$elemMatch` (MongoDB) run the exact filter, using their indexes.
 * @see https://www.mongodb.com/docs/manual/reference/operator/query/elemMatch/
 * @see https://github.com/FerretDB/FerretDB/issues/730
 */
import { Query } from 'mingo';
import type { FindOptions, MongoCollectionLike, MongoDoc, MongoFilter } from './collection.js';

type Cond = Record<string, unknown>;

const isObject = (v: unknown): v is Cond => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Whether the filter holds an `$elemMatch` anywhere. */
export function usesElementMatch(filter: MongoFilter): boolean {
  return Object.entries(filter).some(([key, value]) => {
    if (key === '$and' || key === '$or' || key === '$nor') return (value as MongoFilter[]).some(usesElementMatch);
    return isObject(value) && '$elemMatch' in value;
  });
}

/**
 * A filter every document matching `filter` also matches, without `$elemMatch`: `{a: {$elemMatch: {b: x,
 * c: y}}}` becomes `{'a.b': x, 'a.c': y}` (the two may hold in different elements), and `$nor`, whose
 * relaxed form would select fewer documents rather than more, is left out. `prefix` places the fields of an
 * `$elemMatch` condition under its array.
 */
export function relaxFilter(filter: MongoFilter, prefix = ''): MongoFilter {
  const and: Cond[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$nor') continue;
    if (key === '$and') and.push(...(value as MongoFilter[]).map((c) => relaxFilter(c, prefix)));
    else if (key === '$or') {
      const any = (value as MongoFilter[]).map((c) => relaxFilter(c, prefix));
      if (!any.some((c) => Object.keys(c).length === 0)) and.push({ $or: any });
    } else if (isObject(value) && '$elemMatch' in value) and.push(relaxFilter(value.$elemMatch as Cond, `${prefix}${key}.`));
    else and.push({ [prefix + key]: value });
  }
  const parts = and.filter((c) => Object.keys(c).length > 0);
  return parts.length === 0 ? {} : parts.length === 1 ? parts[0] : { $and: parts };
}

/** The fields the store's filters read, fetched for the exact check when a projection leaves them out. */
const FILTER_FIELDS = { type: 1, id: 1, deleted: 1, lu: 1, idx: 1, links: 1 } as const;

/**
 * The documents matching `filter` exactly, in `options.sort` order: the server's own `find` when it has
 * per-element matching (or the filter needs none), else the relaxed filter checked here, with skip and limit
 * applied after the check.
 */
export async function* findMatching<T extends MongoDoc>(
  collection: MongoCollectionLike<T>,
  filter: MongoFilter,
  options: FindOptions,
  perElement: boolean,
): AsyncGenerator<T> {
  if (perElement || !usesElementMatch(filter)) {
    yield* collection.find(filter, options);
    return;
  }
  const { skip = 0, limit = Infinity, projection, sort } = options;
  const exact = new Query(filter);
  let seen = 0;
  let given = 0;
  // A path under one of those fields would collide with it (MongoDB refuses `idx` next to `idx.tok`).
  const own = projection && Object.fromEntries(Object.entries(projection).filter(([path]) => !(path.split('.')[0] in FILTER_FIELDS)));
  for await (const doc of collection.find(relaxFilter(filter), { sort, projection: own && { ...own, ...FILTER_FIELDS } })) {
    if (given >= limit) return;
    if (!exact.test(doc)) continue;
    if (seen++ < skip) continue;
    given++;
    yield doc;
  }
}
