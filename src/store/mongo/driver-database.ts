/**
 * MongoDatabaseLike over the official driver: a pass-through, plus transaction detection, a server-side time
 * limit on reads, and telling per-op bulk failures from a bulk that was cut short.
 * Transactions need a replica set or a sharded cluster; the `hello` command tells which deployment this is
 * (`setName` on a replica set member, `msg: "isdbgrid"` from mongos). On a standalone server `withTransaction`
 * runs the function directly and the store compensates failed atomic writes (apply-changes.ts).
 * @see https://www.mongodb.com/docs/manual/reference/command/hello/
 * @see https://mongodb.github.io/node-mongodb-native/7.0/classes/ClientSession.html#withTransaction
 */
import { type AnyBulkWriteOperation, type ClientSession, type Collection, type Db, type Document, MongoBulkWriteError, type MongoClient, type WriteError } from 'mongodb';
import type { BulkOp, BulkOutcome, FindOptions, MongoCollectionLike, MongoDatabaseLike, MongoDoc, MongoFilter, MongoSort, UpdateSpec } from './collection.js';

/** Settings of the adapter. */
export interface DriverDatabaseOptions {
  /** Whether `close()` closes the client: true (the default) when the store opened it. */
  ownsClient?: boolean;
  /**
   * Server-side limit (maxTimeMS) on each read, so a runaway query is stopped by the server instead of holding
   * a connection; unset means none. Writes get none: one stopped midway leaves part of it written.
   * @see https://www.mongodb.com/docs/manual/reference/method/cursor.maxTimeMS/
   */
  timeoutMs?: number;
  /** At most this many operations per bulk write command; larger bulks are sent as several (see server-features.ts). */
  maxBulkOps?: number;
}

/**
 * The per-op failures of an unordered bulk write that ran to its end, or undefined when the error says
 * something else. The driver throws writeErrors only after its last batch (UnorderedBulkOperation's
 * handleWriteError). A network or server error (NotWritablePrimary, WriteConflict, a timeout) or a write concern
 * error stops it at the failing batch with `writeErrors` empty, though `result` may hold earlier batches' write
 * errors: which ops landed is then unknown. A write concern error next to write errors means the ops that
 * succeeded may not be durable. Neither is a per-op answer.
 * @see https://github.com/mongodb/node-mongodb-native/blob/main/src/bulk/common.ts
 */
function completedWithWriteErrors(err: unknown): WriteError[] | undefined {
  if (!(err instanceof MongoBulkWriteError)) return undefined;
  const errors = Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors];
  if (errors.length === 0 || errors.length !== err.result.getWriteErrorCount()) return undefined;
  if (err.result.getWriteConcernError() !== undefined) return undefined;
  return errors;
}

class DriverCollection<T extends MongoDoc> implements MongoCollectionLike<T> {
  constructor(
    private readonly c: Collection<Document>,
    private readonly session: ClientSession | undefined,
    private readonly maxTimeMS: number | undefined,
    private readonly maxBulkOps: number,
  ) {}

  async findOne(filter: MongoFilter, options?: Pick<FindOptions, 'projection'>): Promise<T | null> {
    return (await this.c.findOne(filter, { ...options, session: this.session, maxTimeMS: this.maxTimeMS })) as T | null;
  }

  find(filter: MongoFilter, options?: FindOptions): AsyncIterable<T> {
    return this.c.find(filter, { ...options, session: this.session, maxTimeMS: this.maxTimeMS }) as unknown as AsyncIterable<T>;
  }

  countDocuments(filter: MongoFilter): Promise<number> {
    return this.c.countDocuments(filter, { session: this.session, maxTimeMS: this.maxTimeMS });
  }

