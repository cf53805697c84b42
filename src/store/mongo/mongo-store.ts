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
import { MongoClient } from 'mongodb';
import { OperationOutcomeError, badRequest } from '../../fhir/outcomes.js';
import { computeIndex } from '../../search/index-resource.js';
import type { SearchQuery, SearchResult } from '../../search/types.js';
import { assertLeaseArgs, assertSystemKey, checkSystemOption } from '../lease-args.js';
import { createClock } from '../resource-meta.js';
import type { RawVersionRecord, ResourceStore, StoredResource, WriteOp, WriteOptions, WriteResult, WriteStatus } from '../resource-store.js';
import { applyAtomically, applyPlan } from './apply-changes.js';
import type { MongoDatabaseLike } from './collection.js';
import { HISTORY, RESOURCES, type ResourceDoc, parseResource } from './documents.js';
import { driverDatabase } from './driver-database.js';
import { ensureIndexes } from './mongo-indexes.js';
import { MongoReads } from './mongo-reads.js';
import { restoreVersions } from './restore-versions.js';
import { searchFilter } from './search-filter.js';
import { searchPipeline } from './search-pipeline.js';
import { acquireLease, getSystemDoc, putSystemDoc, releaseLease } from './system-collections.js';
import { opError } from './write-errors.js';
import { type Indexer, opKey, planWrites } from './write-plan.js';

/** Dependencies a caller may substitute. */
export interface MongoStoreOptions {
  /** What a resource contributes to the indexes; computeIndex unless a test substitutes it. */
  computeIndex?: Indexer;
  /** The clock for meta.lastUpdated (epoch ms). */
  now?: () => number;
}

function single(result: WriteResult): WriteResult & { resource?: StoredResource } {
  if (result.status === 'failed' && result.error) throw new OperationOutcomeError(result.error.status, result.error.outcome);
  return result;
}

class MongoResourceStore extends MongoReads implements ResourceStore {
  readonly kind = 'mongo';
  private readonly clock: () => number;
  private readonly index: Indexer;

  constructor(db: MongoDatabaseLike, options: MongoStoreOptions) {
    super(db);
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
    const ctx = { now: this.clock(), token, index: this.index };
    if (options.atomic) {
      return this.db.withTransaction(async (tx) => {
        const plan = planWrites(ops, await this.load(tx, ops), ctx);
        const failed = plan.results.find((r) => r.status === 'failed');
        if (failed) throw opError(failed);
        await applyAtomically(tx, plan, token);
        // Inside the transaction when there is one; without, applyAtomically has thrown on any failure first.
        if (system) await putSystemDoc(tx, system.key, system.doc);
        return plan.results;
      });
    }
    const plan = planWrites(ops, await this.load(this.db, ops), ctx);
    const lost = await applyPlan(this.db, plan, token, true);
    for (const [key, { status, outcome }] of lost) {
      for (const index of plan.keys.get(key)?.ops ?? []) plan.results[index] = { index, status: 'failed', error: { status, outcome } };
    }
    return plan.results;
  }

  /** The current documents of every resource the ops name. */
  private async load(db: MongoDatabaseLike, ops: WriteOp[]): Promise<Map<string, ResourceDoc>> {
    const keys = [...new Set(ops.map(opKey).filter((k): k is string => k !== null))];
    const loaded = new Map<string, ResourceDoc>();
    if (keys.length === 0) return loaded;
    for await (const doc of db.collection<ResourceDoc>(RESOURCES).find({ _id: { $in: keys } })) loaded.set(doc._id, doc);
    return loaded;
  }

  async search(query: SearchQuery): Promise<SearchResult<StoredResource>> {
    const now = Date.now();
    const resources = this.db.collection<ResourceDoc>(RESOURCES);
    const total = await resources.countDocuments(searchFilter(query, now));
    const pipeline = query.summaryCount ? null : searchPipeline(query, now);
    if (pipeline === null || total === 0) return { resources: [], total };
    const page = await resources.aggregate<{ json: string | null }>(pipeline);
    return { resources: page.map(parseResource), total };
  }

  restoreVersions(records: RawVersionRecord[]): Promise<number> {
    return restoreVersions(this.db, records, this.index);
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

  /** Leases and system documents stay (see the contract). */
  async clear(): Promise<void> {
    await Promise.all([this.db.collection(RESOURCES).deleteMany({}), this.db.collection(HISTORY).deleteMany({})]);
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

/** A store over any MongoDatabaseLike (tests pass the mingo one); creates the indexes first. */
export async function createMongoStoreFromDatabase(db: MongoDatabaseLike, options: MongoStoreOptions = {}): Promise<ResourceStore> {
  await ensureIndexes(db);
  return new MongoResourceStore(db, options);
}

/** Connects to MongoDB with the official driver; `close()` closes the connection. */
export async function createMongoStore(config: { uri: string; dbName: string } & MongoStoreOptions): Promise<ResourceStore> {
  const client = await new MongoClient(config.uri).connect();
  try {
    return await createMongoStoreFromDatabase(driverDatabase(client, config.dbName), config);
  } catch (err) {
    await client.close();
    throw err;
  }
}

export type { MongoDatabaseLike } from './collection.js';
