/**
 * The embedded ResourceStore: one SQLite file under the data directory, through better-sqlite3.
 * better-sqlite3 is synchronous; the async contract methods simply resolve with the result, and nothing
 * holds the connection across an await (streams read in chunks).
 * @see https://hl7.org/fhir/R4/http.html
 */
import type { Resource } from 'fhir/r4.js';
import type Database from 'better-sqlite3';
import { badRequest } from '../../fhir/outcomes.js';
import { computeIndex } from '../../search/index-resource.js';
import type { SearchQuery, SearchResult } from '../../search/types.js';
import { assertJob, assertJobListArgs, assertLeaseArgs, assertSystemKey, checkSystemOption } from '../lease-args.js';
import { formatMark } from '../history-mark.js';
import { createClock } from '../resource-meta.js';
import type {
  ChangePage,
  ChangeQuery,
  HistoryPage,
  HistoryStreamOptions,
  RawVersionRecord,
  ResourceStore,
  SnapshotCounts,
  SnapshotDigest,
  StoredJob,
  StoredResource,
  StreamOptions,
  TypedIdentifier,
  VersionRecord,
  WriteOp,
  WriteOptions,
  WriteResult,
  WriteStatus,
} from '../resource-store.js';
import { connect, type Connection } from './connection.js';
import { referencesFrom, referencesTo } from './reference-reads.js';
import { readCurrent, readHistory, readVersion, toRawVersionRecord, toVersionRecord } from './reads.js';
import { checkpointInBackground, type Checkpoints } from './checkpoint-thread.js';
import { INDEX_TABLES, openDatabase } from './schema.js';
import { buildSearchSql } from './search-sql.js';
import { restoreSnapshot, writeSnapshot } from './snapshot.js';
import { streamCurrent, streamVersions } from './streams.js';
import type { Indexer } from './write-op.js';

export type { Indexer } from './write-op.js';

export interface SqliteStoreOptions {
  /** The database file, or `:memory:`. */
  path: string;
  /** What each resource contributes to the indexes; the search module's computeIndex unless given. */
  computeIndex?: Indexer;
  /** Epoch ms source for meta.lastUpdated (tests pin it). */
  now?: () => number;
}

/** Dynamic search SQL is prepared on first use and kept; the number of distinct query shapes is small. */
const SEARCH_CACHE_SIZE = 256;

export class SqliteStore implements ResourceStore {
  readonly kind = 'sqlite';
  /** Replaced, never changed, when a snapshot restore swaps the file (connection.ts). */
  private c: Connection;
  private readonly clock: () => number;
  private readonly computeIndex: Indexer;
  private checkpoints?: Checkpoints;

  constructor(options: SqliteStoreOptions) {
    this.c = connect(openDatabase(options.path));
    this.checkpoints = this.checkpointing();
    this.clock = createClock(options.now);
    this.computeIndex = options.computeIndex ?? computeIndex;
  }

  async read(resourceType: string, id: string): Promise<StoredResource> {
    return readCurrent(this.c.s, resourceType, id);
  }

  async vread(resourceType: string, id: string, versionId: string): Promise<StoredResource> {
    return readVersion(this.c.s, resourceType, id, versionId);
  }

  async history(resourceType: string, id: string): Promise<VersionRecord[]> {
    return readHistory(this.c.s, resourceType, id);
  }

  async historyPage(resourceType: string | null, page: HistoryPage): Promise<{ versions: VersionRecord[]; total: number }> {
    return this.c.historyPager(resourceType, page);
  }

  async create(resource: Resource): Promise<StoredResource> {
    const [result] = await this.write([{ op: 'create', resource }], { atomic: true });
    return result.resource!;
  }

  async update(resource: Resource & { id: string }, ifMatch?: string): Promise<{ resource: StoredResource; status: WriteStatus }> {
    const [result] = await this.write([{ op: 'put', resource, ifMatch }], { atomic: true });
    return { resource: result.resource!, status: result.status };
  }

  async delete(resourceType: string, id: string, ifMatch?: string): Promise<void> {
    await this.write([{ op: 'delete', resourceType, id, ifMatch }], { atomic: true });
  }

  async write(ops: WriteOp[], options: WriteOptions = {}): Promise<WriteResult[]> {
    if (!Array.isArray(ops)) throw badRequest('write() takes an array of operations');
    const system = checkSystemOption(options);
    const run = () => (ops.length ? this.c.writer({ s: this.c.s, computeIndex: this.computeIndex, rows: this.c.rows, now: this.clock(), seq: this.c.seq }, ops, options.atomic === true, options.follow) : []);
    if (!system) return run();
    // The batch writer's transaction nests as a savepoint inside this one, which also holds the document.
    try {
      return this.c.db
        .transaction(() => {
          const results = run();
          this.c.system.put(system.key, system.doc);
          return results;
        })
        .immediate();
    } catch (err) {
      this.c.resetParams();
      throw err;
    }
  }

  async search(query: SearchQuery): Promise<SearchResult<StoredResource>> {
    const { page, count } = buildSearchSql(query, Date.now());
    const total = this.prepared(count.sql).get(...count.params) as number;
    if (query.summaryCount) return { resources: [], total };
    const rows = this.prepared(page.sql).all(...page.params) as string[];
    return { resources: rows.map((json) => JSON.parse(json) as StoredResource), total };
  }

  stream(resourceType: string, options?: StreamOptions): AsyncIterable<StoredResource> {
    return streamCurrent(this.c.s, resourceType, options);
  }

