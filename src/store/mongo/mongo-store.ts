/**
 * The MongoDB ResourceStore, written against the narrow MongoDatabaseLike (collection.ts) so the same code
 * runs on the official driver (createMongoStore) and, in tests, on mingo (createMongoStoreFromDatabase).
 * Writes are planned in memory (write-plan.ts) and then written as unordered bulks guarded by version
 * (apply-changes.ts); atomic calls run in a transaction when the deployment has them.
 * @see https://hl7.org/fhir/R4/http.html
 * @see https://www.mongodb.com/docs/drivers/node/current/
 */
import { randomUUID } from 'node:crypto';
import type { Resource } from 'fhir/r4.js';
import { MongoClient, MongoServerSelectionError } from 'mongodb';
import { DEFAULT_MONGODB_CONNECT_TIMEOUT_MS, DEFAULT_MONGODB_TIMEOUT_MS } from '../../config.js';
import { OperationOutcomeError, badRequest, serverError } from '../../fhir/outcomes.js';
import { computeIndex } from '../../search/index-resource.js';
import type { SearchQuery, SearchResult } from '../../search/types.js';
import { assertJob, assertJobListArgs, assertLeaseArgs, assertSystemKey, checkSystemOption } from '../lease-args.js';
import { createClock } from '../resource-meta.js';
import type { ChangePage, ChangeQuery, RawVersionRecord, ResourceStore, StoredJob, StoredResource, WriteOp, WriteOptions, WriteResult, WriteStatus } from '../resource-store.js';
import { assertChangeArgs } from '../change-args.js';
import { mongoChanges, mongoLastChange } from './change-feed.js';
import type { MongoDatabaseLike } from './collection.js';
import { HISTORY, RESOURCES, type ResourceDoc, ordinals, parseResource } from './documents.js';
import { driverDatabase } from './driver-database.js';
import { markHistory, withPosition } from './history-marks.js';
import { upgradeLayout } from './layout-upgrade.js';
import { ensureIndexes } from './mongo-indexes.js';
import { MongoReads, toArray } from './mongo-reads.js';
import { restoreVersions } from './restore-versions.js';
import { searchFilter } from './search-filter.js';
import { findMatching, usesElementMatch } from './element-match.js';
import { searchPage } from './search-page.js';
import { serverFeatures } from './server-features.js';
import { acquireLease, releaseLease } from './leases.js';
import { getSystemDoc, putSystemDoc } from './system-collections.js';
import { deleteJobDoc, getJobDoc, listJobDocs, putJobDoc } from './job-collection.js';
import { writeCall } from './write-call.js';
import type { Indexer, PlanContext } from './write-plan.js';

/** Dependencies a caller may substitute. */
export interface MongoStoreOptions {
  /** What a resource contributes to the indexes; computeIndex unless a test substitutes it. */
  computeIndex?: Indexer;
  /** The clock for meta.lastUpdated (epoch ms). */
  now?: () => number;
  /**
   * Whether the server matches one array element against several conditions (`$elemMatch`); false runs
   * searches through element-match.ts. Default true, as MongoDB does.
   */
  perElementMatch?: boolean;
  /**
   * How long a history mark waits for the write calls open when it was taken, and how long the change feed waits for
   * a call open before it abandons it (history-marks.ts).
   */
  markWaitMs?: number;
}

function single(result: WriteResult): WriteResult & { resource?: StoredResource } {
  if (result.status === 'failed' && result.error) throw new OperationOutcomeError(result.error.status, result.error.outcome);
  return result;
}

class MongoResourceStore extends MongoReads implements ResourceStore {
  readonly kind = 'mongo';
  private readonly clock: () => number;
  private readonly index: Indexer;
  private readonly markWaitMs: number | undefined;

  constructor(db: MongoDatabaseLike, options: MongoStoreOptions) {
    super(db, options.perElementMatch ?? true);
    this.markWaitMs = options.markWaitMs;
    this.clock = createClock(options.now);
    this.index = options.computeIndex ?? computeIndex;
  }

  async create(resource: Resource): Promise<StoredResource> {
    return single((await this.write([{ op: 'create', resource }]))[0]).resource as StoredResource;
  }

  async update(resource: Resource & { id: string }, ifMatch?: string): Promise<{ resource: StoredResource; status: WriteStatus }> {
    const r = single((await this.write([{ op: 'put', resource, ifMatch }]))[0]);
    return { resource: r.resource as StoredResource, status: r.status };
  }

