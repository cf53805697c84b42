/**
 * The ResourceStore contract: everything above the store (REST, bundles, import, maintenance) talks to this
 * interface only. Two implementations exist, SQLite (embedded default) and MongoDB, and one contract test
 * suite (test/store/contract.ts) holds both to it.
 *
 * Versioning follows FHIR R4: the store owns `meta.versionId` (1, 2, …) and `meta.lastUpdated`; a delete
 * writes a tombstone version; the search, identifier and reference indexes hold current, live resources only
 * and change inside the same atomic unit as the resource.
 * @see https://hl7.org/fhir/R4/http.html
 */
import type { OperationOutcome, Resource } from 'fhir/r4.js';
import type { SearchQuery, SearchResult } from '../search/types.js';

/** A resource as stored: id and meta.versionId / meta.lastUpdated always present. */
export type StoredResource = Resource & { id: string; meta: NonNullable<Resource['meta']> & { versionId: string; lastUpdated: string } };

/** One version of a resource, as kept in the history. A deleted version has no resource. */
export interface VersionRecord {
  resourceType: string;
  id: string;
  versionId: string;
  lastUpdated: string;
  deleted: boolean;
  resource?: StoredResource;
}

/**
 * One version as stored, with the resource's JSON text instead of a parsed resource (null for a deletion):
 * what backups write and restores give back, so neither parses nor re-serialises what it only moves.
 * A live version's text is JSON.stringify of the stored resource, meta.versionId and meta.lastUpdated included.
 */
export interface RawVersionRecord {
  resourceType: string;
  id: string;
  versionId: string;
  lastUpdated: string;
  deleted: boolean;
  json: string | null;
}

export type WriteOp =
  /** Create; an id is assigned when the resource has none. 409 when a live resource has that id (a deleted one may be created again, as a new version). */
  | { op: 'create'; resource: Resource }
  /**
   * Update or create with the given id. Content equal to the current version (meta.versionId, meta.lastUpdated
   * aside) writes nothing and reports `unchanged`. `ifMatch` is a version id the current version must have.
   */
  | { op: 'put'; resource: Resource & { id: string }; ifMatch?: string }
  /** Delete (a tombstone version). Deleting what is absent or already deleted succeeds with `unchanged`. */
  | { op: 'delete'; resourceType: string; id: string; ifMatch?: string };

export type WriteStatus = 'created' | 'updated' | 'unchanged' | 'deleted' | 'failed';

export interface WriteResult {
  /** Position of the op in the request. */
  index: number;
  status: WriteStatus;
  /** The stored version after the write (absent for deletes and failures). */
  resource?: StoredResource;
  /** For failures: why, with the HTTP status it maps to. */
  error?: { status: number; outcome: OperationOutcome };
}

export interface WriteOptions {
  /**
   * All or nothing: when any op fails, nothing is written and the call rejects with that op's
   * OperationOutcomeError (its expression names the entry). Without it each op succeeds or fails alone.
   */
  atomic?: boolean;
  /**
   * Also replaces this system document (see putSystem) in the same transaction as the ops, so both land or
   * neither does: how a migration and its record are written. Only with `atomic` (else 400). On MongoDB
   * without transactions the document is written once every op has succeeded.
   */
  system?: { key: string; doc: unknown };
  /**
   * Ops derived from the call's results, written after them in the same atomic unit: the Provenance of what the
   * call wrote (src/lineage), so it lands exactly when what it describes does. Their results are not returned;
   * one that fails fails the whole call. On MongoDB without transactions they are a second bulk right after.
   */
  follow?: (results: WriteResult[]) => WriteOp[];
}

/** What stream() gives. */
export interface StreamOptions {
  /**
   * Only resources whose current version was written at or after this instant (ISO 8601), by
   * meta.lastUpdated: the writer's clock when it planned the write, which neither follows commit order nor
   * agrees between processes, so it cannot select every change since some point. History streams select by
   * {@link HistoryStreamOptions | mark} instead.
   */
  since?: string;
}

/**
 * Which versions a history stream gives, by commit order: both bounds are marks from
 * {@link ResourceStore.markHistory}. A mark is opaque text; a malformed one is a 400.
 */
/** Which part of a type's or the system's history historyPage answers. */
export interface HistoryPage {
  since?: number;
  count: number;
  offset: number;
}

export interface HistoryStreamOptions {
  /**
   * Only versions committed after this mark was taken. A mark of another store (another database, a file
   * created anew, the other kind of store) bounds nothing of this one: every version is given.
   */
  after?: string;
  /** Only versions committed before this mark was taken; it must be this store's (else 400). */
  through?: string;
}

