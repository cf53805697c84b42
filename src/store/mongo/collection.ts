/**
 * The narrow part of MongoDB the store depends on. Two implementations exist: the official driver
 * (driver-database.ts) and, for tests, mingo over in-memory arrays (test/store/mingo-collection.ts), so the
 * store's own filters, sorts and pipelines run in every test even where no MongoDB server can.
 * Shapes follow the driver's so its adapter stays a pass-through.
 * @see https://mongodb.github.io/node-mongodb-native/7.0/classes/Collection.html
 */

/** Every document the store writes has a string `_id` ("Type/id" or "Type/id/vN"). */
export type MongoDoc = { _id: string } & Record<string, unknown>;

/** A query filter built by the store from its own operators; client values only ever appear as values. */
export type MongoFilter = Record<string, unknown>;

/** A sort or index key specification: field → 1 (ascending) or -1 (descending). */
export type MongoSort = Record<string, 1 | -1>;

/** The `find` options the store uses, as the driver names them. */
export interface FindOptions {
  sort?: MongoSort;
  skip?: number;
  limit?: number;
  /** Inclusion projection (`{ field: 1 }`); `_id` is always returned. */
  projection?: Record<string, 1>;
}

/** The bulk operations the store uses, in the driver's `bulkWrite` shape. */
export type BulkOp<T extends MongoDoc> =
  | { insertOne: { document: T } }
  | { replaceOne: { filter: MongoFilter; replacement: T; upsert?: boolean } }
  | { deleteOne: { filter: MongoFilter } };

/**
 * The update operators the store uses on single documents (the positions counter, history-marks.ts): `$inc`
 * and `$set`/`$unset` of top-level or dotted fields.
 */
export interface UpdateSpec {
  $inc?: Record<string, number>;
  $set?: Record<string, unknown>;
  $unset?: Record<string, ''>;
}

/** One failed operation of an unordered bulk write, located by its position (like the driver's WriteError). */
export interface BulkFailure {
  index: number;
  /** Server error code: 11000 is a duplicate key. */
  code: number;
  message: string;
}

/** Counts of an unordered bulk write, as the driver's BulkWriteResult has them, plus its per-op failures. */
export interface BulkOutcome {
  insertedCount: number;
  matchedCount: number;
  upsertedCount: number;
  deletedCount: number;
  /** Operations that failed; the others were applied (writes are always unordered). */
  failures: BulkFailure[];
}

/** The collection operations the store uses; in a transaction, each belongs to it. */
export interface MongoCollectionLike<T extends MongoDoc> {
  findOne(filter: MongoFilter, options?: Pick<FindOptions, 'projection'>): Promise<T | null>;
  /** Streams matches; callers may stop early (the cursor is closed when iteration ends). */
  find(filter: MongoFilter, options?: FindOptions): AsyncIterable<T>;
  countDocuments(filter: MongoFilter): Promise<number>;
  /** Unordered bulk write: every operation is attempted, failures are reported per index, never thrown. */
  bulkWrite(ops: BulkOp<T>[]): Promise<BulkOutcome>;
  deleteMany(filter: MongoFilter): Promise<number>;
  /** Sets top-level fields (`$set`) on every match, as one command; resolves with the number changed. */
  updateMany(filter: MongoFilter, set: Record<string, unknown>): Promise<number>;
  /**
   * Applies `update` to the first match, atomically, and resolves with the document as it is after; null when
   * nothing matched (nothing is created).
   */
  findOneAndUpdate(filter: MongoFilter, update: UpdateSpec): Promise<T | null>;
  aggregate<R>(pipeline: Record<string, unknown>[]): Promise<R[]>;
  createIndex(keys: MongoSort, options?: { name?: string; unique?: boolean }): Promise<void>;
  /** Drops an index by name; rejects as the server does when it or the collection does not exist (codes 27, 26). */
  dropIndex(name: string): Promise<void>;
}

/** A database: its collections, transactions when the deployment has them, and closing the connection. */
export interface MongoDatabaseLike {
  collection<T extends MongoDoc>(name: string): MongoCollectionLike<T>;
  /**
   * Whether `withTransaction` is all or nothing. MongoDB transactions need a replica set or a sharded
   * cluster; on a standalone server the store compensates failed atomic writes itself (see apply-changes.ts).
   * @see https://www.mongodb.com/docs/manual/core/transactions/
   */
  transactional(): Promise<boolean>;
  /**
   * Runs `fn` with a database whose operations belong to one transaction when `transactional()`; otherwise
   * runs it directly. `fn` may be called again when the server asks for a retry, so it must start afresh.
   */
  withTransaction<R>(fn: (db: MongoDatabaseLike) => Promise<R>): Promise<R>;
  close(): Promise<void>;
}
