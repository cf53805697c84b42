/**
 * One create / put / delete against the SQLite tables. Every check that can fail (identity, conflict,
 * If-Match, index computation, the size limit of document-limit.ts) runs before the first row changes, so a
 * failed op leaves nothing behind even without its own savepoint.
 * @see https://hl7.org/fhir/R4/http.html#update
 * @see https://hl7.org/fhir/R4/http.html#concurrency
 */
import type { Resource } from 'fhir/r4.js';
import { badRequest, conflict, preconditionFailed } from '../../fhir/outcomes.js';
import type { IndexEntries } from '../../search/types.js';
import { newId, parseETag } from '../../fhir/ids.js';
import { assertDocumentSize } from '../document-limit.js';
import { assertIdentity, sameContent, stamp } from '../resource-meta.js';
import type { StoredResource, WriteOp, WriteResult } from '../resource-store.js';
import type { IndexRowBuffer } from './index-row-buffer.js';
import { deleteIndexRows } from './index-rows.js';
import type { CurrentRow, Statements } from './statements.js';
import type { VersionSeq } from './version-seq.js';

/** Computes what a resource contributes to the search, identifier and reference indexes. */
export type Indexer = (resource: Resource) => IndexEntries;

export interface WriteContext {
  s: Statements;
  computeIndex: Indexer;
  /** Index rows of this call, inserted before it commits. */
  rows: IndexRowBuffer;
  /** meta.lastUpdated of everything this write() call stores: one call, one instant. */
  now: number;
  /** Numbers the versions this call stores in commit order; saved before it commits. */
  seq: VersionSeq;
}

function checkIfMatch(type: string, id: string, cur: CurrentRow | undefined, ifMatch: string | undefined): void {
  if (ifMatch === undefined) return;
  const expected = parseETag(ifMatch);
  if (!cur || String(cur.version) !== expected) {
    const actual = cur ? `version ${cur.version}` : 'no version';
    throw preconditionFailed(`If-Match ${expected} does not match ${type}/${id}: it has ${actual}`);
  }
}

/** Removes a live resource's index rows, queued ones included (a resource written twice in one call). */
export function removeIndexRows(ctx: WriteContext, rid: number): void {
  if (ctx.rows.holds(rid)) ctx.rows.flush();
  deleteIndexRows(ctx.s, rid);
}

/** Stores a new current version with its index rows, replacing the old rows when `cur` is live. */
function persist(ctx: WriteContext, resource: Resource, id: string, cur: CurrentRow | undefined): StoredResource {
  const type = resource.resourceType;
  const version = cur ? cur.version + 1 : 1;
  const stored = stamp(resource, id, version, ctx.now);
  const entries = ctx.computeIndex(stored);
  const json = JSON.stringify(stored);
  assertDocumentSize(type, id, json, entries);
  let rid: number;
  if (cur) {
    rid = cur.rid;
    if (!cur.deleted) removeIndexRows(ctx, rid);
    ctx.s.updateResource.run(version, ctx.now, 0, rid);
  } else {
    rid = Number(ctx.s.insertResource.run(type, id, version, ctx.now, 0).lastInsertRowid);
  }
  ctx.s.insertVersion.run(rid, version, ctx.now, 0, json, ctx.seq.take());
  ctx.rows.add(type, id, rid, entries);
  return stored;
}

function create(ctx: WriteContext, resource: Resource, index: number): WriteResult {
  const id = resource.id ?? newId();
  assertIdentity(resource.resourceType, id);
  const cur = ctx.s.current.get(resource.resourceType, id);
  if (cur && !cur.deleted) throw conflict(`${resource.resourceType}/${id} already exists`);
  return { index, status: 'created', resource: persist(ctx, resource, id, cur) };
}

function put(ctx: WriteContext, resource: Resource & { id: string }, ifMatch: string | undefined, index: number): WriteResult {
  const { resourceType: type, id } = resource;
  assertIdentity(type, id);
  const cur = ctx.s.current.get(type, id);
  checkIfMatch(type, id, cur, ifMatch);
  const live = cur !== undefined && !cur.deleted;
  if (live) {
    const existing = JSON.parse(ctx.s.json.get(cur.rid, cur.version) ?? 'null') as StoredResource;
    if (sameContent(existing, resource)) return { index, status: 'unchanged', resource: existing };
  }
  return { index, status: live ? 'updated' : 'created', resource: persist(ctx, resource, id, cur) };
}

function remove(ctx: WriteContext, type: string, id: string, ifMatch: string | undefined, index: number): WriteResult {
  assertIdentity(type, id);
  const cur = ctx.s.current.get(type, id);
  checkIfMatch(type, id, cur, ifMatch);
  if (!cur || cur.deleted) return { index, status: 'unchanged' };
  removeIndexRows(ctx, cur.rid);
  ctx.s.updateResource.run(cur.version + 1, ctx.now, 1, cur.rid);
  ctx.s.insertVersion.run(cur.rid, cur.version + 1, ctx.now, 1, null, ctx.seq.take());
  return { index, status: 'deleted' };
}

/** Applies one op; throws an OperationOutcomeError when it cannot be applied. */
export function applyOp(ctx: WriteContext, op: WriteOp, index: number): WriteResult {
  if (op === null || typeof op !== 'object') throw badRequest(`Operation ${index} is not an object`);
  switch (op.op) {
    case 'create':
      if (!op.resource || typeof op.resource !== 'object') throw badRequest(`Operation ${index}: no resource to create`);
      return create(ctx, op.resource, index);
    case 'put':
      if (!op.resource || typeof op.resource !== 'object') throw badRequest(`Operation ${index}: no resource to update`);
      return put(ctx, op.resource, op.ifMatch, index);
    case 'delete':
      return remove(ctx, op.resourceType, op.id, op.ifMatch, index);
    default:
      throw badRequest(`Operation ${index}: unknown op ${JSON.stringify((op as { op?: unknown }).op)}`);
  }
}
