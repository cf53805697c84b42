/**
 * The reading half of the MongoDB store: read, vread, history, streams and the identifier and reference
 * indexes. Streams read in keyset chunks (`id > last`), so no server cursor stays open while a slow consumer
 * awaits (idle cursors time out after 10 minutes) and memory stays flat.
 * @see https://hl7.org/fhir/R4/http.html#read
 * @see https://www.mongodb.com/docs/manual/reference/method/cursor.noCursorTimeout/
 */
import { badRequest } from '../../fhir/outcomes.js';
import { resourceGone, resourceNotFound } from '../store-errors.js';
import type { HistoryPage, HistoryStreamOptions, RawVersionRecord, StoredResource, StreamOptions, TypedIdentifier, VersionRecord } from '../resource-store.js';
import type { MongoDatabaseLike, MongoFilter } from './collection.js';
import { findMatching } from './element-match.js';
import { storedVersion, storedVersions } from './stored-versions.js';
import { HISTORY, type HistoryDoc, RESOURCES, type ResourceDoc, historyKey, parseResource, resourceKey, toRawVersionRecord, toVersionRecord } from './documents.js';
import { markFilter } from './history-marks.js';
import { historyPage } from './history-page.js';

/** Documents per chunk of a stream. */
export const CHUNK_SIZE = 500;

function sinceFilter(options?: StreamOptions): MongoFilter {
  if (options?.since === undefined) return {};
  const ms = Date.parse(options.since);
  if (Number.isNaN(ms)) throw badRequest(`Invalid since instant ${JSON.stringify(options.since)}`);
  return { lu: { $gte: ms } };
}

/** All documents, chunk by chunk: `next(after)` reads the chunk that follows the last document seen. */
async function* chunked<T>(next: (after: T | null) => Promise<T[]>): AsyncGenerator<T> {
  let after: T | null = null;
  for (;;) {
    const docs = await next(after);
    yield* docs;
    if (docs.length < CHUNK_SIZE) return;
    after = docs[docs.length - 1];
  }
}

export async function toArray<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** The read operations of the ResourceStore contract, shared by the store class. */
export class MongoReads {
  /** perElement: whether the server has a real `$elemMatch` (see element-match.ts). */
  constructor(
    protected readonly db: MongoDatabaseLike,
    protected readonly perElement: boolean,
  ) {}

  private get resources() {
    return this.db.collection<ResourceDoc>(RESOURCES);
  }

  private get versions() {
    return this.db.collection<HistoryDoc>(HISTORY);
  }

  async read(resourceType: string, id: string): Promise<StoredResource> {
    const doc = await this.resources.findOne({ _id: resourceKey(String(resourceType), String(id)) });
    if (!doc) throw resourceNotFound(resourceType, id);
    if (doc.deleted) throw resourceGone(resourceType, id);
    return parseResource(doc);
  }

  async vread(resourceType: string, id: string, versionId: string): Promise<StoredResource> {
    // Version ids are the store's own integers; anything else cannot name a version.
    if (!/^[1-9]\d{0,15}$/.test(versionId)) throw resourceNotFound(resourceType, id, versionId);
    const v = Number(versionId);
    const [current, stored] = await Promise.all([
      this.resources.findOne({ _id: resourceKey(String(resourceType), String(id)) }),
      this.versions.findOne({ _id: historyKey(String(resourceType), String(id), v) }),
    ]);
    const doc = storedVersion(current, v, stored);
    if (!doc) throw resourceNotFound(resourceType, id, versionId);
    if (doc.deleted) throw resourceGone(resourceType, id, versionId);
    return parseResource(doc);
  }

  async history(resourceType: string, id: string): Promise<VersionRecord[]> {
    const [current, docs] = await Promise.all([
      this.resources.findOne({ _id: resourceKey(String(resourceType), String(id)) }),
      toArray(this.versions.find({ type: String(resourceType), id: String(id) }, { sort: { v: -1 } })),
    ]);
    const versions = storedVersions(current, docs);
    if (versions.length === 0) throw resourceNotFound(resourceType, id);
    return versions.map(toVersionRecord);
  }

  historyPage(resourceType: string | null, page: HistoryPage): Promise<{ versions: VersionRecord[]; total: number }> {
    return historyPage(this.db, resourceType, page);
  }

  async *stream(resourceType: string, options?: StreamOptions): AsyncIterable<StoredResource> {
    const base = { type: String(resourceType), deleted: false, ...sinceFilter(options) };
    const docs = chunked<ResourceDoc>((after) =>
      toArray(this.resources.find(after ? { ...base, id: { $gt: after.id } } : base, { sort: { id: 1 }, limit: CHUNK_SIZE })),
    );
    for await (const doc of docs) yield parseResource(doc);
  }

