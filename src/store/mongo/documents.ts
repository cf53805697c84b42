/**
 * The MongoDB document model: one `resources` document per resource (its current version, with its search
 * (identifiers included), reference and sort entries embedded so they change in the same single-document write) and one
 * `history` document per version.
 *
 * The resource itself is kept as a JSON string (`json`), not as a nested BSON document: a malicious or
 * merely odd body may carry keys that BSON or MongoDB handle badly (`$where`, `a.b`, `$date` that
 * Extended JSON tools reinterpret, and NUL characters that a BSON key cannot hold at all). Since MongoDB 5.0
 * `$`/`.` keys are accepted on insert, but they cannot be queried, indexed or updated directly; the store
 * never queries inside the resource anyway (it queries `idx`), and a string round-trips byte for byte.
 * @see https://www.mongodb.com/docs/manual/core/dot-dollar-considerations/
 */
import { tooLarge } from '../../fhir/outcomes.js';
import type { IndexEntries } from '../../search/types.js';
import type { RawVersionRecord, StoredResource, VersionRecord } from '../resource-store.js';
import { type SortKeyEntry, sortEntries } from './derived-entries.js';

/** Collection of current versions (and tombstones), one document per resource. */
export const RESOURCES = 'resources';
/** Collection of every version, tombstones included. */
export const HISTORY = 'history';

/** Search entries with short keys (they are repeated in every document and every index key). */
export interface IdxFields {
  tok: { c: string; s: string | null; v: string }[];
  str: { c: string; v: string }[];
  dt: { c: string; lo: number; hi: number }[];
  ref: { c: string; t: string | null; i: string | null; u: string | null }[];
  num: { c: string; v: number; s: string | null; u: string | null }[];
  uri: { c: string; v: string }[];
}

/** The current version of one resource (a tombstone after a delete, so versions keep counting). */
export interface ResourceDoc {
  [key: string]: unknown;
  /** "Type/id". */
  _id: string;
  type: string;
  id: string;
  /** The current version number. */
  v: number;
  lastUpdated: string;
  /** lastUpdated in epoch ms, for `_lastUpdated` and `since`. */
  lu: number;
  deleted: boolean;
  /** The resource as JSON; null for a deletion. */
  json: string | null;
  idx: IdxFields;
  links: { p: string; t: string | null; i: string | null; u: string | null }[];
  /** Per search parameter, the lowest and highest sort value (FHIR sorts ascending by lowest, descending by highest). */
  srt: Record<string, SortKeyEntry>;
  /** The token of the write call that produced this document, to tell which writes of a bulk landed. */
  w: string;
  /**
   * The change this version is: the (q, o) its history document carries. Without a transaction the history document
   * is a second command, so a crash may fall between the two; the resource document then alone holds the change,
   * and an abandoned call's documents are recovered from it (history-marks.ts). Absent on documents from before it
   * and on restored ones.
   */
  q?: number;
  o?: number;
}

/** One version of a resource. */
export interface HistoryDoc {
  [key: string]: unknown;
  /** "Type/id/vN". */
  _id: string;
  type: string;
  id: string;
  v: number;
  lastUpdated: string;
  lu: number;
  deleted: boolean;
  json: string | null;
  /** The token of the write call that stored this version (see apply-changes.ts). */
  w: string;
  /**
   * Its place in commit order: the position of the write call that stored it (history-marks.ts), so a version
   * stored again under the same `_id` moves to the later call's place. Absent on documents from before it.
   */
  q?: number;
  /**
   * Its place among the documents of its write call, so (q, o) orders every version and numbers it in the change
   * feed (change-feed.ts). Absent on documents from before it, which the feed does not give.
   */
  o?: number;
}

/** `_id` of a resource document. */
export const resourceKey = (type: string, id: string): string => `${type}/${id}`;
/** `_id` of a history document. */
export const historyKey = (type: string, id: string, v: number): string => `${type}/${id}/v${v}`;

