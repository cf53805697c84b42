/**
 * A write call whose process dies between its resource documents and their history documents (outside a
 * transaction, as every write that need not be atomic is, they are two commands): whoever abandons the call stores
 * the missing history documents from the resource documents (history-marks.ts recoverCall), so the change feed and
 * the next backup still hold those versions. On mingo, and on the server of MONGODB_URI; the kill is a history
 * write that never returns.
 */
import type { Patient } from 'fhir/r4.js';
import { MongoClient } from 'mongodb';
import type { MongoCollectionLike, MongoDatabaseLike, MongoDoc } from '../../src/store/mongo/collection.js';
import { HISTORY, RESOURCES } from '../../src/store/mongo/documents.js';
import { driverDatabase } from '../../src/store/mongo/driver-database.js';
import { createMongoStoreFromDatabase } from '../../src/store/mongo/mongo-store.js';
import type { ResourceStore } from '../../src/store/resource-store.js';
import { collect } from './contract-helpers.js';
import { MingoDatabase } from './mingo-collection.js';
import { serverUri } from './server-uri.js';

const patient = (id: string, family: string): Patient & { id: string } => ({ resourceType: 'Patient', id, name: [{ family }] });

/** The same database, whose history writes never return: the process "dies" right after its resource writes. */
function dyingAtHistory(db: MongoDatabaseLike): MongoDatabaseLike {
  const hang = (): Promise<never> => new Promise(() => undefined);
  return {
    collection<T extends MongoDoc>(name: string): MongoCollectionLike<T> {
      const c = db.collection<T>(name);
      return name === HISTORY ? new Proxy(c, { get: (target, key) => (key === 'bulkWrite' ? hang : Reflect.get(target, key, target)) }) : c;
    },
    transactional: () => db.transactional(),
    withTransaction: (fn) => db.withTransaction(fn),
    close: async () => undefined,
  };
}

async function ids(db: MongoDatabaseLike, collection: string): Promise<string[]> {
  const out: string[] = [];
  for await (const doc of db.collection(collection).find({}, { projection: { _id: 1 } })) out.push(doc._id);
  return out.sort();
}

interface Target {
  db: MongoDatabaseLike;
  done(): Promise<void>;
}

const targets: [string, () => Promise<Target>][] = [['mingo', async () => ({ db: new MingoDatabase({ transactions: false }), done: async () => undefined })]];
if (serverUri) {
  const uri = serverUri;
  targets.push([
    'the MONGODB_URI server',
    async () => {
      const client = await new MongoClient(uri).connect();
      const name = `${process.env.MONGODB_DB ?? 'medgen'}_crash_recovery_test`;
      await client.db(name).dropDatabase();
      // The store's close() closes the client: the database is dropped before it.
      return { db: driverDatabase(client, name), done: async () => void (await client.db(name).dropDatabase()) };
    },
  ]);
}

describe.each(targets)('a write killed between its two commands (%s)', (_name, open) => {
  let target: Target;
  let healthy: ResourceStore;
  beforeEach(async () => {
    target = await open();
    healthy = await createMongoStoreFromDatabase(target.db, { markWaitMs: 300 });
    await healthy.create(patient('a', 'Before'));
  }, 30_000);
  afterEach(async () => {
    await target.done();
    await healthy.close();
  }, 30_000);

  /**
   * Starts a write of a's second version and b's first that dies after its resource documents landed (If-Match has a
   * loaded first, so both resources are written by one command).
   */
  async function dieMidWrite(): Promise<void> {
    const dying = await createMongoStoreFromDatabase(dyingAtHistory(target.db), {});
    void dying.write([{ op: 'put', resource: patient('a', 'After'), ifMatch: 'W/"1"' }, { op: 'create', resource: patient('b', 'New') }]);
    for (let i = 0; i < 1000 && !(await ids(target.db, RESOURCES)).includes('Patient/b'); i++) await new Promise((r) => setTimeout(r, 10));
  }

  test('the change feed, once it abandons the dead call, gives the versions only its resource documents held', async () => {
    const since = await healthy.lastChange();
    await dieMidWrite();
    expect(await ids(target.db, HISTORY)).toEqual(['Patient/a/v1']);
    // Before the call is abandoned the feed holds back behind it, and gives nothing of it.
    expect((await healthy.changes(since, { limit: 10 })).changes).toEqual([]);
    await new Promise((r) => setTimeout(r, 350));
    const { changes } = await healthy.changes(since, { limit: 10 });
    expect(changes.map((c) => `${c.id}/${c.versionId}`)).toEqual(['a/2', 'b/1']);
    expect(JSON.parse(changes[0].json as string).name[0].family).toBe('After');
    expect(changes[1].seq).toBeGreaterThan(changes[0].seq);
    expect(await ids(target.db, HISTORY)).toEqual(['Patient/a/v1', 'Patient/a/v2', 'Patient/b/v1']);
    // A later write of a keeps its history whole: v2 is stored once, not again under the later call.
    await healthy.update(patient('a', 'Later'));
    const later = await healthy.changes(changes[1].seq, { limit: 10 });
    expect(later.changes.map((c) => `${c.id}/${c.versionId}`)).toEqual(['a/3']);
  }, 30_000);

  test('a history mark that abandons the dead call holds its versions in the backup it bounds', async () => {
    const first = await healthy.markHistory();
    await dieMidWrite();
    const second = await healthy.markHistory();
    const versions = await collect(healthy.streamHistory('Patient', { after: first, through: second }));
    expect(versions.map((r) => `${r.id}/${r.versionId}`).sort()).toEqual(['a/2', 'b/1']);
  }, 30_000);
});
