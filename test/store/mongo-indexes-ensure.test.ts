/**
 * The store brings a database's indexes up to date once, not on every open (index-sync.ts): a second open
 * costs one findOne; changed definitions create the new indexes and drop, by name, those no longer defined;
 * a database indexed by a release before the record loses the indexes that release made; two processes may
 * open at once. The indexes are counted and kept as a server would (RecordingDatabase's catalog).
 */
import type { MongoCollectionLike, MongoDatabaseLike, MongoDoc } from '../../src/store/mongo/collection.js';
import { HISTORY, RESOURCES } from '../../src/store/mongo/documents.js';
import { INDEX_RECORD, type IndexDefinition, syncIndexes } from '../../src/store/mongo/index-sync.js';
import { STORE_INDEXES } from '../../src/store/mongo/mongo-indexes.js';
import { LAYOUT_RECORD, LAYOUT_VERSION } from '../../src/store/mongo/layout-upgrade.js';
import { createMongoStoreFromDatabase } from '../../src/store/mongo/mongo-store.js';
import { SYSTEM, getSystemDoc, putSystemDoc } from '../../src/store/mongo/system-collections.js';
import { MingoDatabase, type MingoDatabaseOptions } from './mingo-collection.js';
import { RecordingDatabase } from './mongo-indexes-shapes.js';

const ops = (db: RecordingDatabase, op: string) => db.calls.filter((c) => c.op === op);
const names = (defs: IndexDefinition[], collection: string) => ['_id_', ...defs.filter((d) => d.collection === collection).map((d) => d.name)].sort();
const recording = (options?: MingoDatabaseOptions) => new RecordingDatabase(new MingoDatabase(options));

test('opening the store twice creates the indexes the first time only; the second open reads only the two records', async () => {
  const db = recording();
  await createMongoStoreFromDatabase(db);
  expect(ops(db, 'createIndex')).toHaveLength(STORE_INDEXES.length);
  expect(db.indexNames(RESOURCES)).toEqual(names(STORE_INDEXES, RESOURCES));
  expect(db.indexNames(HISTORY)).toEqual(names(STORE_INDEXES, HISTORY));
  expect(await getSystemDoc(db, INDEX_RECORD)).toEqual({ indexes: STORE_INDEXES });

  const before = db.calls.length;
  await createMongoStoreFromDatabase(db);
  expect(db.calls.slice(before)).toEqual([
    { label: '', collection: SYSTEM, op: 'findOne', filter: { _id: INDEX_RECORD }, options: undefined },
    { label: '', collection: SYSTEM, op: 'findOne', filter: { _id: LAYOUT_RECORD }, options: undefined },
  ]);
});

test('every index is created with its explicit name', async () => {
  const db = recording();
  await createMongoStoreFromDatabase(db);
  expect(ops(db, 'createIndex').map((c) => c.op === 'createIndex' && c.name)).toEqual(STORE_INDEXES.map((i) => i.name));
});

test('changed definitions: new and changed indexes are created, and those no longer defined are dropped by name', async () => {
  const db = recording();
  await createMongoStoreFromDatabase(db);
  const [first, second, ...rest] = STORE_INDEXES;
  const changed: IndexDefinition[] = [
    { ...first, key: { ...first.key, v: 1 } },
    ...rest,
    { collection: RESOURCES, name: 'deleted_type_w', key: { deleted: 1, type: 1, w: 1 } },
  ];
  const before = db.calls.length;
  await syncIndexes(db, changed, []);
  const calls = db.calls.slice(before);
  const dropped = calls.filter((c) => c.op === 'dropIndex').map((c) => c.op === 'dropIndex' && c.name);
  expect(dropped.sort()).toEqual([first.name, second.name].sort());
  expect(calls.filter((c) => c.op === 'createIndex')).toHaveLength(changed.length);
  // The changed one is dropped before it is created again (a server refuses a name with other keys) ...
  const order = calls.map((c) => (c.op === 'createIndex' || c.op === 'dropIndex' ? `${c.op} ${c.name}` : c.op));
  expect(order.indexOf(`dropIndex ${first.name}`)).toBeLessThan(order.indexOf(`createIndex ${first.name}`));
  // ... the removed one only once the new ones exist, so queries keep an index meanwhile.
  expect(order.indexOf(`dropIndex ${second.name}`)).toBeGreaterThan(order.lastIndexOf(`createIndex deleted_type_w`));
  expect(db.indexNames(RESOURCES)).toEqual(names(changed, RESOURCES));
  expect(await getSystemDoc(db, INDEX_RECORD)).toEqual({ indexes: changed });

  const created = ops(db, 'createIndex').length;
  await syncIndexes(db, changed, []);
  expect(ops(db, 'createIndex')).toHaveLength(created);
});

