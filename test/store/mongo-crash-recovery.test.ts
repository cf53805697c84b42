/**
 * A write call whose process dies between its resource documents and their history documents (no transaction, so
 * they are two commands): whoever abandons the call stores the missing history documents from the resource
 * documents (history-marks.ts recoverCall), so the change feed and the next backup still hold those versions.
 * On mingo without transactions; the kill is a history write that never returns.
 */
import type { Patient } from 'fhir/r4.js';
import type { MongoCollectionLike, MongoDatabaseLike, MongoDoc } from '../../src/store/mongo/collection.js';
import { HISTORY, RESOURCES } from '../../src/store/mongo/documents.js';
import { createMongoStoreFromDatabase } from '../../src/store/mongo/mongo-store.js';
import type { ResourceStore } from '../../src/store/resource-store.js';
import { collect } from './contract-helpers.js';
import { MingoDatabase } from './mingo-collection.js';

const patient = (id: string, family: string): Patient & { id: string } => ({ resourceType: 'Patient', id, name: [{ family }] });

/** The same database, whose history writes never return: the process "dies" right after its resource writes. */
function dyingAtHistory(db: MingoDatabase): MongoDatabaseLike {
  const hang = (): Promise<never> => new Promise(() => undefined);
  return {
    collection<T extends MongoDoc>(name: string): MongoCollectionLike<T> {
      const c = db.collection<T>(name);
      return name === HISTORY ? new Proxy(c, { get: (target, key) => (key === 'bulkWrite' ? hang : Reflect.get(target, key, target)) }) : c;
    },
    transactional: () => db.transactional(),
    withTransaction: (fn) => db.withTransaction(fn),
    close: () => db.close(),
  };
}

let db: MingoDatabase;
let healthy: ResourceStore;
beforeEach(async () => {
  db = new MingoDatabase({ transactions: false });
  healthy = await createMongoStoreFromDatabase(db, { markWaitMs: 200 });
  await healthy.create(patient('a', 'Before'));
});
afterEach(() => healthy.close());

/**
 * Starts a write of a's second version and b's first that dies after its resource documents landed (If-Match has a
 * loaded first, so both resources are written by one command).
 */
async function dieMidWrite(): Promise<void> {
  const dying = await createMongoStoreFromDatabase(dyingAtHistory(db), {});
  void dying.write([{ op: 'put', resource: patient('a', 'After'), ifMatch: 'W/"1"' }, { op: 'create', resource: patient('b', 'New') }]);
  for (let i = 0; i < 200 && !db.dump(RESOURCES).some((d) => d._id === 'Patient/b'); i++) await new Promise((r) => setTimeout(r, 5));
}

const historyIds = () => db.dump(HISTORY).map((d) => d._id).sort();

test('the change feed, once it abandons the dead call, gives the versions only its resource documents held', async () => {
  const since = await healthy.lastChange();
  await dieMidWrite();
  expect(historyIds()).toEqual(['Patient/a/v1']);
  // Before the call is abandoned the feed holds back behind it, and gives nothing of it.
  expect((await healthy.changes(since, { limit: 10 })).changes).toEqual([]);
  await new Promise((r) => setTimeout(r, 250));
  const { changes } = await healthy.changes(since, { limit: 10 });
  expect(changes.map((c) => `${c.id}/${c.versionId}`)).toEqual(['a/2', 'b/1']);
  expect(JSON.parse(changes[0].json as string).name[0].family).toBe('After');
  expect(changes[1].seq).toBeGreaterThan(changes[0].seq);
  expect(historyIds()).toEqual(['Patient/a/v1', 'Patient/a/v2', 'Patient/b/v1']);
  // A later write of a keeps its history whole: v2 is stored once, not again under the later call.
  await healthy.update(patient('a', 'Later'));
  const later = await healthy.changes(changes[1].seq, { limit: 10 });
  expect(later.changes.map((c) => `${c.id}/${c.versionId}`)).toEqual(['a/3']);
});

test('a history mark that abandons the dead call holds its versions in the backup it bounds', async () => {
  const first = await healthy.markHistory();
  await dieMidWrite();
  const second = await healthy.markHistory();
  const versions = await collect(healthy.streamHistory('Patient', { after: first, through: second }));
  expect(versions.map((r) => `${r.id}/${r.versionId}`).sort()).toEqual(['a/2', 'b/1']);
});
