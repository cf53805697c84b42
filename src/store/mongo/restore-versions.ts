/**
 * restoreVersions on MongoDB: the recorded versions become history documents as they are, and a resource
 * document is (re)written only where the restored versions go past the stored current one; only that
 * version is parsed and indexed. The writes go through the same guarded, all-or-nothing path as atomic
 * write() calls (apply-changes.ts): one transaction on a replica set, compensated on a standalone server.
 * @see ../resource-store.ts (restoreVersions)
 */
import { randomUUID } from 'node:crypto';
import { conflict } from '../../fhir/outcomes.js';
import { assertDocumentSize } from '../document-limit.js';
import { groupRawVersions, parseCurrentVersion } from '../raw-versions.js';
import type { RawVersionRecord } from '../resource-store.js';
import { applyAtomically } from './apply-changes.js';
import type { MongoDatabaseLike } from './collection.js';
import { HISTORY, type HistoryDoc, RESOURCES, type ResourceDoc, historyKey, ordinals, resourceDocFromJson, resourceKey } from './documents.js';
import { withPosition } from './history-marks.js';
import type { Indexer, WritePlan } from './write-plan.js';

export async function restoreVersions(db: MongoDatabaseLike, records: RawVersionRecord[], index: Indexer): Promise<number> {
  const groups = groupRawVersions(records);
  if (groups.length === 0) return 0;
  const token = randomUUID();
  // Restored versions land now, so they take their place in commit order now (history-marks.ts).
  const inTransaction = await db.transactional();
  await withPosition(db, (q) => db.withTransaction(async (tx) => {
    const ordinal = ordinals();
    const history: HistoryDoc[] = groups.flatMap((g) =>
      g.versions.map((v) => ({ _id: historyKey(g.type, g.id, v.n), type: g.type, id: g.id, v: v.n, lastUpdated: v.lastUpdated, lu: v.lu, deleted: v.deleted, json: v.json, w: token, q, o: ordinal() })),
    );
    // Checked first for a clear message; the unique _id still refuses a version a concurrent writer adds meanwhile.
    for await (const taken of tx.collection<HistoryDoc>(HISTORY).find({ _id: { $in: history.map((h) => h._id) } }, { projection: { _id: 1 }, limit: 1 })) {
      throw conflict(`${taken._id.replace(/\/v(\d+)$/, '/_history/$1')} already exists; nothing was restored`);
    }
    const loaded = new Map<string, ResourceDoc>();
    for await (const doc of tx.collection<ResourceDoc>(RESOURCES).find({ _id: { $in: groups.map((g) => resourceKey(g.type, g.id)) } })) loaded.set(doc._id, doc);
    const plan: WritePlan = { results: [], keys: new Map(), history, q, ordinal };
    for (const g of groups) {
      for (const v of g.versions) if (v.json !== null) assertDocumentSize(g.type, g.id, v.json, null);
      const key = resourceKey(g.type, g.id);
      const prior = loaded.get(key) ?? null;
      const top = g.versions[g.versions.length - 1];
      // Versions older than the stored current one fill history only; the current document stays.
      if (prior !== null && top.n < prior.v) continue;
      const entries = top.deleted ? null : index(parseCurrentVersion(g, top));
      if (entries) assertDocumentSize(g.type, g.id, top.json as string, entries);
      plan.keys.set(key, { prior, next: resourceDocFromJson(g.type, g.id, top.n, top.lastUpdated, top.json, entries, token), ops: [] });
    }
    await applyAtomically(tx, plan, token);
  }), inTransaction);
  return records.length;
}
