/**
 * Applies write ops to the current documents in memory, in order (so a later op sees an earlier one of the
 * same call), and yields the result of each op plus the documents to write: per resource its final
 * document and the one it replaces, and one history document per new version. Nothing touches the database
 * here, so a failing op never leaves anything behind. The rules (ids, If-Match, unchanged content) are the
 * store-neutral ones of resource-meta.ts, as the SQLite store applies them.
 * @see https://hl7.org/fhir/R4/http.html#update
 * @see https://hl7.org/fhir/R4/http.html#concurrency
 */
import type { Resource } from 'fhir/r4.js';
import { badRequest, conflict, preconditionFailed, toOperationOutcomeError } from '../../fhir/outcomes.js';
import type { IndexEntries } from '../../search/types.js';
import { newId, parseETag } from '../../fhir/ids.js';
import { assertDocumentSize } from '../document-limit.js';
import { assertIdentity, sameContent, stamp } from '../resource-meta.js';
import type { StoredResource, WriteOp, WriteResult } from '../resource-store.js';
import { type HistoryDoc, type ResourceDoc, parseResource, resourceKey, toHistoryDoc, toResourceDoc } from './documents.js';

/** Computes what a resource contributes to the search, identifier and reference indexes. */
export type Indexer = (resource: Resource) => IndexEntries;

/** What one write() call shares across its ops. */
export interface PlanContext {
  /** meta.lastUpdated (epoch ms) of everything one write() call stores. */
  now: number;
  /** Marks every document this call writes (see apply-changes.ts). */
  token: string;
  /** The call's position in commit order, which its history documents carry (history-marks.ts). */
  q: number;
  /** The next HistoryDoc.o of this call. */
  ordinal: () => number;
  index: Indexer;
}

/** The write a resource gets: its final document, and the one it replaces (null: none yet). */
export interface PlannedKey {
  prior: ResourceDoc | null;
  next: ResourceDoc;
  /** Positions of the ops that wrote this resource. */
  ops: number[];
}

/** Results per op, and the documents to write. */
export interface WritePlan {
  results: WriteResult[];
  keys: Map<string, PlannedKey>;
  history: HistoryDoc[];
  /** The call's position, which the prior versions it stores again carry too. */
  q: number;
  /** Numbers the prior versions it stores again, after its new ones. */
  ordinal: () => number;
}

/** The key an op writes, when known before planning (a create without id gets a fresh one). */
export function opKey(op: WriteOp): string | null {
  if (op === null || typeof op !== 'object') return null;
  const type = op.op === 'delete' ? op.resourceType : op.resource?.resourceType;
  const id = op.op === 'delete' ? op.id : op.resource?.id;
  return typeof type === 'string' && typeof id === 'string' ? resourceKey(type, id) : null;
}

function checkIfMatch(key: string, current: ResourceDoc | null, ifMatch: string | undefined): void {
  if (ifMatch === undefined) return;
  const expected = parseETag(ifMatch);
  if (current === null || String(current.v) !== expected) {
    throw preconditionFailed(`If-Match ${expected} does not match ${key}: it has ${current ? `version ${current.v}` : 'no version'}`);
  }
}

/** Plans the ops against the loaded current documents (see the file comment). */
export function planWrites(ops: WriteOp[], loaded: Map<string, ResourceDoc>, ctx: PlanContext): WritePlan {
  const keys = new Map<string, PlannedKey>();
  const history: HistoryDoc[] = [];
  const current = (key: string): ResourceDoc | null => keys.get(key)?.next ?? loaded.get(key) ?? null;

  /** Records a new version (a deletion when `resource` is absent) as the key's next document. */
  const persist = (index: number, type: string, id: string, resource?: Resource): StoredResource | undefined => {
    const key = resourceKey(type, id);
    const v = (current(key)?.v ?? 0) + 1;
    const stored = resource ? stamp(resource, id, v, ctx.now) : undefined;
    const lastUpdated = new Date(ctx.now).toISOString();
    const entries = stored ? ctx.index(stored) : null;
    const doc = { ...toResourceDoc(type, id, v, lastUpdated, stored ?? null, entries, ctx.token), q: ctx.q, o: ctx.ordinal() };
    // Before the plan records the document: a refused op leaves nothing to write.
    if (doc.json !== null) assertDocumentSize(type, id, doc.json, entries);
    const planned = keys.get(key);
    if (planned) {
      planned.next = doc;
      planned.ops.push(index);
    } else keys.set(key, { prior: loaded.get(key) ?? null, next: doc, ops: [index] });
    history.push(toHistoryDoc(doc));
    return stored;
  };

  const one = (op: WriteOp, index: number): WriteResult => {
    if (op === null || typeof op !== 'object') throw badRequest(`Operation ${index} is not an object`);
    if (op.op === 'delete') {
      assertIdentity(op.resourceType, op.id);
      const cur = current(resourceKey(op.resourceType, op.id));
      checkIfMatch(resourceKey(op.resourceType, op.id), cur, op.ifMatch);
      if (cur === null || cur.deleted) return { index, status: 'unchanged' };
      persist(index, op.resourceType, op.id);
      return { index, status: 'deleted' };
    }
    if (op.op !== 'create' && op.op !== 'put') throw badRequest(`Operation ${index}: unknown op ${JSON.stringify((op as { op?: unknown }).op)}`);
    const resource = op.resource;
    if (!resource || typeof resource !== 'object') throw badRequest(`Operation ${index}: no resource to ${op.op === 'create' ? 'create' : 'update'}`);
    // assertIdentity rejects a missing id at run time.
    const id = (op.op === 'create' ? (resource.id ?? newId()) : resource.id) as string;
    assertIdentity(resource.resourceType, id);
    const key = resourceKey(resource.resourceType, id);
    const cur = current(key);
    const live = cur !== null && !cur.deleted;
    if (op.op === 'create' && live) throw conflict(`${key} already exists`);
    if (op.op === 'put') {
      checkIfMatch(key, cur, op.ifMatch);
      if (live) {
        const existing = parseResource(cur);
        if (sameContent(existing, resource)) return { index, status: 'unchanged', resource: existing };
      }
    }
    const stored = persist(index, resource.resourceType, id, resource);
    return { index, status: live ? 'updated' : 'created', resource: stored };
  };

  const results = ops.map((op, index): WriteResult => {
    try {
      return one(op, index);
    } catch (err) {
      const { status, outcome } = toOperationOutcomeError(err);
      return { index, status: 'failed', error: { status, outcome } };
    }
  });
  return { results, keys, history, q: ctx.q, ordinal: ctx.ordinal };
}