/** One change as the outbox holds it: a version written, as stored (a deletion when `json` is null), and its number. */
export interface ChangeEvent extends RawVersionRecord {
  /** The event number: increasing in commit order, never reused. */
  seq: number;
}

export interface ChangeQuery {
  /** At most this many changes. */
  limit: number;
  /** Only changes of these resource types (all when absent). */
  types?: readonly string[];
  /**
   * Only changes whose stored JSON contains each of these texts (so no deletion, which has none): a reader that
   * knows what a change it wants must hold (a subscription's criteria) leaves the rest in the store unread.
   */
  containing?: readonly string[];
}

export interface ChangePage {
  changes: ChangeEvent[];
  /**
   * Every change numbered up to here and matching the query is in `changes` (or in an earlier page): at least
   * `since`, at most the number of the last change committed.
   */
  through: number;
  /**
   * Whether changes after `through` were committed already: the page was full, or the store stopped looking
   * (each call reads a bounded range, so a page of a rare type can be short and still not the end). Read on.
   */
  more: boolean;
}

/** An identifier of a resource type, as findByIdentifier takes it (system null: any). */
export interface TypedIdentifier {
  resourceType: string;
  system: string | null;
  value: string;
}

export interface ResourceStore {
  /** A short name for logs and test output: 'sqlite', 'mongo'. */
  readonly kind: string;

  /** Current version; 404 OperationOutcomeError when absent, 410 when deleted. */
  read(resourceType: string, id: string): Promise<StoredResource>;
  /** A given version; 404 when there is no such version, 410 when that version is a deletion. */
  vread(resourceType: string, id: string, versionId: string): Promise<StoredResource>;
  /** All versions, newest first. 404 when the resource never existed. */
  history(resourceType: string, id: string): Promise<VersionRecord[]>;
  /**
   * R4's type- and system-level history: the versions of every resource of `resourceType` (of every type when
   * null), newest first (by lastUpdated, then type, id and version, all descending), those updated at or after
   * `since` (epoch ms) when given; `count` of them after the first `offset`, and how many there are in all.
   */
  historyPage(resourceType: string | null, page: HistoryPage): Promise<{ versions: VersionRecord[]; total: number }>;

  create(resource: Resource): Promise<StoredResource>;
  /** Update (or create with a client id); `created` tells which. */
  update(resource: Resource & { id: string }, ifMatch?: string): Promise<{ resource: StoredResource; status: WriteStatus }>;
  delete(resourceType: string, id: string, ifMatch?: string): Promise<void>;

  /** Bulk writes with one result per op (see WriteOptions.atomic). */
  write(ops: WriteOp[], options?: WriteOptions): Promise<WriteResult[]>;

  search(query: SearchQuery): Promise<SearchResult<StoredResource>>;
  /** Current resources of a type, in id order, streamed so memory stays bounded. */
  stream(resourceType: string, options?: StreamOptions): AsyncIterable<StoredResource>;
  /** Every version (tombstones included) of every resource of a type, for backups: by id, oldest first per id. */
  streamHistory(resourceType: string, options?: HistoryStreamOptions): AsyncIterable<VersionRecord>;
  /** The same records as streamHistory, in the same order, with the stored JSON text (null for tombstones). */
  streamHistoryRaw(resourceType: string, options?: HistoryStreamOptions): AsyncIterable<RawVersionRecord>;
  /**
   * A mark in the store's commit order, for backups. A version committed before the call is at or before
   * it, one committed after the call returns is after it, one committed meanwhile on one side only; restored
   * versions (restoreVersions) are committed like any other. So a backup that takes a mark and streams
   * `through` it (from the previous backup's mark), and the next one, streaming `after` it, together hold
   * every version, whatever writers do meanwhile and whatever their clocks say. On MongoDB a version
   * stored again (each write stores its resource's prior version again) moves after the next mark, so it may
   * be in two backups; restore keeps one. Calls must not overlap (backups take marks under the maintenance
   * lease): on MongoDB a mark numbers the versions stored since the last (mongo/history-marks.ts).
   */
  markHistory(): Promise<string>;
  /**
   * Writes versions exactly as given (restore): versionId, lastUpdated, deleted and JSON text are kept byte for
   * byte. Each resource's current row becomes its highest version (given or already stored), and index and
   * reference rows are computed only for that current version when it is live, so older versions cost no
   * parsing. One transaction per call (on MongoDB without a replica set: compensated, as atomic writes are).
   * Rejects with 409 when a (type, id, versionId) already exists or is given twice, and with 400 for a record
   * that is malformed (a live current version whose JSON disagrees with its record included); then nothing is
   * written. Resolves with the number of versions written.
   */
  restoreVersions(records: RawVersionRecord[]): Promise<number>;
  /**
   * The outbox (src/events): the versions committed after event number `since`, in commit order. Every version
   * a write stores is one change, stored in the same atomic unit as the resource itself (it is the version's
   * history record), so a change is never lost nor reported for a write that did not land. `through` is the
   * number up to which the answer is complete: the next call passes it as `since`. A number is never given to
   * two changes, and a change read twice has the same number.
   */
  changes(since: number, options: ChangeQuery): Promise<ChangePage>;
  /** The number of the last change committed (0 when none): where a reader that wants only new changes starts. */
  lastChange(): Promise<number>;
  /** The resource types present, with the number of current live resources of each. */
  countByType(): Promise<Record<string, number>>;