  /**
   * Unordered, so one failing op does not stop the others. Any error but per-op failures is rethrown as the
   * driver gave it: the caller must fail, and a transaction retries by the error's labels. A bulk longer than
   * maxBulkOps goes as several in turn; one cut short rejects, as a single bulk cut short does.
   */
  async bulkWrite(ops: BulkOp<T>[]): Promise<BulkOutcome> {
    const out: BulkOutcome = { insertedCount: 0, matchedCount: 0, upsertedCount: 0, deletedCount: 0, failures: [] };
    for (let start = 0; start < ops.length; start += this.maxBulkOps) {
      const part = await this.bulkPart(ops.slice(start, start + this.maxBulkOps));
      out.insertedCount += part.insertedCount;
      out.matchedCount += part.matchedCount;
      out.upsertedCount += part.upsertedCount;
      out.deletedCount += part.deletedCount;
      out.failures.push(...part.failures.map((f) => ({ ...f, index: f.index + start })));
    }
    return out;
  }

  private async bulkPart(ops: BulkOp<T>[]): Promise<BulkOutcome> {
    try {
      const r = await this.c.bulkWrite(ops as unknown as AnyBulkWriteOperation<Document>[], { ordered: false, session: this.session });
      return { insertedCount: r.insertedCount, matchedCount: r.matchedCount, upsertedCount: r.upsertedCount, deletedCount: r.deletedCount, failures: [] };
    } catch (err) {
      const errors = completedWithWriteErrors(err);
      if (errors === undefined) throw err;
      const r = (err as MongoBulkWriteError).result;
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

  async updateMany(filter: MongoFilter, set: Record<string, unknown>): Promise<number> {
    return (await this.c.updateMany(filter, { $set: set }, { session: this.session })).modifiedCount;
  }

  async findOneAndUpdate(filter: MongoFilter, update: UpdateSpec): Promise<T | null> {
    return (await this.c.findOneAndUpdate(filter, update, { session: this.session, returnDocument: 'after', maxTimeMS: this.maxTimeMS })) as T | null;
  }

  aggregate<R>(pipeline: Record<string, unknown>[]): Promise<R[]> {
    return this.c.aggregate<R & Document>(pipeline, { session: this.session, maxTimeMS: this.maxTimeMS }).toArray();
  }

  async createIndex(keys: MongoSort, options?: { name?: string; unique?: boolean }): Promise<void> {
    await this.c.createIndex(keys, options);
  }

  async dropIndex(name: string): Promise<void> {
    await this.c.dropIndex(name);
  }
}

class DriverDatabase implements MongoDatabaseLike {
  constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
    private readonly options: DriverDatabaseOptions,
    private readonly detect: () => Promise<boolean>,
    private readonly session?: ClientSession,
  ) {}

  collection<T extends MongoDoc>(name: string): MongoCollectionLike<T> {
    return new DriverCollection<T>(this.db.collection(name), this.session, this.options.timeoutMs, this.options.maxBulkOps ?? Infinity);
  }

  transactional(): Promise<boolean> {
    return this.detect();
  }

  async withTransaction<R>(fn: (db: MongoDatabaseLike) => Promise<R>): Promise<R> {
    // Already inside one (nested call) or no transactions on this deployment: run directly.
    if (this.session !== undefined || !(await this.detect())) return fn(this);
    return this.client.withSession((session) =>
      session.withTransaction(() => fn(new DriverDatabase(this.client, this.db, { ...this.options, ownsClient: false }, this.detect, session))),
    );
  }

  async close(): Promise<void> {
    if (this.options.ownsClient ?? true) await this.client.close();
  }
}

/**
 * The narrow database over a connected driver client.
 * @see https://mongodb.github.io/node-mongodb-native/7.0/classes/MongoClient.html
 */
export function driverDatabase(client: MongoClient, dbName: string, options: DriverDatabaseOptions = {}): MongoDatabaseLike {
  const db = client.db(dbName);
  // The deployment does not change under a running process, so one answer serves for good; a failed ask is
  // forgotten, or one transient failure at start would break every atomic write until a restart.
  let detected: Promise<boolean> | undefined;
  const detect = (): Promise<boolean> => {
    detected ??= db
      .admin()
      .command({ hello: 1 })
      .then(
        (hello) => typeof hello.setName === 'string' || hello.msg === 'isdbgrid',
        (err: unknown) => {
          detected = undefined;
          throw err;
        },
      );
    return detected;
  };
  return new DriverDatabase(client, db, options, detect);
}