test('a record of other definitions (an earlier release) has the store create its indexes again on open', async () => {
  const db = recording();
  await createMongoStoreFromDatabase(db);
  await putSystemDoc(db, INDEX_RECORD, { indexes: STORE_INDEXES.slice(1) });
  const before = ops(db, 'createIndex').length;
  await createMongoStoreFromDatabase(db);
  expect(ops(db, 'createIndex').length - before).toBe(STORE_INDEXES.length);
  expect(await getSystemDoc(db, INDEX_RECORD)).toEqual({ indexes: STORE_INDEXES });
});

test('a database indexed before the record keeps none of the indexes the earlier release made', async () => {
  const db = recording();
  // What the release before the record created on every open, without names.
  const earlier = {
    [RESOURCES]: [
      { type: 1, deleted: 1, id: 1 }, { type: 1, deleted: 1, lu: 1 }, { 'idx.tok.c': 1, 'idx.tok.v': 1, 'idx.tok.s': 1 },
      { 'idx.str.c': 1, 'idx.str.v': 1 }, { 'idx.dt.c': 1, 'idx.dt.lo': 1, 'idx.dt.hi': 1 }, { 'idx.ref.c': 1, 'idx.ref.i': 1, 'idx.ref.t': 1 },
      { 'idx.num.c': 1, 'idx.num.v': 1 }, { 'idx.uri.c': 1, 'idx.uri.v': 1 }, { 'links.i': 1, 'links.t': 1 },
    ],
    [HISTORY]: [{ type: 1, id: 1, v: 1 }, { type: 1, lu: 1 }],
  } as const;
  for (const [collection, keys] of Object.entries(earlier)) for (const key of keys) await db.collection(collection).createIndex(key);
  await createMongoStoreFromDatabase(db);
  expect(db.indexNames(RESOURCES)).toEqual(names(STORE_INDEXES, RESOURCES));
  expect(db.indexNames(HISTORY)).toEqual(names(STORE_INDEXES, HISTORY));
});

test('two processes opening a new database at once both open it, whichever records the indexes first', async () => {
  let recordWrites = 0;
  // The second upsert of the record loses the race as on a server: E11000 on the system document's _id.
  const db = recording({ failOp: (collection, op) => (collection === SYSTEM && 'replaceOne' in op && op.replaceOne.filter._id === INDEX_RECORD && ++recordWrites === 2 ? 11000 : null) });
  await Promise.all([createMongoStoreFromDatabase(db), createMongoStoreFromDatabase(db)]);
  expect(recordWrites).toBe(2);
  expect(db.indexNames(RESOURCES)).toEqual(names(STORE_INDEXES, RESOURCES));
  expect(await getSystemDoc(db, INDEX_RECORD)).toEqual({ indexes: STORE_INDEXES });
});

test('a drop the server refuses for another reason than absence fails the open, and records nothing', async () => {
  const mingo = new MingoDatabase();
  const refusing: MongoDatabaseLike = Object.assign(Object.create(mingo) as MingoDatabase, {
    collection<T extends MongoDoc>(name: string): MongoCollectionLike<T> {
      const refuse = async (): Promise<void> => {
        throw Object.assign(new Error('not authorized on medgen to execute command { dropIndexes }'), { code: 13 });
      };
      return Object.assign(Object.create(mingo.collection<T>(name)) as MongoCollectionLike<T>, { dropIndex: refuse });
    },
  });
  await expect(createMongoStoreFromDatabase(refusing)).rejects.toMatchObject({ code: 13 });
  expect(await getSystemDoc(mingo, INDEX_RECORD)).toBeNull();
});

test('two processes opening a new database at once both open it, whichever records the layout first', async () => {
  let recordWrites = 0;
  const db = recording({ failOp: (collection, op) => (collection === SYSTEM && 'replaceOne' in op && op.replaceOne.filter._id === LAYOUT_RECORD && ++recordWrites === 2 ? 11000 : null) });
  await Promise.all([createMongoStoreFromDatabase(db), createMongoStoreFromDatabase(db)]);
  expect(recordWrites).toBe(2);
  expect(await getSystemDoc(db, LAYOUT_RECORD)).toEqual({ version: LAYOUT_VERSION });
});
