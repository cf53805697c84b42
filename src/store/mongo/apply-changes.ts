/**
 * Writes a WritePlan: first each resource's current document, guarded by the version it replaces
 * (optimistic concurrency: a concurrent writer makes the guard miss and the key fail with 409), then the
 * history documents of the writes that landed. Every document carries the write call's token `w`, which
 * tells afterwards which writes of an unordered bulk landed.
 *
 * Without a transaction the two writes are two commands, and a crash or error may fall between them. So that a
 * resource's versions stay consistent whatever fails, the resource document is the truth and history follows
 * it: (1) the winning guard alone decides who wrote version N, so its history document is written by
 * replacement (upsert by `_id`), which overwrites a stray left by a write that was undone or a clear() cut
 * short, instead of refusing every later write of that version with E11000; (2) a write over a prior version
 * also inserts that version's history document from the prior resource document (the same content) where it
 * is missing, which restores it if the crash fell right after that version's resource write; (3) until then readers take the
 * current version from the resource document and ignore history above it (mongo-reads.ts).
 *
 * Atomic writes without transactions (a standalone server) are compensated: when any write fails, the
 * documents that carry this call's token are put back to the versions captured before the write (or removed
 * when there was none) and this call's history documents are deleted. Limits, by design of the fallback:
 * readers may see the partial state until compensation ends; a crash of this process between the write and
 * the compensation leaves the partial state in place; and the guards restore only documents still carrying
 * this call's token, so a concurrent writer's later version is never overwritten (its change survives).
 * A replica set or sharded cluster has none of these limits: the whole plan runs in one transaction.
 * @see https://www.mongodb.com/docs/manual/core/transactions/#transactions-and-replica-sets
 */
import { type OperationOutcomeError, conflict, serverError } from '../../fhir/outcomes.js';
import { WriteOpError } from '../store-errors.js';
import type { BulkOp, MongoDatabaseLike } from './collection.js';
import { HISTORY, type HistoryDoc, RESOURCES, type ResourceDoc, resourceKey, toHistoryDoc } from './documents.js';
import type { WritePlan } from './write-plan.js';

const DUPLICATE_KEY = 11000;

/** Why a resource's write did not land: a concurrent writer (409), or the server refused it (500). */
function lostError(key: string, code: number, message: string): OperationOutcomeError {
  return code === DUPLICATE_KEY || code === 0
    ? conflict(`${key} was changed by another writer meanwhile; retry`)
    : serverError(`writing ${key} failed: ${message}`);
}

/**
 * Writes the plan; answers, per resource whose write did not land, why. The others are fully written.
 * A resource whose history write failed is put back when `undoLost` (outside a transaction; inside one the
 * server has aborted the transaction anyway and the caller undoes everything).
 */
export async function applyPlan(db: MongoDatabaseLike, plan: WritePlan, token: string, undoLost: boolean): Promise<Map<string, OperationOutcomeError>> {
  const lost = new Map<string, OperationOutcomeError>();
  const entries = [...plan.keys];
  if (entries.length === 0) return lost;
  const resources = db.collection<ResourceDoc>(RESOURCES);
  const ops: BulkOp<ResourceDoc>[] = entries.map(([key, { prior, next }]) =>
    prior === null ? { insertOne: { document: next } } : { replaceOne: { filter: { _id: key, v: prior.v }, replacement: next } },
  );
  const out = await resources.bulkWrite(ops);
  if (out.failures.length > 0 || out.insertedCount + out.matchedCount < ops.length) {
    const landed = new Set<string>();
    for await (const doc of resources.find({ _id: { $in: entries.map(([key]) => key) }, w: token }, { projection: { _id: 1 } })) {
      landed.add(doc._id);
    }
    // A guard that matched nothing reports no failure at all: that is a concurrent writer too (code 0).
    const codes = new Map(out.failures.map((f) => [entries[f.index][0], f]));
    for (const [key] of entries) {
      if (!landed.has(key)) lost.set(key, lostError(key, codes.get(key)?.code ?? 0, codes.get(key)?.message ?? ''));
    }
  }
  const historyWrites = historyOps(plan).filter(({ doc }) => !lost.has(resourceKey(doc.type, doc.id)));
  if (historyWrites.length === 0) return lost;
  const written = await db.collection<HistoryDoc>(HISTORY).bulkWrite(historyWrites.map(({ op }) => op));
  const broken = new Set<string>();
  for (const f of written.failures) {
    const { doc, prior } = historyWrites[f.index];
    // A prior version's record is only put back where it is missing: one already there is the same version.
    if (prior && f.code === DUPLICATE_KEY) continue;
    const key = resourceKey(doc.type, doc.id);
    lost.set(key, lostError(key, f.code, f.message));
    broken.add(key);
  }
  if (undoLost && broken.size > 0) await compensate(db, plan, token, broken);
  return lost;
}

/**
 * The history writes of a plan (see the file comment): each written resource's prior version, inserted so that
 * a record already there (the usual case) stays untouched, history marks included; and the new versions,
 * stored by replacement.
 */
function historyOps(plan: WritePlan): { doc: HistoryDoc; prior: boolean; op: BulkOp<HistoryDoc> }[] {
  const priors = [...plan.keys.values()].flatMap(({ prior }) => (prior === null ? [] : [toHistoryDoc(prior)]));
  return [
    ...priors.map((doc) => ({ doc, prior: true, op: { insertOne: { document: doc } } })),
    ...plan.history.map((doc) => ({ doc, prior: false, op: { replaceOne: { filter: { _id: doc._id }, replacement: doc, upsert: true } } })),
  ];
}

/** Puts back what this call's token wrote for `keys` (default all): the prior resource documents, no history. */
export async function compensate(db: MongoDatabaseLike, plan: WritePlan, token: string, keys?: Set<string>): Promise<void> {
  const chosen = [...plan.keys].filter(([key]) => keys === undefined || keys.has(key));
  const ops: BulkOp<ResourceDoc>[] = chosen.map(([key, { prior }]) =>
    prior === null
      ? { deleteOne: { filter: { _id: key, w: token } } }
      : { replaceOne: { filter: { _id: key, w: token }, replacement: prior } },
  );
  if (ops.length > 0) await db.collection<ResourceDoc>(RESOURCES).bulkWrite(ops);
  const ids = plan.history.filter((h) => keys === undefined || keys.has(resourceKey(h.type, h.id))).map((h) => h._id);
  if (ids.length > 0) await db.collection<HistoryDoc>(HISTORY).deleteMany({ _id: { $in: ids }, w: token });
}

/**
 * All or nothing: inside a transaction when the deployment has them, else compensated (see above).
 * Rejects with a WriteOpError naming the first op of the first resource that could not be written.
 */
export async function applyAtomically(db: MongoDatabaseLike, plan: WritePlan, token: string): Promise<void> {
  const transactional = await db.transactional();
  try {
    const lost = await applyPlan(db, plan, token, false);
    const first = [...lost][0];
    if (first !== undefined) {
      const [key, error] = first;
      const index = plan.keys.get(key)?.ops[0] ?? 0;
      const outcome = structuredClone(error.outcome);
      const issue = outcome.issue?.[0];
      if (issue) issue.diagnostics = `${issue.diagnostics ?? 'error'}; nothing was written (write op ${index})`;
      throw new WriteOpError(index, error.status, outcome);
    }
  } catch (err) {
    if (!transactional) await compensate(db, plan, token);
    throw err;
  }
}
