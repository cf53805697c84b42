/**
 * The MongoDB store's behaviour that the shared contract cannot reach: atomic writes on a deployment without
 * transactions (compensation), lost version races, and bodies with keys MongoDB treats specially.
 */
import type { Patient, Resource } from 'fhir/r4.js';
import { createMongoStoreFromDatabase } from '../../src/store/mongo/mongo-store.js';
import type { BulkOp, MongoDoc } from '../../src/store/mongo/collection.js';
import type { ResourceStore } from '../../src/store/resource-store.js';
import { MingoDatabase, type MingoDatabaseOptions } from './mingo-collection.js';

const patient = (id: string, family: string): Resource & { id: string } => ({ resourceType: 'Patient', id, name: [{ family }] }) as Resource & { id: string };

const DUPLICATE_KEY = 11000;
const SERVER_ERROR = 1;

/** Fails the bulk op that writes `key` (resources or history, per `collection`) with an error code. */
const failing = (collection: string, key: string, code = SERVER_ERROR): MingoDatabaseOptions['failOp'] => (name, op: BulkOp<MongoDoc>) => {
  if (name !== collection) return null;
  const doc = 'insertOne' in op ? op.insertOne.document : 'replaceOne' in op ? op.replaceOne.replacement : null;
  return doc !== null && doc._id.startsWith(key) ? code : null;
};

async function seeded(options: MingoDatabaseOptions): Promise<{ db: MingoDatabase; store: ResourceStore }> {
  const db = new MingoDatabase(options);
  const store = await createMongoStoreFromDatabase(db);
  await store.create(patient('a', 'Before'));
  return { db, store };
}

describe('mongo store without transactions (standalone server fallback)', () => {
  test.each([
    ['a resource write', 'resources', 'Patient/b'],
    ['a history write', 'history', 'Patient/b/'],
  ])('an atomic write is undone when %s fails', async (_what, collection, key) => {
    const options: MingoDatabaseOptions = { transactions: false };
    const { db, store } = await seeded(options);
    const before = { resources: db.dump('resources'), history: db.dump('history') };
    options.failOp = failing(collection, key);
    const ops = [{ op: 'put', resource: patient('a', 'After') }, { op: 'create', resource: patient('b', 'New') }] as const;
    await expect(store.write([...ops], { atomic: true })).rejects.toBeTruthy();
    expect({ resources: db.dump('resources'), history: db.dump('history') }).toEqual(before);
    expect(((await store.read('Patient', 'a')) as Patient).name?.[0].family).toBe('Before');
    await expect(store.read('Patient', 'b')).rejects.toMatchObject({ status: 404 });
  });

  test.each([
    ['loses a race (409)', 'resources', DUPLICATE_KEY, 409],
    ['is refused by the server (500)', 'resources', SERVER_ERROR, 500],
    ['has its history refused (500, resource put back)', 'history', SERVER_ERROR, 500],
  ])('a non-atomic write reports the resource that %s and keeps the others', async (_what, collection, code, status) => {
    const { db, store } = await seeded({ transactions: false, failOp: failing(collection, 'Patient/b', code) });
    const results = await store.write([{ op: 'put', resource: patient('a', 'After') }, { op: 'create', resource: patient('b', 'New') }]);
    expect(results.map((r) => [r.status, r.error?.status])).toEqual([['updated', undefined], ['failed', status]]);
    expect((await store.history('Patient', 'a')).map((v) => v.versionId)).toEqual(['2', '1']);
    await expect(store.history('Patient', 'b')).rejects.toMatchObject({ status: 404 });
    expect(db.dump('resources').map((d) => d._id)).toEqual(['Patient/a']);
  });
});

describe('mongo store with transactions (mingo snapshot)', () => {
  test('an atomic write that loses a race to another writer is rolled back as a 409 WriteOpError', async () => {
    const { db, store } = await seeded({ failOp: failing('resources', 'Patient/b', DUPLICATE_KEY) });
    const before = db.dump('resources');
    const ops = [{ op: 'put', resource: patient('a', 'After') }, { op: 'create', resource: patient('b', 'New') }] as const;
    await expect(store.write([...ops], { atomic: true })).rejects.toMatchObject({ status: 409, index: 1 });
    expect(db.dump('resources')).toEqual(before);
  });
});

describe('mongo store document model', () => {
  test('keys MongoDB treats specially survive byte for byte (the resource is stored as JSON text)', async () => {
    const store = await createMongoStoreFromDatabase(new MingoDatabase());
    const odd = { resourceType: 'Basic', id: 'x', code: { text: 'odd' }, $where: 'sleep(1000)', 'a.b': { $gt: '' }, 'nul\u0000key': 1, __proto__x: { $date: 0 } };
    const stored = await store.create(odd as unknown as Resource);
    const { meta: _meta, ...rest } = await store.read('Basic', 'x');
    expect(rest).toEqual(odd);
    expect(stored.meta.versionId).toBe('1');
  });
});
