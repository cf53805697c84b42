/**
 * Time limits of the MongoDB store: a server-side limit on every read, and a connect that gives up within the
 * configured time with one clear message instead of hanging (MONGODB_TIMEOUT_MS, MONGODB_CONNECT_TIMEOUT_MS);
 * that message names the hosts, never the credentials.
 * Port 1 on the loopback address refuses connections, so no server is needed.
 * @see https://www.mongodb.com/docs/manual/reference/method/cursor.maxTimeMS/
 */
import type { MongoClient } from 'mongodb';
import { loadConfig } from '../../src/config.js';
import { driverDatabase } from '../../src/store/mongo/driver-database.js';
import { createMongoStore } from '../../src/store/mongo/mongo-store.js';
import { openStore } from '../../src/store/open-store.js';

/** Settles `promise` or answers 'still waiting' after `ms`, so a hang fails the test instead of timing it out. */
async function within<T>(promise: Promise<T>, ms: number): Promise<{ error?: Error; value?: T; waiting?: true }> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<{ waiting: true }>((resolve) => {
    timer = setTimeout(() => resolve({ waiting: true }), ms);
  });
  try {
    return await Promise.race([promise.then((value) => ({ value }), (error: Error) => ({ error })), late]);
  } finally {
    clearTimeout(timer);
  }
}

describe('mongo store time limits', () => {
  test('every read carries maxTimeMS; writes do not', async () => {
    const limits: Record<string, number | undefined> = {};
    const took = (name: string, options: { maxTimeMS?: number }) => {
      limits[name] = options.maxTimeMS;
    };
    type Options = { maxTimeMS?: number };
    const cursor = { toArray: async () => [], [Symbol.asyncIterator]: async function* () {} };
    const collection = {
      findOne: async (_f: unknown, o: Options) => (took('findOne', o), null),
      find: (_f: unknown, o: Options) => (took('find', o), cursor),
      countDocuments: async (_f: unknown, o: Options) => (took('countDocuments', o), 0),
      aggregate: (_p: unknown, o: Options) => (took('aggregate', o), cursor),
      bulkWrite: async (_ops: unknown, o: Options) => (took('bulkWrite', o), { insertedCount: 0, matchedCount: 0, upsertedCount: 0, deletedCount: 1 }),
      deleteMany: async (_f: unknown, o: Options) => (took('deleteMany', o), { deletedCount: 0 }),
    };
    const client = { db: () => ({ collection: () => collection }) };
    const c = driverDatabase(client as unknown as MongoClient, 'medgen', { timeoutMs: 1234 }).collection('resources');
    await c.findOne({});
    for await (const doc of c.find({})) expect(doc).toBeUndefined();
    await c.countDocuments({});
    await c.aggregate([]);
    await c.bulkWrite([{ deleteOne: { filter: { _id: 'Patient/a' } } }]);
    await c.deleteMany({});
    expect(limits).toEqual({ findOne: 1234, find: 1234, countDocuments: 1234, aggregate: 1234, bulkWrite: undefined, deleteMany: undefined });
  });

  test('a server that does not answer fails within connectTimeoutMs, naming the host and not the credentials', async () => {
    const started = Date.now();
    const outcome = await within(createMongoStore({ uri: 'mongodb://alice:s3cret@127.0.0.1:1/', dbName: 'medgen', connectTimeoutMs: 500 }), 3000);
    expect(outcome.waiting).toBeUndefined();
    expect(outcome.error?.message).toMatch(/^MongoDB at 127\.0\.0\.1:1 did not answer within 500 ms \(/);
    expect(outcome.error?.message).not.toMatch(/alice|s3cret/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test('a connection string the driver refuses is named as such, without echoing it', async () => {
    const rejected = createMongoStore({ uri: 'mongodb://bob:pa/ss@127.0.0.1:1/', dbName: 'medgen' });
    await expect(rejected).rejects.toThrow(/^the MongoDB connection string is not valid \(/);
    await expect(rejected).rejects.not.toThrow(/pa\/ss/);
  });

  test('MONGODB_TIMEOUT_MS and MONGODB_CONNECT_TIMEOUT_MS: defaults, values, and a clear error for a bad one', () => {
    expect(loadConfig({}, { dataDir: '/tmp/medgen-never-created' })).toMatchObject({ mongodbTimeoutMs: 30000, mongodbConnectTimeoutMs: 10000 });
    expect(loadConfig({ MONGODB_TIMEOUT_MS: '5000', MONGODB_CONNECT_TIMEOUT_MS: '750' })).toMatchObject({ mongodbTimeoutMs: 5000, mongodbConnectTimeoutMs: 750 });
    expect(() => loadConfig({ MONGODB_CONNECT_TIMEOUT_MS: '10s' })).toThrow('MONGODB_CONNECT_TIMEOUT_MS must be a positive number of milliseconds, got "10s"');
    expect(() => loadConfig({ MONGODB_TIMEOUT_MS: '0' })).toThrow('MONGODB_TIMEOUT_MS must be');
  });

  test('openStore passes the configured connect timeout on', async () => {
    const config = loadConfig({ MONGODB_URI: 'mongodb://127.0.0.1:1/', MONGODB_CONNECT_TIMEOUT_MS: '300' });
    const outcome = await within(openStore(config), 3000);
    expect(outcome.error?.message).toMatch(/^MongoDB at 127\.0\.0\.1:1 did not answer within 300 ms/);
  });
});
