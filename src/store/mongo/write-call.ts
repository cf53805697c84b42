/**
 * One write() call: load the current documents, plan (write-plan.ts), apply (apply-changes.ts).
 *
 * Without transactions, writes go insert first: the resources that ops create with an id or put without
 * If-Match are not loaded but planned as new and inserted; only those whose insert meets a document already
 * there (duplicate key) are loaded and planned again, and written in a second round. An import of new data then
 * reads nothing before it writes. On FerretDB v1 that halves an import, since every lookup scans the whole
 * collection there, `_id` included. Deletes and If-Match need the current version to decide, so they are
 * loaded first. Inside a transaction everything is loaded first, because a duplicate key aborts the transaction.
 */
import type { WriteOp, WriteResult } from '../resource-store.js';
import { applyPlan, compensate } from './apply-changes.js';
import type { MongoDatabaseLike } from './collection.js';
import { RESOURCES, type ResourceDoc, resourceKey } from './documents.js';
import { lostOpError, opError } from './write-errors.js';
import { type PlanContext, type WritePlan, opKey, planWrites } from './write-plan.js';

const needsCurrent = (op: WriteOp) => op === null || typeof op !== 'object' || op.op === 'delete' || (op.op === 'put' && op.ifMatch !== undefined);

async function load(db: MongoDatabaseLike, keys: Set<string>): Promise<Map<string, ResourceDoc>> {
  const loaded = new Map<string, ResourceDoc>();
  if (keys.size === 0) return loaded;
  for await (const doc of db.collection<ResourceDoc>(RESOURCES).find({ _id: { $in: [...keys] } })) loaded.set(doc._id, doc);
  return loaded;
}

/** Plans the ops at `positions` again, their results and op lists numbered as in the whole call. */
function planAgain(ops: WriteOp[], positions: number[], loaded: Map<string, ResourceDoc>, ctx: PlanContext): WritePlan {
  const sub = planWrites(positions.map((p) => ops[p]), loaded, ctx);
  return {
    results: sub.results.map((r) => ({ ...r, index: positions[r.index] })),
    keys: new Map([...sub.keys].map(([key, planned]) => [key, { ...planned, ops: planned.ops.map((i) => positions[i]) }])),
    history: sub.history,
    q: sub.q,
    ordinal: sub.ordinal,
  };
}

/** `plan` with the writes of `keys` replaced by those of `again`. */
function merge(plan: WritePlan, again: WritePlan, keys: Set<string>): WritePlan {
  const results = [...plan.results];
  for (const r of again.results) results[r.index] = r;
  const kept = [...plan.keys].filter(([key]) => !keys.has(key));
  const history = plan.history.filter((h) => !keys.has(resourceKey(h.type, h.id)));
  return { results, keys: new Map([...kept, ...again.keys]), history: [...history, ...again.history], q: plan.q, ordinal: plan.ordinal };
}

export interface WriteCallOptions {
  /** All or nothing: rejects with the first op that failed, after undoing the rest when not `transactional`. */
  atomic: boolean;
  /** `db` is a transaction's. */
  transactional: boolean;
}

/** Writes the ops; answers a result per op (atomic calls reject instead of answering a failure). */
export async function writeCall(db: MongoDatabaseLike, ops: WriteOp[], ctx: PlanContext, { atomic, transactional }: WriteCallOptions): Promise<WriteResult[]> {
  const keyOf = (op: WriteOp) => opKey(op) ?? '';
  const checked = new Set(ops.filter((op) => transactional || needsCurrent(op)).map(keyOf));
  const loaded = await load(db, new Set([...checked].filter((key) => key !== '')));
  let plan = planWrites(ops, loaded, ctx);
  const firstFailed = (p: WritePlan) => p.results.find((r) => r.status === 'failed');
  if (atomic && firstFailed(plan)) throw opError(firstFailed(plan) as WriteResult);
  const apply = (p: WritePlan) => applyPlan(db, p, ctx.token, { undoLost: !atomic, insertFirst: !transactional });
  try {
    const lost = await apply(plan);
    // A duplicate key on a resource nobody loaded: it exists, so its ops are decided again against it.
    const taken = new Set([...lost].filter(([key, e]) => e.status === 409 && !checked.has(key) && plan.keys.get(key)?.prior === null).map(([key]) => key));
    if (taken.size > 0) {
      for (const key of taken) lost.delete(key);
      const positions = ops.flatMap((op, i) => (taken.has(keyOf(op)) ? [i] : []));
      const again = planAgain(ops, positions, new Map([...loaded, ...(await load(db, taken))]), ctx);
      plan = merge(plan, again, taken);
      if (atomic && firstFailed(again)) throw opError(firstFailed(again) as WriteResult);
      for (const [key, e] of await apply(again)) lost.set(key, e);
    }
    const first = [...lost][0];
    if (atomic && first !== undefined) throw lostOpError(plan, first[0], first[1]);
    for (const [key, { status, outcome }] of lost) {
      for (const index of plan.keys.get(key)?.ops ?? []) plan.results[index] = { index, status: 'failed', error: { status, outcome } };
    }
    return plan.results;
  } catch (err) {
    // Inside a transaction the caller's abort undoes everything.
    if (atomic && !transactional) await compensate(db, plan, ctx.token);
    throw err;
  }
}