  /** Identifier index: ids of current resources of a type with this identifier (system may be null: any). */
  findByIdentifier(resourceType: string, system: string | null, value: string): Promise<string[]>;
  /**
   * findByIdentifier for many identifiers at once (of any types), the answers in their order: one query where
   * a lookup is costly (an import resolving a bundle's conditional references and ifNoneExist).
   */
  findByIdentifiers(identifiers: TypedIdentifier[]): Promise<string[][]>;
  /** Reference index: current resources that reference the target, with the path of each reference. */
  referencesTo(targetType: string, targetId: string): Promise<{ resourceType: string; id: string; path: string }[]>;
  /** Reference index: references held by a current resource. */
  referencesFrom(resourceType: string, id: string): Promise<{ path: string; targetType: string | null; targetId: string | null; url: string | null }[]>;

  /**
   * Takes the lease `name` for `owner` for `ttlMs`: true when it was free, expired, or already held by
   * `owner` (which renews it); false when another owner holds an unexpired lease. Atomic across every process
   * sharing the store, so at most one owner holds a lease at a time.
   */
  acquireLock(name: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease back when `owner` still holds it; a lease taken over by another owner is left alone. */
  releaseLock(name: string, owner: string): Promise<void>;

  /** A system document (not a FHIR resource, e.g. the record of applied migrations); null when absent. */
  getSystem<T = unknown>(key: string): Promise<T | null>;
  /** Stores (replaces) a system document; it must survive JSON.stringify. */
  putSystem(key: string, doc: unknown): Promise<void>;

  /** Stores (replaces, by id) a job's record; jobs/job-manager.ts owns their meaning. */
  putJob(record: StoredJob): Promise<void>;
  /** A job's record; null when absent. */
  getJob<T extends StoredJob = StoredJob>(id: string): Promise<T | null>;
  /** Job records newest first (created, then id), only those in `statuses` when given, at most `limit`. */
  listJobs<T extends StoredJob = StoredJob>(options: { statuses?: readonly string[]; limit: number }): Promise<T[]>;
  /** Removes a job's record; absent is not an error. */
  deleteJob(id: string): Promise<void>;

  /** Removes every resource, version and index row; leases, system documents and jobs stay (they describe the deployment, not the data). */
  clear(): Promise<void>;
  /**
   * The embedded store only: a consistent copy of the whole database at `file` (a new file), taken while the
   * store keeps serving, with what it holds. Restored by restoreSnapshot far faster than versions replay.
   */
  writeSnapshot?(file: string): Promise<SnapshotCounts>;
  /**
   * The embedded store only: replaces every resource, version and index row with the snapshot's, in one step
   * (leases, system documents and jobs stay). `verify` is handed the size and SHA-256 of the bytes copied,
   * and nothing is replaced if it throws. 422 when the file is not a snapshot of this schema, 409 when another connection has
   * the store's file open.
   */
  restoreSnapshot?(file: string, verify?: (copied: SnapshotDigest) => void): Promise<SnapshotCounts>;
  close(): Promise<void>;
}

/**
 * A job's record as the store keeps it: the fields it filters and orders by, and whatever else the record
 * holds (it must survive JSON.stringify).
 */
export interface StoredJob {
  id: string;
  status: string;
  /** ISO time; orders the list. */
  created: string;
}

/** What a snapshot holds: every version (tombstones included), the live current resources, the deleted ones. */
export interface SnapshotCounts {
  versions: number;
  current: number;
  deletions: number;
  schema: number;
}

/** The size and SHA-256 (hex) of a snapshot file as a restore copied it. */
export interface SnapshotDigest {
  bytes: number;
  sha256: string;
}
