/**
 * Insert first (write-call.ts): without transactions, a write of resources not loaded before reads nothing
 * before it writes, and one that meets existing resources decides their ops again against them, with the
 * same results as loading first. Inside a transaction, everything is loaded first.
 */
import type { Resource } from 'fhir/r4.js';
import type { MongoCollectionLike, MongoDoc, MongoFilter } from '../../src/store/mongo/collection.js';
import { createMongoStoreFromDatabase } from '../../src/store/mongo/mongo-store.js';
import type { ResourceStore } from '../../src/store/resource-store.js';
import { MingoDatabase } from './mingo-collection.js';

const patient = (id: string, family: string): Resource & { id: string } => ({ resourceType: 'Patient', id, name: [{ family }] }) as Resource & { id: string };

/** A mingo database that records, in order, the finds and bulk writes on the resources collection. */
class RecordingDatabase extends MingoDatabase {
  readonly calls: string[] = [];

  override collection<T extends MongoDoc>(name: string): MongoCollectionLike<T> {
    const inner = super.collection<T>(name);
    if (name !== 'resources') return inner;
    const calls = this.calls;
    return Object.assign(Object.create(inner) as MongoCollectionLike<T>, {
      find: (filter: MongoFilter, options?: object) => {
        calls.push(`find ${JSON.stringify((filter._id as { $in?: string[] } | undefined)?.$in ?? filter)}`);
        return inner.find(filter, options);
      },
      bulkWrite: (ops: Parameters<MongoCollectionLike<T>['bulkWrite']>[0]) => {
        calls.push(`bulkWrite ${ops.length}`);
        return inner.bulkWrite(ops);
      },
    });
  }
}

async function open(transactions: boolean): Promise<{ db: RecordingDatabase; store: ResourceStore }> {
  const db = new RecordingDatabase({ transactions });
  return { db, store: await createMongoStoreFromDatabase(db) };
}

describe.each([false, true])('mongo store without transactions: insert first (atomic: %s)', (atomic) => {
  test('new resources are written without a read before', async () => {
    const { db, store } = await open(false);
    db.calls.length = 0;
    const results = await store.write([{ op: 'create', resource: patient('a', 'A') }, { op: 'put', resource: patient('b', 'B') }], { atomic });
    expect(results.map((r) => r.status)).toEqual(['created', 'created']);
    expect(db.calls).toEqual(['bulkWrite 2']);
    expect((await store.history('Patient', 'b')).map((v) => v.versionId)).toEqual(['1']);
  });

  test('resources already there are loaded after their insert fails, and decided as loading first would', async () => {
    const { db, store } = await open(false);
    await store.write([{ op: 'create', resource: patient('same', 'S') }, { op: 'create', resource: patient('changed', 'C') }, { op: 'create', resource: patient('gone', 'G') }]);
    await store.delete('Patient', 'gone');
    db.calls.length = 0;
    const ops = [
      { op: 'put' as const, resource: patient('same', 'S') },
      { op: 'put' as const, resource: patient('changed', 'C2') },
      { op: 'create' as const, resource: patient('gone', 'G2') },
      { op: 'put' as const, resource: patient('new', 'N') },
    ];
    const results = await store.write(ops, { atomic });
    expect(results.map((r) => [r.index, r.status])).toEqual([[0, 'unchanged'], [1, 'updated'], [2, 'created'], [3, 'created']]);
    expect(db.calls).toEqual(['bulkWrite 4', 'find ["Patient/same","Patient/changed","Patient/gone"]', 'bulkWrite 2']);
    expect((await store.history('Patient', 'changed')).map((v) => v.versionId)).toEqual(['2', '1']);
    expect((await store.history('Patient', 'gone')).map((v) => v.versionId)).toEqual(['3', '2', '1']);
    expect((await store.read('Patient', 'new')).meta?.versionId).toBe('1');
  });

  test('a create meeting a live resource is a conflict; an atomic call then writes nothing', async () => {
    const { db, store } = await open(false);
    await store.create(patient('taken', 'T'));
    const ops = [{ op: 'put' as const, resource: patient('fresh', 'F') }, { op: 'create' as const, resource: patient('taken', 'Other') }];
    if (atomic) {
      await expect(store.write(ops, { atomic })).rejects.toMatchObject({ status: 409, index: 1 });
      expect(db.dump('resources').map((d) => d._id)).toEqual(['Patient/taken']);
      expect(db.dump('history').map((d) => d._id)).toEqual(['Patient/taken/v1']);
    } else {
      const results = await store.write(ops);
      expect(results.map((r) => [r.status, r.error?.status])).toEqual([['created', undefined], ['failed', 409]]);
    }
    expect((await store.read('Patient', 'taken')).meta?.versionId).toBe('1');
  });
});

test('inside a transaction everything is loaded before the write', async () => {
  const { db, store } = await open(true);
  db.calls.length = 0;
  await store.write([{ op: 'put', resource: patient('a', 'A') }], { atomic: true });
  expect(db.calls).toEqual(['find ["Patient/a"]', 'bulkWrite 1']);
});