  async *streamHistory(resourceType: string, options?: HistoryStreamOptions): AsyncIterable<VersionRecord> {
    for await (const doc of this.historyDocs(resourceType, options)) yield toVersionRecord(doc);
  }

  async *streamHistoryRaw(resourceType: string, options?: HistoryStreamOptions): AsyncIterable<RawVersionRecord> {
    for await (const doc of this.historyDocs(resourceType, options)) yield toRawVersionRecord(doc);
  }

  /**
   * Every history document of a type, by id then version; with marks, those whose `q` is in their range
   * (history-marks.ts). Every document numbered up to `through` had landed before that mark was answered, so
   * the chunks, though each its own read, all see it.
   */
  private async *historyDocs(resourceType: string, options?: HistoryStreamOptions): AsyncGenerator<HistoryDoc> {
    const base = { type: String(resourceType), ...(await markFilter(this.db, options)) };
    yield* chunked<HistoryDoc>((after) => {
      const filter = after ? { ...base, $or: [{ id: { $gt: after.id } }, { id: after.id, v: { $gt: after.v } }] } : base;
      return toArray(this.versions.find(filter, { sort: { id: 1, v: 1 }, limit: CHUNK_SIZE }));
    });
  }

  /**
   * Reads index keys only: `{deleted: false}` is the prefix of the `deleted_type_*` indexes and the `$group`
   * needs only `type`, which they hold, so MongoDB runs a covered index scan (mongo-indexes.ts).
   * @see https://www.mongodb.com/docs/manual/core/aggregation-pipeline-optimization/#projection-optimization
   */
  async countByType(): Promise<Record<string, number>> {
    const rows = await this.resources.aggregate<{ _id: string; n: number }>([
      { $match: { deleted: false } },
      { $group: { _id: '$type', n: { $sum: 1 } } },
      { $sort: { _id: 1 } },
    ]);
    return Object.fromEntries(rows.map((r) => [r._id, r.n]));
  }

  /** Through the search index's `identifier` tokens, as the SQLite store does. */
  async findByIdentifier(resourceType: string, system: string | null, value: string): Promise<string[]> {
    const entry: MongoFilter = { c: 'identifier', v: String(value) };
    if (system !== null) entry.s = String(system);
    const filter = { type: String(resourceType), deleted: false, 'idx.tok': { $elemMatch: entry } };
    const docs = await toArray(findMatching(this.resources, filter, { sort: { id: 1 }, projection: { id: 1 } }, this.perElement));
    return docs.map((d) => d.id);
  }

  /** One query for all the types and values; each identifier's matches are then picked from the documents' tokens. */
  async findByIdentifiers(identifiers: TypedIdentifier[]): Promise<string[][]> {
    if (identifiers.length === 0) return [];
    const wanted = identifiers.map((i) => ({ type: String(i.resourceType), system: i.system === null ? null : String(i.system), value: String(i.value) }));
    const distinct = (values: string[]) => [...new Set(values)];
    const filter = {
      type: { $in: distinct(wanted.map((w) => w.type)) },
      deleted: false,
      'idx.tok': { $elemMatch: { c: 'identifier', v: { $in: distinct(wanted.map((w) => w.value)) } } },
    };
    const docs = await toArray(findMatching(this.resources, filter, { sort: { type: 1, id: 1 }, projection: { type: 1, id: 1, 'idx.tok': 1 } }, this.perElement));
    const has = (doc: ResourceDoc, { type, system, value }: (typeof wanted)[number]) =>
      doc.type === type && doc.idx.tok.some((t) => t.c === 'identifier' && t.v === value && (system === null || t.s === system));
    return wanted.map((w) => docs.filter((d) => has(d, w)).map((d) => d.id));
  }

  async referencesTo(targetType: string, targetId: string): Promise<{ resourceType: string; id: string; path: string }[]> {
    const t = String(targetType);
    const i = String(targetId);
    const filter = { deleted: false, links: { $elemMatch: { t, i } } };
    const docs = await toArray(findMatching(this.resources, filter, { sort: { type: 1, id: 1 }, projection: { type: 1, id: 1, links: 1 } }, this.perElement));
    return docs.flatMap((d) => d.links.filter((l) => l.t === t && l.i === i).map((l) => ({ resourceType: d.type, id: d.id, path: l.p })));
  }

  async referencesFrom(resourceType: string, id: string): Promise<{ path: string; targetType: string | null; targetId: string | null; url: string | null }[]> {
    const doc = await this.resources.findOne({ _id: resourceKey(String(resourceType), String(id)) }, { projection: { links: 1, deleted: 1 } });
    if (!doc || doc.deleted) return [];
    return doc.links.map((l) => ({ path: l.p, targetType: l.t, targetId: l.i, url: l.u }));
  }
}