  streamHistory(resourceType: string, options?: HistoryStreamOptions): AsyncIterable<VersionRecord> {
    return streamVersions(this.c.s, resourceType, toVersionRecord, options);
  }

  streamHistoryRaw(resourceType: string, options?: HistoryStreamOptions): AsyncIterable<RawVersionRecord> {
    return streamVersions(this.c.s, resourceType, toRawVersionRecord, options);
  }

  /** The last `seq` given: a write still open numbers its versions after it, as it commits after this read. */
  async markHistory(): Promise<string> {
    const { series, value } = this.c.s.lastSeq.get()!;
    return formatMark(series, value);
  }

  async restoreVersions(records: RawVersionRecord[]): Promise<number> {
    return this.c.restorer({ s: this.c.s, computeIndex: this.computeIndex, rows: this.c.rows, seq: this.c.seq }, records);
  }

  /** Wall-clock time, not the store clock: leases are shared with other processes. */
  async acquireLock(name: string, owner: string, ttlMs: number): Promise<boolean> {
    assertLeaseArgs(name, owner, ttlMs);
    return this.c.system.acquire(name, owner, ttlMs, Date.now());
  }

  async releaseLock(name: string, owner: string): Promise<void> {
    assertLeaseArgs(name, owner);
    this.c.system.release(name, owner);
  }

  async getSystem<T = unknown>(key: string): Promise<T | null> {
    assertSystemKey(key);
    return this.c.system.get<T>(key);
  }

  async putSystem(key: string, doc: unknown): Promise<void> {
    assertSystemKey(key);
    this.c.system.put(key, doc);
  }

  async putJob(record: StoredJob): Promise<void> {
    assertJob(record);
    this.c.jobs.put(record);
  }

  async getJob<T extends StoredJob = StoredJob>(id: string): Promise<T | null> {
    assertSystemKey(id);
    return this.c.jobs.get<T>(id);
  }

  async listJobs<T extends StoredJob = StoredJob>(options: { statuses?: readonly string[]; limit: number }): Promise<T[]> {
    assertJobListArgs(options);
    return this.c.jobs.list<T>(options.statuses, options.limit);
  }

  async deleteJob(id: string): Promise<void> {
    assertSystemKey(id);
    this.c.jobs.delete(id);
  }

  async changes(since: number, query: ChangeQuery): Promise<ChangePage> {
    return this.c.feed.changes(since, query);
  }

  async lastChange(): Promise<number> {
    return this.c.feed.lastChange();
  }

  async countByType(): Promise<Record<string, number>> {
    return Object.fromEntries(this.c.s.countByType.all().map((row) => [row.type, row.n]));
  }

  async findByIdentifier(resourceType: string, system: string | null, value: string): Promise<string[]> {
    return this.c.s.identifier.all(resourceType, resourceType, value, system, system);
  }

  /** One indexed lookup each: SQLite answers in microseconds, in process. */
  async findByIdentifiers(identifiers: TypedIdentifier[]): Promise<string[][]> {
    return identifiers.map(({ resourceType, system, value }) => this.c.s.identifier.all(resourceType, resourceType, value, system, system));
  }

  async referencesTo(targetType: string, targetId: string): Promise<{ resourceType: string; id: string; path: string }[]> {
    return referencesTo(this.c.s, targetType, targetId);
  }

  async referencesFrom(resourceType: string, id: string): Promise<{ path: string; targetType: string | null; targetId: string | null; url: string | null }[]> {
    return referencesFrom(this.c.s, resourceType, id);
  }

  async clear(): Promise<void> {
    this.c.db
      .transaction(() => {
        // params stays: it names parameters, not data, and the cached ids remain valid. sources names inputs
        // and clients (data), and its numbers are cached only within a write() call (index-row-buffer.ts).
        for (const table of ['resources', 'versions', 'sources', ...INDEX_TABLES]) this.c.db.exec(`DELETE FROM ${table}`);
      })
      .immediate();
  }

  async writeSnapshot(file: string): Promise<SnapshotCounts> {
    return writeSnapshot(this.c.db, file);
  }

  async restoreSnapshot(file: string, verify?: (copied: SnapshotDigest) => void): Promise<SnapshotCounts> {
    await this.checkpoints?.stop();
    try {
      return await restoreSnapshot(this.c.db, file, (db) => (this.c = connect(db)), verify);
    } finally {
      this.checkpoints = this.checkpointing();
    }
  }

  async close(): Promise<void> {
    await this.checkpoints?.stop();
    if (this.c.db.open) this.c.db.close();
  }

  /** The background checkpoints of a file's WAL (checkpoint-thread.ts); none for an in-memory store. */
  private checkpointing(): Checkpoints | undefined {
    const db = this.c.db;
    return db.memory ? undefined : checkpointInBackground(db.name, db.pragma('page_size', { simple: true }) as number);
  }

  /** A cached single-column (plucked) statement for generated search SQL. */
  private prepared(sql: string): Database.Statement {
    let stmt = this.c.searchCache.get(sql);
    if (!stmt) {
      if (this.c.searchCache.size >= SEARCH_CACHE_SIZE) this.c.searchCache.delete(this.c.searchCache.keys().next().value!);
      stmt = this.c.db.prepare(sql).pluck();
      this.c.searchCache.set(sql, stmt);
    }
    return stmt;
  }
}

/** Opens (creating when needed) the embedded store at `options.path`. */
export function createSqliteStore(options: SqliteStoreOptions): SqliteStore {
  return new SqliteStore(options);
}
