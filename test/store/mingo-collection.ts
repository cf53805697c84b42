/**
 * Test support: MongoDatabaseLike over in-memory maps, with mingo evaluating the store's own filters, sorts,
 * projections and aggregation pipelines as MongoDB would. Documents are cloned on the way in and out, as
 * a server would serialise them. Transactions are a snapshot taken before and restored on failure,
 * serialised one at a time (writes outside a transaction are not isolated from one: enough for tests).
 * @see https://github.com/kofrasa/mingo#readme
 */
import { Aggregator, Query } from 'mingo';
import { update as applyUpdate } from 'mingo/updater';
import type { BulkOp, BulkOutcome, FindOptions, MongoCollectionLike, MongoDatabaseLike, MongoDoc, MongoFilter, MongoSort, UpdateSpec } from '../../src/store/mongo/collection.js';

type Docs = Map<string, MongoDoc>;

export interface MingoDatabaseOptions {
  /** Whether withTransaction is all or nothing (default true); false behaves like a standalone server. */
  transactions?: boolean;
  /**
   * Fault injection: a bulk op for which this answers an error code fails as a server write error with that
   * code would (11000: duplicate key, as when another writer got there first).
   */
  failOp?: (collection: string, op: BulkOp<MongoDoc>, index: number) => number | null;
  /**
   * false: every query with an `$elemMatch` is refused, as FerretDB v1 refuses (or mis-answers) it, so the
   * store's path for such servers (element-match.ts) runs in every test run.
   */
  elemMatch?: boolean;
  /**
   * Fault injection: a bulk write or deleteMany on a collection for which this answers an error rejects with
   * it as a whole, before doing anything (as when the connection drops or the process dies before the command).
   */
  failCommand?: (collection: string, command: 'bulkWrite' | 'deleteMany') => Error | null;
}

const DUPLICATE_KEY = 11000;

/** `$set` of a dotted path, as MongoDB applies it: objects on the way are created where missing. */
function setPath(doc: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let at = doc;
  for (const part of parts.slice(0, -1)) {
    if (typeof at[part] !== 'object' || at[part] === null) at[part] = {};
    at = at[part] as Record<string, unknown>;
  }
  at[parts[parts.length - 1]] = value;
}

class MingoCollection<T extends MongoDoc> implements MongoCollectionLike<T> {
  constructor(
    private readonly name: string,
    private readonly docs: () => Docs,
    private readonly options: MingoDatabaseOptions,
  ) {}

  private select(filter: MongoFilter, options: FindOptions = {}): T[] {
    if (this.options.elemMatch === false && JSON.stringify(filter).includes('"$elemMatch"')) {
      throw Object.assign(new Error('unknown operator: c (this server has no $elemMatch)'), { code: 2 });
    }
    const cursor = new Query(filter).find<MongoDoc>([...this.docs().values()], options.projection);
    if (options.sort) cursor.sort(options.sort);
    if (options.skip) cursor.skip(options.skip);
    if (options.limit) cursor.limit(options.limit);
    return cursor.all().map((d) => structuredClone(d) as T);
  }

  private first(filter: MongoFilter): MongoDoc | undefined {
    const query = new Query(filter);
    for (const doc of this.docs().values()) if (query.test(doc)) return doc;
    return undefined;
  }

  async findOne(filter: MongoFilter, options?: Pick<FindOptions, 'projection'>): Promise<T | null> {
    return this.select(filter, { ...options, limit: 1 })[0] ?? null;
  }

  async *find(filter: MongoFilter, options?: FindOptions): AsyncIterable<T> {
    yield* this.select(filter, options);
  }

  async countDocuments(filter: MongoFilter): Promise<number> {
    return this.select(filter).length;
  }

