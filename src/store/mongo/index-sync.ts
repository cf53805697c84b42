/**
 * Brings a deployment's indexes to the store's definitions once, not on every open: the definitions last
 * applied are recorded in the `system` collection, so an open that finds them unchanged costs one findOne.
 * When they differ (a new release, or a database the store has not opened yet), the defined indexes are
 * created and those the record holds but the definitions no longer do are dropped by name: one that would clash
 * with a new index (same name with other keys, or same keys under another name: createIndex refuses both) is
 * dropped first, the others only once the new ones exist, so queries keep an index meanwhile. Two processes may
 * do this at once: creating an index that exists with the same name and keys does nothing, a drop that finds
 * the index gone is fine, and both record the same definitions.
 * An index or collection dropped by hand is not noticed: delete the record (INDEX_RECORD) and open the store.
 * @see https://www.mongodb.com/docs/manual/reference/method/db.collection.createIndex/#recreating-an-existing-index
 * @see https://www.mongodb.com/docs/manual/reference/command/dropIndexes/
 */
import type { MongoDatabaseLike, MongoSort } from './collection.js';
import { getSystemDoc, putSystemDoc } from './system-collections.js';

/** One index: its collection, its name (explicit, so it can be dropped by name) and its key pattern. */
export interface IndexDefinition {
  collection: string;
  name: string;
  key: MongoSort;
}

type IndexRecord = { indexes: IndexDefinition[] };

/** The system document recording the indexes applied to this database. */
export const INDEX_RECORD = 'mongo-indexes';

/** Server codes of a drop that found nothing to drop: no such index, no such collection. */
const NOTHING_TO_DROP = new Set([27, 26]);

/** MongoDB's name for an index created without one: each field and its direction, joined by `_`. */
export function defaultIndexName(key: MongoSort): string {
  return Object.entries(key)
    .map(([field, dir]) => `${field}_${dir}`)
    .join('_');
}

const sameKey = (a: MongoSort, b: MongoSort): boolean => JSON.stringify(Object.entries(a)) === JSON.stringify(Object.entries(b));
const same = (a: IndexDefinition, b: IndexDefinition): boolean => a.collection === b.collection && a.name === b.name && sameKey(a.key, b.key);
const sameSet = (a: IndexDefinition[], b: IndexDefinition[]): boolean => a.length === b.length && a.every((x) => b.some((y) => same(x, y)));

async function recorded(db: MongoDatabaseLike): Promise<IndexDefinition[] | null> {
  return (await getSystemDoc<IndexRecord>(db, INDEX_RECORD))?.indexes ?? null;
}

async function drop(db: MongoDatabaseLike, indexes: IndexDefinition[]): Promise<void> {
  await Promise.all(
    indexes.map(async ({ collection, name }) => {
      try {
        await db.collection(collection).dropIndex(name);
      } catch (err) {
        if (!NOTHING_TO_DROP.has((err as { code?: unknown }).code as number)) throw err;
      }
    }),
  );
}

/**
 * Applies `defined` unless the record says it is applied. `unrecorded` stands for the record of a database
 * that has none: the indexes an earlier release created without recording them (absent from a new database,
 * where dropping them finds nothing).
 */
export async function syncIndexes(db: MongoDatabaseLike, defined: IndexDefinition[], unrecorded: IndexDefinition[]): Promise<void> {
  const before = (await recorded(db)) ?? unrecorded;
  if (sameSet(before, defined)) return;
  const stale = before.filter((b) => !defined.some((d) => same(b, d)));
  const clashes = (s: IndexDefinition): boolean => defined.some((d) => d.collection === s.collection && (d.name === s.name || sameKey(d.key, s.key)));
  await drop(db, stale.filter(clashes));
  await Promise.all(defined.map((d) => db.collection(d.collection).createIndex(d.key, { name: d.name })));
  await drop(db, stale.filter((s) => !clashes(s)));
  try {
    await putSystemDoc(db, INDEX_RECORD, { indexes: defined } satisfies IndexRecord);
  } catch (err) {
    // A process opening at the same moment may have won the upsert of this same record (E11000).
    const now = await recorded(db);
    if (now === null || !sameSet(now, defined)) throw err;
  }
}
