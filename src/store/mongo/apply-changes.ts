/**
 * Writes a WritePlan: first each resource's current document, guarded by the version it replaces
 * (optimistic concurrency: a concurrent writer makes the guard miss and the key fail with 409), then the
 * history documents of the writes that landed. Every document carries the write call's token `w`, which
 * tells afterwards which writes of an unordered bulk landed.
 *
 * Without a transaction the two writes are two commands, and a crash or error may fall between them. So that a
 * resource's versions stay consistent whatever fails, the resource document is the truth and history follows
 * it: (1) the winning guard alone decides who wrote version N, so its history document overwrites a stray
 * left by a write that was undone or a clear() cut short (an insert that meets one is retried as a
 * replacement) instead of refusing every later write of that version with E11000; (2) a write over a prior version
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
import type { BulkOp, MongoDatabaseLike } from './collection.js';
import { HISTORY, type HistoryDoc, RESOURCES, type ResourceDoc, resourceKey, toHistoryDoc } from './documents.js';
import { lostOpError } from './write-errors.js';
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
export async function applyPlan(
  db: MongoDatabaseLike,
  plan: WritePlan,
  token: string,
  { undoLost, insertFirst }: { undoLost: boolean; insertFirst: boolean },
): Promise<Map<string, OperationOutcomeError>> {
  const lost = new Map<string, OperationOutcomeError>();
  const entries = [...plan.keys];
  if (entries.length === 0) return lost;
  const resources = db.collection<ResourceDoc>(RESOURCES);
  const ops: BulkOp<ResourceDoc>[] = entries.map(([key, { prior, next }]) =>
    prior === null ? { insertOne: { document: next } } : { replaceOne: { filter: { _id: key, v: prior.v }, replacement: next } },
  );
  const out = await resources.bulkWrite(ops);
  const codes = new Map(out.failures.map((f) => [entries[f.index][0], f]));
  const replaces = ops.filter((op) => 'replaceOne' in op).length;
  if (out.failures.some((f) => 'replaceOne' in ops[f.index]) || out.matchedCount < replaces) {
    // A guard that matched nothing reports no failure at all (a concurrent writer too, code 0): which writes
    // landed is asked of the documents themselves.
    const landed = new Set<string>();
    for await (const doc of resources.find({ _id: { $in: entries.map(([key]) => key) }, w: token }, { projection: { _id: 1 } })) {
      landed.add(doc._id);
    }
    for (const [key] of entries) {
      if (!landed.has(key)) lost.set(key, lostError(key, codes.get(key)?.code ?? 0, codes.get(key)?.message ?? ''));
    }
  } else {
    // Every replacement matched and landed; a failed insert says so itself.
    for (const [key, f] of codes) lost.set(key, lostError(key, f.code, f.message));
  }
  const historyWrites = historyOps(plan, insertFirst).filter(({ doc }) => !lost.has(resourceKey(doc.type, doc.id)));
  const broken = new Set<string>();
  for (const f of await writeHistory(db, historyWrites)) {
    const key = resourceKey(f.doc.type, f.doc.id);
    lost.set(key, lostError(key, f.code, f.message));
    broken.add(key);
  }
  if (undoLost && broken.size > 0) await compensate(db, plan, token, broken);
  return lost;
}

interface HistoryWrite {
  doc: HistoryDoc;
  /** A prior version's record, put back only where missing. */
  prior: boolean;
  op: BulkOp<HistoryDoc>;
}

/**
 * The history writes of a plan (see the file comment): each written resource's prior version, inserted so that
 * a record already there (the usual case) stays untouched, history marks included; and the new versions,
 * inserted first when `insertFirst` (a replacement only where a stray holds the `_id`: FerretDB v1 scans the
 * whole collection for every replacement, `_id` filter included, while an insert scans nothing), else stored
 * by replacement (inside a transaction, where a duplicate key would abort it).
 */
function historyOps(plan: WritePlan, insertFirst: boolean): HistoryWrite[] {
  const priors = [...plan.keys.values()].flatMap(({ prior }) => (prior === null ? [] : [toHistoryDoc(prior, plan.q, plan.ordinal())]));
  return [
    ...priors.map((doc) => ({ doc, prior: true, op: { insertOne: { document: doc } } })),
    ...plan.history.map((doc) => ({ doc, prior: false, op: insertFirst ? { insertOne: { document: doc } } : replaceHistory(doc) })),
  ];
}

const replaceHistory = (doc: HistoryDoc): BulkOp<HistoryDoc> => ({ replaceOne: { filter: { _id: doc._id }, replacement: doc, upsert: true } });

/** Writes the history documents; answers the ones that failed. A new version that met a stray is replaced. */
async function writeHistory(db: MongoDatabaseLike, writes: HistoryWrite[]): Promise<{ doc: HistoryDoc; code: number; message: string }[]> {
  if (writes.length === 0) return [];
  const history = db.collection<HistoryDoc>(HISTORY);
  const failed: { doc: HistoryDoc; code: number; message: string }[] = [];
  const strays: HistoryDoc[] = [];
  for (const f of (await history.bulkWrite(writes.map(({ op }) => op))).failures) {
    const { doc, prior, op } = writes[f.index];
    if (f.code === DUPLICATE_KEY && prior) continue;
    if (f.code === DUPLICATE_KEY && 'insertOne' in op) strays.push(doc);
    else failed.push({ doc, code: f.code, message: f.message });
  }
  if (strays.length === 0) return failed;
  for (const f of (await history.bulkWrite(strays.map(replaceHistory))).failures) failed.push({ doc: strays[f.index], code: f.code, message: f.message });
  return failed;
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
    const first = [...(await applyPlan(db, plan, token, { undoLost: false, insertFirst: !transactional }))][0];
    if (first !== undefined) throw lostOpError(plan, first[0], first[1]);
  } catch (err) {
    if (!transactional) await compensate(db, plan, token);
    throw err;
  }
}