  async bulkWrite(ops: BulkOp<T>[]): Promise<BulkOutcome> {
    const refused = this.options.failCommand?.(this.name, 'bulkWrite');
    if (refused) throw refused;
    const out: BulkOutcome = { insertedCount: 0, matchedCount: 0, upsertedCount: 0, deletedCount: 0, failures: [] };
    const docs = this.docs();
    const insert = (doc: MongoDoc): void => {
      if (docs.has(doc._id)) throw Object.assign(new Error(`E11000 duplicate key ${doc._id}`), { code: DUPLICATE_KEY });
      docs.set(doc._id, structuredClone(doc));
    };
    ops.forEach((op, index) => {
      try {
        const injected = this.options.failOp?.(this.name, op as BulkOp<MongoDoc>, index) ?? null;
        if (injected !== null) throw Object.assign(new Error('injected failure'), { code: injected });
        if ('insertOne' in op) {
          insert(op.insertOne.document);
          out.insertedCount++;
        } else if ('replaceOne' in op) {
          const { filter, replacement, upsert } = op.replaceOne;
          const found = this.first(filter);
          if (found) {
            if (found._id !== replacement._id) throw Object.assign(new Error('_id is immutable'), { code: 66 });
            docs.set(found._id, structuredClone(replacement));
            out.matchedCount++;
          } else if (upsert) {
            insert(replacement);
            out.upsertedCount++;
          }
        } else {
          const found = this.first(op.deleteOne.filter);
          if (found) {
            docs.delete(found._id);
            out.deletedCount++;
          }
        }
      } catch (err) {
        const e = err as Error & { code?: number };
        out.failures.push({ index, code: e.code ?? 1, message: e.message });
      }
    });
    return out;
  }

  async deleteMany(filter: MongoFilter): Promise<number> {
    const refused = this.options.failCommand?.(this.name, 'deleteMany');
    if (refused) throw refused;
    const docs = this.docs();
    const query = new Query(filter);
    const gone = [...docs.values()].filter((d) => query.test(d));
    for (const d of gone) docs.delete(d._id);
    return gone.length;
  }

  async updateMany(filter: MongoFilter, set: Record<string, unknown>): Promise<number> {
    const query = new Query(filter);
    const matched = [...this.docs().values()].filter((d) => query.test(d));
    for (const d of matched) for (const [path, value] of Object.entries(set)) setPath(d, path, structuredClone(value));
    return matched.length;
  }

  async findOneAndUpdate(filter: MongoFilter, update: UpdateSpec): Promise<T | null> {
    const query = new Query(filter);
    const doc = [...this.docs().values()].find((d) => query.test(d));
    if (doc === undefined) return null;
    applyUpdate(doc, update, undefined, undefined, { cloneMode: 'deep' });
    return structuredClone(doc) as T;
  }

  /** Runs on clones: some stages ($addFields) may write into their input documents. */
  async aggregate<R>(pipeline: Record<string, unknown>[]): Promise<R[]> {
    const input = [...this.docs().values()].map((d) => structuredClone(d));
    return new Aggregator(pipeline).run(input) as R[];
  }

  /** Nothing to index in memory; the store's index definitions are still called, so they must not throw. */
  async createIndex(_keys: MongoSort): Promise<void> {}

  /** Nothing indexed, so nothing to drop (a test that needs a server's answers wraps the collection). */
  async dropIndex(_name: string): Promise<void> {}
}

export class MingoDatabase implements MongoDatabaseLike {
  private collections = new Map<string, Docs>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: MingoDatabaseOptions = {}) {}

  private docs(name: string): Docs {
    let docs = this.collections.get(name);
    if (!docs) this.collections.set(name, (docs = new Map()));
    return docs;
  }

  collection<T extends MongoDoc>(name: string): MongoCollectionLike<T> {
    return new MingoCollection<T>(name, () => this.docs(name), this.options);
  }

  /** All documents of a collection, for assertions. */
  dump(name: string): MongoDoc[] {
    return [...this.docs(name).values()].map((d) => structuredClone(d));
  }

  async transactional(): Promise<boolean> {
    return this.options.transactions !== false;
  }

  withTransaction<R>(fn: (db: MongoDatabaseLike) => Promise<R>): Promise<R> {
    if (this.options.transactions === false) return fn(this);
    const run = async (): Promise<R> => {
      const snapshot = structuredClone(this.collections);
      try {
        return await fn(this);
      } catch (err) {
        this.collections = snapshot;
        throw err;
      }
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  async close(): Promise<void> {}
}