  async delete(resourceType: string, id: string, ifMatch?: string): Promise<void> {
    single((await this.write([{ op: 'delete', resourceType, id, ifMatch }]))[0]);
  }

  async write(ops: WriteOp[], options: WriteOptions = {}): Promise<WriteResult[]> {
    if (!Array.isArray(ops)) throw badRequest('write() takes a list of operations');
    const system = checkSystemOption(options);
    const token = randomUUID();
    // The position is taken outside any transaction: every call updates the one counter document (history-marks.ts).
    if (options.atomic) {
      const transactional = await this.db.transactional();
      const atomically = (q: number) =>
        this.db.withTransaction(async (tx) => {
          // The time is taken in the callback, so a transaction the server retries is stamped afresh.
          const ctx = { now: this.clock(), token, q, ordinal: ordinals(), index: this.index };
          const results = await writeCall(tx, ops, ctx, { atomic: true, transactional });
          await this.following(tx, results, options.follow, { ...ctx, token: randomUUID() }, transactional);
          // Inside the transaction when there is one; without, writeCall has thrown on any failure first.
          if (system) await putSystemDoc(tx, system.key, system.doc);
          return results;
        });
      return withPosition(this.db, atomically, transactional);
    }
    return withPosition(this.db, async (q) => {
      const ctx = { now: this.clock(), token, q, ordinal: ordinals(), index: this.index };
      const results = await writeCall(this.db, ops, ctx, { atomic: false, transactional: false });
      await this.following(this.db, results, options.follow, { ...ctx, token: randomUUID() }, false);
      return results;
    });
  }

  /**
   * WriteOptions.follow: its ops under the same position (and transaction, when there is one), numbered after the
   * call's own documents; all or nothing. Without a transaction they are a second bulk, which a crash in between
   * leaves unwritten.
   */
  private async following(db: MongoDatabaseLike, results: WriteResult[], follow: WriteOptions['follow'], ctx: PlanContext, transactional: boolean): Promise<void> {
    const ops = follow?.(results) ?? [];
    if (ops.length > 0) await writeCall(db, ops, ctx, { atomic: true, transactional });
  }

  async search(query: SearchQuery): Promise<SearchResult<StoredResource>> {
    const filter = searchFilter(query, Date.now());
    const page = query.summaryCount ? null : searchPage(query);
    const resources = this.db.collection<ResourceDoc>(RESOURCES);
    if (this.perElement || !usesElementMatch(filter)) {
      const total = await resources.countDocuments(filter);
      if (page === null || total === 0) return { resources: [], total };
      const docs = await toArray(resources.find(filter, { ...page, projection: { json: 1 } }));
      return { resources: docs.map(parseResource), total };
    }
    // Every match is checked here (element-match.ts), so the total is counted here too.
    const matches = await toArray(findMatching(resources, filter, { sort: page?.sort, projection: { _id: 1 } }, false));
    if (page === null) return { resources: [], total: matches.length };
    const keys = matches.slice(page.skip ?? 0, (page.skip ?? 0) + (page.limit ?? Infinity)).map((d) => d._id);
    const byKey = new Map<string, ResourceDoc>();
    for await (const doc of resources.find({ _id: { $in: keys } }, { projection: { json: 1 } })) byKey.set(doc._id, doc);
    return { resources: keys.flatMap((k) => (byKey.has(k) ? [parseResource(byKey.get(k) as ResourceDoc)] : [])), total: matches.length };
  }

  restoreVersions(records: RawVersionRecord[]): Promise<number> {
    return restoreVersions(this.db, records, this.index);
  }

  markHistory(): Promise<string> {
    return markHistory(this.db, this.markWaitMs);
  }

  async changes(since: number, query: ChangeQuery): Promise<ChangePage> {
    assertChangeArgs(since, query);
    return mongoChanges(this.db, since, query, this.markWaitMs);
  }

  lastChange(): Promise<number> {
    return mongoLastChange(this.db, this.markWaitMs);
  }

  /** Wall-clock time, not the store clock: leases are shared with other processes. */
  async acquireLock(name: string, owner: string, ttlMs: number): Promise<boolean> {
    assertLeaseArgs(name, owner, ttlMs);
    return acquireLease(this.db, name, owner, ttlMs, Date.now());
  }

  async releaseLock(name: string, owner: string): Promise<void> {
    assertLeaseArgs(name, owner);
    await releaseLease(this.db, name, owner);
  }

  async getSystem<T = unknown>(key: string): Promise<T | null> {
    assertSystemKey(key);
    return getSystemDoc<T>(this.db, key);
  }

