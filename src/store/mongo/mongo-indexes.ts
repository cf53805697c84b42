/**
 * The indexes the store's queries rely on. The `idx.*` ones are multikey: a compound index over fields of
 * the same array of embedded documents, which MongoDB allows and `$elemMatch` can use with bounds on
 * every field of one entry.
 * @see https://www.mongodb.com/docs/manual/core/indexes/index-types/index-multikey/
 */
import type { MongoDatabaseLike, MongoSort } from './collection.js';
import { HISTORY, RESOURCES } from './documents.js';

const RESOURCE_INDEXES: MongoSort[] = [
  { type: 1, deleted: 1, id: 1 },
  { type: 1, deleted: 1, lu: 1 },
  { 'idx.tok.c': 1, 'idx.tok.v': 1, 'idx.tok.s': 1 },
  { 'idx.str.c': 1, 'idx.str.v': 1 },
  { 'idx.dt.c': 1, 'idx.dt.lo': 1, 'idx.dt.hi': 1 },
  { 'idx.ref.c': 1, 'idx.ref.i': 1, 'idx.ref.t': 1 },
  { 'idx.num.c': 1, 'idx.num.v': 1 },
  { 'idx.uri.c': 1, 'idx.uri.v': 1 },
  { 'links.i': 1, 'links.t': 1 },
];

const HISTORY_INDEXES: MongoSort[] = [
  { type: 1, id: 1, v: 1 },
  { type: 1, lu: 1 },
];

/** Creates the indexes (a no-op for those that exist with the same keys). */
export async function ensureIndexes(db: MongoDatabaseLike): Promise<void> {
  const resources = db.collection(RESOURCES);
  const history = db.collection(HISTORY);
  await Promise.all([
    ...RESOURCE_INDEXES.map((keys) => resources.createIndex(keys)),
    ...HISTORY_INDEXES.map((keys) => history.createIndex(keys)),
  ]);
}