const EMPTY_IDX: IdxFields = { tok: [], str: [], dt: [], ref: [], num: [], uri: [] };

function toIdx(e: IndexEntries): IdxFields {
  return {
    tok: e.tokens.map((t) => ({ c: t.code, s: t.system, v: t.value })),
    str: e.strings.map((t) => ({ c: t.code, v: t.value })),
    dt: e.dates.map((t) => ({ c: t.code, lo: t.lo, hi: t.hi })),
    ref: e.references.map((t) => ({ c: t.code, t: t.type, i: t.id, u: t.url })),
    num: e.numbers.map((t) => ({ c: t.code, v: t.value, s: t.system, u: t.unit })),
    uri: e.uris.map((t) => ({ c: t.code, v: t.value })),
  };
}

/** The current-version document of a live resource, or of a deletion when `resource` is null. */
export function toResourceDoc(
  type: string,
  id: string,
  v: number,
  lastUpdated: string,
  resource: StoredResource | null,
  entries: IndexEntries | null,
  token: string,
): ResourceDoc {
  return resourceDocFromJson(type, id, v, lastUpdated, resource === null ? null : JSON.stringify(resource), entries, token);
}

/** As toResourceDoc, from the JSON text itself (restore keeps the recorded text byte for byte). */
export function resourceDocFromJson(
  type: string,
  id: string,
  v: number,
  lastUpdated: string,
  json: string | null,
  entries: IndexEntries | null,
  token: string,
): ResourceDoc {
  const idx = entries ? toIdx(entries) : EMPTY_IDX;
  return {
    _id: resourceKey(type, id),
    type,
    id,
    v,
    lastUpdated,
    lu: Date.parse(lastUpdated),
    deleted: json === null,
    json,
    idx,
    links: entries ? entries.links.map((l) => ({ p: l.path, t: l.targetType, i: l.targetId, u: l.url })) : [],
    srt: sortEntries(idx),
    w: token,
  };
}

/** The history entry of the version a resource document holds: the change it is, unless given another. */
export function toHistoryDoc(doc: ResourceDoc, q = doc.q, o = doc.o): HistoryDoc {
  const { type, id, v, lastUpdated, lu, deleted, json, w } = doc;
  return { _id: historyKey(type, id, v), type, id, v, lastUpdated, lu, deleted, json, w, ...(q === undefined ? {} : { q }), ...(o === undefined ? {} : { o }) };
}

/** Numbers one write call can give its history documents (change-feed.ts: a change's number is q * ORDINALS + o). */
export const ORDINALS = 2 ** 20;

/** Numbers the history documents of one write call, across all its rounds (HistoryDoc.o). */
export function ordinals(): () => number {
  let next = 0;
  return () => {
    if (next >= ORDINALS) throw tooLarge(`One write stores at most ${ORDINALS} versions: split it`);
    return next++;
  };
}

/** The resource a document holds; only live versions have one. */
export function parseResource(doc: { json: string | null }): StoredResource {
  if (doc.json === null) throw new Error('a deleted version has no resource');
  return JSON.parse(doc.json) as StoredResource;
}

/** A history document as the store contract's VersionRecord. */
export function toVersionRecord(doc: HistoryDoc): VersionRecord {
  const record: VersionRecord = {
    resourceType: doc.type,
    id: doc.id,
    versionId: String(doc.v),
    lastUpdated: doc.lastUpdated,
    deleted: doc.deleted,
  };
  if (!doc.deleted) record.resource = parseResource(doc);
  return record;
}

/** A history document with its JSON text as stored (backups copy it without parsing). */
export function toRawVersionRecord(doc: HistoryDoc): RawVersionRecord {
  return { resourceType: doc.type, id: doc.id, versionId: String(doc.v), lastUpdated: doc.lastUpdated, deleted: doc.deleted, json: doc.json };
}
