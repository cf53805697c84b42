/**
 * The indexes the store's queries rely on, each named, with the queries it serves. Fields follow MongoDB's
 * ESR rule: equalities first, then the sort, then ranges, so that a query reads its matches in the order it
 * returns them and checks a range on index keys before it reads any document. `_id` (MongoDB's own unique
 * index) serves read, vread, referencesFrom, the loads and guards of writes, leases and system documents.
 * - `deleted` and `type` are equalities of every other query on `resources` but referencesTo. The plain
 *   indexes lead with `deleted` so that countByType's `$match: {deleted: false}` is their prefix too: its
 *   `$group` needs only `type`, which they hold, so it reads index keys and no document (a covered plan).
 * - Streams read in keyset chunks ordered by id (mongo-reads.ts), so `since` (a range on `lu`) comes after the
 *   sort: a `lu`-first index would read and sort every change since `since` again for each chunk.
 * - The `idx.*` ones are multikey: a compound index over fields of the same array of embedded documents, which
 *   `$elemMatch` can use with bounds on every field of one entry. `type` leads them since every search
 *   filters on it and codes are shared between types: measured on a generated population of 30 patients,
 *   `Encounter?date` has 534 keys in bounds with `type` against 8,095 without, `Immunization?patient=X` 7
 *   against 39, `Observation?subject=X` 160 against 202 (every key out of the type is a document read for
 *   nothing). Their matches are sorted in memory: MongoDB reads each candidate of an `$elemMatch` to check
 *   it, findByIdentifier and referencesTo return all their matches and a search counts all of its matches
 *   first, so index order would spare little, while `lu` and `id` in every entry would about double them.
 * @see https://www.mongodb.com/docs/manual/tutorial/equality-sort-range-guideline/
 * @see https://www.mongodb.com/docs/manual/core/indexes/index-types/index-multikey/
 * @see https://www.mongodb.com/docs/manual/core/query-optimization/#covered-query
 */
import type { MongoDatabaseLike, MongoSort } from './collection.js';
import { HISTORY, RESOURCES } from './documents.js';
import { JOBS } from './job-collection.js';
import { type IndexDefinition, defaultIndexName, syncIndexes } from './index-sync.js';

const resources = (name: string, key: MongoSort): IndexDefinition => ({ collection: RESOURCES, name, key });

export const STORE_INDEXES: IndexDefinition[] = [
  // stream (± since), `_id` searches, countByType.
  resources('deleted_type_id_lu', { deleted: 1, type: 1, id: 1, lu: 1 }),
  // The default search sort (lastUpdated, then id) and `_lastUpdated` searches.
  resources('deleted_type_lu_id', { deleted: 1, type: 1, lu: 1, id: 1 }),
  // Token searches and findByIdentifier (the `identifier` tokens).
  resources('type_deleted_tok', { type: 1, deleted: 1, 'idx.tok.c': 1, 'idx.tok.v': 1, 'idx.tok.s': 1 }),
  resources('type_deleted_str', { type: 1, deleted: 1, 'idx.str.c': 1, 'idx.str.v': 1 }),
  resources('type_deleted_dt', { type: 1, deleted: 1, 'idx.dt.c': 1, 'idx.dt.lo': 1, 'idx.dt.hi': 1 }),
  // Reference searches (`patient`, `subject`, ...): the id before the type, which `subject=<id>` leaves open.
  resources('type_deleted_ref', { type: 1, deleted: 1, 'idx.ref.c': 1, 'idx.ref.i': 1, 'idx.ref.t': 1 }),
  resources('type_deleted_num', { type: 1, deleted: 1, 'idx.num.c': 1, 'idx.num.v': 1 }),
  resources('type_deleted_uri', { type: 1, deleted: 1, 'idx.uri.c': 1, 'idx.uri.v': 1 }),
  // referencesTo: across types, so led by the target id, the most selective.
  resources('links_i_t_deleted', { 'links.i': 1, 'links.t': 1, deleted: 1 }),
  // history of one resource (v descending) and history streams (keyset by id then v, their mark range on `q`
  // from the keys).
  { collection: HISTORY, name: 'type_id_v_q', key: { type: 1, id: 1, v: 1, q: 1 } },
  // history-marks.ts: the documents of an abandoned write call (`q: P`) and the highest position given; the
  // change feed in commit order (change-feed.ts).
  { collection: HISTORY, name: 'q_o', key: { q: 1, o: 1 } },
  // Type- and system-level history (history-page.ts), newest first: read backwards.
  { collection: HISTORY, name: 'type_lu_id_v', key: { type: 1, lu: 1, id: 1, v: 1 } },
  { collection: HISTORY, name: 'lu_type_id_v', key: { lu: 1, type: 1, id: 1, v: 1 } },
  // The job list, newest first, all or by status (job-collection.ts).
  { collection: JOBS, name: 'created__id', key: { created: -1, _id: 1 } },
  { collection: JOBS, name: 'status_created__id', key: { status: 1, created: -1, _id: 1 } },
];

/** What releases before the record created, unnamed: MongoDB named them after their keys. */
const unnamed = (collection: string, key: MongoSort): IndexDefinition => ({ collection, name: defaultIndexName(key), key });
const UNRECORDED: IndexDefinition[] = [
  unnamed(RESOURCES, { type: 1, deleted: 1, id: 1 }),
  unnamed(RESOURCES, { type: 1, deleted: 1, lu: 1 }),
  unnamed(RESOURCES, { 'idx.tok.c': 1, 'idx.tok.v': 1, 'idx.tok.s': 1 }),
  unnamed(RESOURCES, { 'idx.str.c': 1, 'idx.str.v': 1 }),
  unnamed(RESOURCES, { 'idx.dt.c': 1, 'idx.dt.lo': 1, 'idx.dt.hi': 1 }),
  unnamed(RESOURCES, { 'idx.ref.c': 1, 'idx.ref.i': 1, 'idx.ref.t': 1 }),
  unnamed(RESOURCES, { 'idx.num.c': 1, 'idx.num.v': 1 }),
  unnamed(RESOURCES, { 'idx.uri.c': 1, 'idx.uri.v': 1 }),
  unnamed(RESOURCES, { 'links.i': 1, 'links.t': 1 }),
  unnamed(HISTORY, { type: 1, id: 1, v: 1 }),
  unnamed(HISTORY, { type: 1, lu: 1 }),
];

/** Creates and drops indexes when the database's record of them differs from STORE_INDEXES (index-sync.ts). */
export function ensureIndexes(db: MongoDatabaseLike): Promise<void> {
  return syncIndexes(db, STORE_INDEXES, UNRECORDED);
}