  async putSystem(key: string, doc: unknown): Promise<void> {
    assertSystemKey(key);
    await putSystemDoc(this.db, key, doc);
  }

  async putJob(record: StoredJob): Promise<void> {
    assertJob(record);
    await putJobDoc(this.db, record);
  }

  async getJob<T extends StoredJob = StoredJob>(id: string): Promise<T | null> {
    assertSystemKey(id);
    return getJobDoc<T>(this.db, id);
  }

  async listJobs<T extends StoredJob = StoredJob>(options: { statuses?: readonly string[]; limit: number }): Promise<T[]> {
    assertJobListArgs(options);
    return listJobDocs<T>(this.db, options.statuses, options.limit);
  }

  async deleteJob(id: string): Promise<void> {
    assertSystemKey(id);
    await deleteJobDoc(this.db, id);
  }

  /**
   * Leases, system documents and jobs stay (see the contract). History first, then resources, each attempted whatever the other did: history left without its resources is
   * not a version to readers and is overwritten by later writes (apply-changes.ts), so a clear cut short leaves
   * the store consistent, and running it again finishes it.
   */
  async clear(): Promise<void> {
    const errors: unknown[] = [];
    for (const name of [HISTORY, RESOURCES]) await this.db.collection(name).deleteMany({}).catch((err: unknown) => errors.push(err));
    if (errors.length > 0) {
      const reason = errors[0] instanceof Error ? errors[0].message : String(errors[0]);
      throw serverError(`clearing the store stopped part-way (${reason}); run it again to finish`);
    }
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

/**
 * A store over any MongoDatabaseLike (tests pass the mingo one); first brings the database's indexes and its
 * documents' layout up to date (each once per deployment).
 */
export async function createMongoStoreFromDatabase(db: MongoDatabaseLike, options: MongoStoreOptions = {}): Promise<ResourceStore> {
  await ensureIndexes(db);
  await upgradeLayout(db);
  return new MongoResourceStore(db, options);
}

/** Where and how long to talk to MongoDB (Config's MONGODB_* settings). */
export interface MongoConnectOptions {
  uri: string;
  dbName: string;
  /** Server-side limit on each read, in ms (MONGODB_TIMEOUT_MS). */
  timeoutMs?: number;
  /** How long to wait for a server to answer, at connect and for each operation, in ms (MONGODB_CONNECT_TIMEOUT_MS). */
  connectTimeoutMs?: number;
}

/** The hosts of a connection string as the driver parsed them: never its credentials. */
function hostsOf(client: MongoClient): string {
  return client.options.srvHost ?? client.options.hosts.map(String).join(',');
}

/** One line that says which server and what went wrong; the driver's error stays as the cause. */
function openError(err: unknown, hosts: string, connectTimeoutMs: number): Error {
  const reason = err instanceof Error ? err.message : String(err);
  if (err instanceof MongoServerSelectionError) return new Error(`MongoDB at ${hosts} did not answer within ${connectTimeoutMs} ms (${reason})`, { cause: err });
  return new Error(`MongoDB at ${hosts} could not be opened (${reason})`, { cause: err });
}

/**
 * Connects to MongoDB with the official driver; `close()` closes the connection. Failing to, it rejects with
 * an Error naming the hosts (not the credentials): a server that does not answer within `connectTimeoutMs`
 * (the driver's server selection timeout) says so.
 * @see https://www.mongodb.com/docs/drivers/node/current/connect/connection-options/
 */
export async function createMongoStore(config: MongoConnectOptions & MongoStoreOptions): Promise<ResourceStore> {
  const connectTimeoutMs = config.connectTimeoutMs ?? DEFAULT_MONGODB_CONNECT_TIMEOUT_MS;
  let client: MongoClient;
  try {
    client = new MongoClient(config.uri, { appName: 'medgen-data', serverSelectionTimeoutMS: connectTimeoutMs, connectTimeoutMS: connectTimeoutMs });
  } catch (err) {
    throw new Error(`the MongoDB connection string is not valid (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
  try {
    await client.connect();
    const { perElementMatch, maxBulkOps } = await serverFeatures(client.db(config.dbName));
    const db = driverDatabase(client, config.dbName, { timeoutMs: config.timeoutMs ?? DEFAULT_MONGODB_TIMEOUT_MS, maxBulkOps });
    return await createMongoStoreFromDatabase(db, { perElementMatch, ...config });
  } catch (err) {
    await client.close();
    throw openError(err, hostsOf(client), connectTimeoutMs);
  }
}

export type { MongoDatabaseLike } from './collection.js';
