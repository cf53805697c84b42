/**
 * Type- and system-level history on MongoDB (ResourceStore.historyPage): history documents newest first, each
 * order served by an index (mongo-indexes.ts). History documents above their resource's current version are
 * strays of writes that did not finish (apply-changes.ts) and are left out of the page; `total` counts
 * documents, so it may count such a stray until a later write of that resource replaces it.
 */
import type { HistoryPage, VersionRecord } from '../resource-store.js';
import type { MongoDatabaseLike, MongoSort } from './collection.js';
import { HISTORY, type HistoryDoc, RESOURCES, type ResourceDoc, resourceKey, toVersionRecord } from './documents.js';

/** A type's order leaves out `type`, which its filter fixes, so the `type_lu_id_v` index serves it. */
const SYSTEM_ORDER: MongoSort = { lu: -1, type: -1, id: -1, v: -1 };
const TYPE_ORDER: MongoSort = { lu: -1, id: -1, v: -1 };

export async function historyPage(db: MongoDatabaseLike, type: string | null, page: HistoryPage): Promise<{ versions: VersionRecord[]; total: number }> {
  // Bounded on `lu` even without `since`, so the count reads index keys rather than every document.
  const filter = { ...(type === null ? {} : { type: String(type) }), lu: { $gte: page.since ?? -Infinity } };
  const history = db.collection<HistoryDoc>(HISTORY);
  const [total, docs] = await Promise.all([
    history.countDocuments(filter),
    (async () => {
      const out: HistoryDoc[] = [];
      for await (const doc of history.find(filter, { sort: type === null ? SYSTEM_ORDER : TYPE_ORDER, skip: page.offset, limit: page.count })) out.push(doc);
      return out;
    })(),
  ]);
  const current = new Map<string, number>();
  const keys = [...new Set(docs.map((d) => resourceKey(d.type, d.id)))];
  if (keys.length > 0) for await (const doc of db.collection<ResourceDoc>(RESOURCES).find({ _id: { $in: keys } }, { projection: { v: 1 } })) current.set(doc._id, doc.v);
  const versions = docs.filter((d) => d.v <= (current.get(resourceKey(d.type, d.id)) ?? 0)).map(toVersionRecord);
  return { versions, total };
}
