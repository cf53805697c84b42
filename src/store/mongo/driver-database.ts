/**
 * MongoDatabaseLike over the official driver: a pass-through, plus transaction detection. Transactions
 * need a replica set or a sharded cluster; the `hello` command tells which deployment this is (`setName`
 * on a replica set member, `msg: "isdbgrid"` from mongos). On a standalone server `withTransaction` runs
 * the function directly and the store compensates failed atomic writes (apply-changes.ts).
 * @see https://www.mongodb.com/docs/manual/reference/command/hello/
 * @see https://mongodb.github.io/node-mongodb-native/7.0/classes/ClientSession.html#withTransaction
 */
import { type AnyBulkWriteOperation, type ClientSession, type Collection, type Db, type Document, MongoBulkWriteError, type MongoClient } from 'mongodb';
import type { BulkOp, BulkOutcome, FindOptions, MongoCollectionLike, MongoDatabaseLike, MongoDoc, MongoFilter, MongoSort } from './collection.js';

class DriverCollection<T extends MongoDoc> implements MongoCollectionLike<T> {
  constructor(
    private readonly c: Collection<Document>,
    private readonly session: ClientSession | undefined,
  ) {}

  async findOne(filter: MongoFilter, options?: Pick<FindOptions, 'projection'>): Promise<T | null> {
    return (await this.c.findOne(filter, { ...options, session: this.session })) as T | null;
  }

  find(filter: MongoFilter, options?: FindOptions): AsyncIterable<T> {
    return this.c.find(filter, { ...options, session: this.session }) as unknown as AsyncIterable<T>;
  }

  countDocuments(filter: MongoFilter): Promise<number> {
    return this.c.countDocuments(filter, { session: this.session });
  }

  /** Unordered, so one failing op does not stop the others; per-op failures come from MongoBulkWriteError. */
  async bulkWrite(ops: BulkOp<T>[]): Promise<BulkOutcome> {
    try {
      const r = await this.c.bulkWrite(ops as unknown as AnyBulkWriteOperation<Document>[], { ordered: false, session: this.session });
      return { insertedCount: r.insertedCount, matchedCount: r.matchedCount, upsertedCount: r.upsertedCount, deletedCount: r.deletedCount, failures: [] };
    } catch (err) {
      if (!(err instanceof MongoBulkWriteError) || err.writeErrors === undefined) throw err;
      const errors = Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors];
      const r = err.result;
      return {
        insertedCount: r.insertedCount,
        matchedCount: r.matchedCount,
        upsertedCount: r.upsertedCount,
        deletedCount: r.deletedCount,
        failures: errors.map((e) => ({ index: e.index, code: e.code, message: e.errmsg ?? 'write error' })),
      };
    }
  }

  async deleteMany(filter: MongoFilter): Promise<number> {
    return (await this.c.deleteMany(filter, { session: this.session })).deletedCount;
  }

  aggregate<R>(pipeline: Record<string, unknown>[]): Promise<R[]> {
    return this.c.aggregate<R & Document>(pipeline, { session: this.session }).toArray();
  }

  async createIndex(keys: MongoSort, options?: { name?: string; unique?: boolean }): Promise<void> {
    await this.c.createIndex(keys, options);
  }
}

class DriverDatabase implements MongoDatabaseLike {
  constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
    private readonly owned: boolean,
    private readonly detect: () => Promise<boolean>,
    private readonly session?: ClientSession,
  ) {}

  collection<T extends MongoDoc>(name: string): MongoCollectionLike<T> {
    return new DriverCollection<T>(this.db.collection(name), this.session);
  }

  transactional(): Promise<boolean> {
    return this.detect();
  }

  async withTransaction<R>(fn: (db: MongoDatabaseLike) => Promise<R>): Promise<R> {
    // Already inside one (nested call) or no transactions on this deployment: run directly.
    if (this.session !== undefined || !(await this.detect())) return fn(this);
    return this.client.withSession((session) =>
      session.withTransaction(() => fn(new DriverDatabase(this.client, this.db, false, this.detect, session))),
    );
  }

  async close(): Promise<void> {
    if (this.owned) await this.client.close();
  }
}

/**
 * The narrow database over a connected driver client. `ownsClient`: whether `close()` closes the client
 * (true when the store opened it).
 */
export function driverDatabase(client: MongoClient, dbName: string, ownsClient = true): MongoDatabaseLike {
  const db = client.db(dbName);
  let detected: Promise<boolean> | undefined;
  const detect = (): Promise<boolean> => {
    detected ??= db
      .admin()
      .command({ hello: 1 })
      .then((hello) => typeof hello.setName === 'string' || hello.msg === 'isdbgrid');
    return detected;
  };
  return new DriverDatabase(client, db, ownsClient, detect);
}
