/**
 * The baseline of `import --store mongo`: the documents the import's MongoDB store wrote, inserted again with
 * the driver's `insertMany` and none of the import's or the store's work (no load of current documents, no
 * planning, no version guards). The store's write() calls are recorded with the `_id`s they stored, in the
 * store's order (resource documents in the order of their first op, then one history document per version);
 * after the import both collections are read back, dropped, their indexes made again (the store's, so each
 * insert maintains the same indexes), and each call's documents inserted, resources then history, unordered.
 * Batches: each call's documents go in insertMany batches of at most the store's bulk size (server-features.ts),
 * so each baseline command carries as many documents as the store's: one command per call and collection on
 * MongoDB (the driver splits only past 100,000 documents or 48 MB), parts of 50 on FerretDB v1. There only update
 * and delete commands need the 50 (an insert of 1,000 answers), but the parts cost inserts nothing: on the same
 * 2,748 documents, 264-307 resources/s in parts of 50 against 195-233/s in one insertMany per call.
 */
import type { Db, Document, IndexDescription } from 'mongodb';
import { randomUUID } from 'node:crypto';
import type { ResourceStore, WriteOp } from '../src/store/resource-store.js';
import { HISTORY, RESOURCES, historyKey, resourceKey } from '../src/store/mongo/documents.js';
import { onEachWrite } from './record-writes.js';
import { secondsSince } from './result.js';

/** The `_id`s of the documents one write() call stored, in the order the store wrote them. */
export interface WrittenCall {
  resources: string[];
  history: string[];
}

/**
 * Records, per write() call of `store`, the documents it stored (failed ops and undone calls store none), those
 * its `follow` added (an import's Provenance) included: they are creates without id, so they get their ids here,
 * as the store would have given them, to be known.
 */
export function recordDocuments(store: ResourceStore): WrittenCall[] {
  const calls: WrittenCall[] = [];
  const withId = (op: WriteOp): WriteOp => (op.op === 'create' ? { ...op, resource: { ...op.resource, id: op.resource.id ?? randomUUID() } } : op);
  onEachWrite(
    store,
    (results, followed) => {
      const stored = results.flatMap((r) => (r.resource && (r.status === 'created' || r.status === 'updated') ? [{ ...r.resource, v: Number(r.resource.meta.versionId) }] : []));
      const created = followed.flatMap((op) => (op.op === 'create' ? [{ ...(op.resource as { resourceType: string; id: string }), v: 1 }] : []));
      const all = [...stored, ...created];
      calls.push({
        resources: [...new Set(all.map((r) => resourceKey(r.resourceType, r.id)))],
        history: all.map((r) => historyKey(r.resourceType, r.id, r.v)),
      });
    },
    withId,
  );
  return calls;
}

/** The collection's documents by `_id`; the collection is then dropped and made again, empty, with the same indexes. */
async function takeAll(db: Db, name: string): Promise<Map<string, Document>> {
  const docs = new Map<string, Document>();
  for await (const doc of db.collection(name).find({})) docs.set(doc._id as unknown as string, doc);
  const indexes = (await db.collection(name).listIndexes().toArray()).filter((index) => index.name !== '_id_').map(({ v, ns, ...index }) => index);
  await db.collection(name).drop();
  if (indexes.length > 0) await db.collection(name).createIndexes(indexes as IndexDescription[]);
  return docs;
}

/** `ids`' documents in chunks of at most `batch`. */
function* chunks(ids: string[], docs: Map<string, Document>, batch: number): Generator<Document[]> {
  const found = ids.flatMap((id) => (docs.has(id) ? [docs.get(id) as Document] : []));
  for (let i = 0; i < found.length; i += batch) yield found.slice(i, i + batch);
}

/**
 * Inserts the recorded documents of `db` again (see the file comment); returns how many resources (history
 * documents, one per stored version) were written and the seconds spent in insertMany.
 */
export async function insertManyReplay(db: Db, calls: WrittenCall[], batch: number): Promise<{ resources: number; seconds: number }> {
  const [resources, history] = await Promise.all([takeAll(db, RESOURCES), takeAll(db, HISTORY)]);
  // A resource stored by several calls has only its last document left: it is inserted with the last of them.
  const lastCall = new Map<string, number>();
  calls.forEach((call, i) => call.resources.forEach((id) => lastCall.set(id, i)));
  let written = 0;
  let seconds = 0;
  for (const [i, call] of calls.entries()) {
    const ownResources = [...chunks(call.resources.filter((id) => lastCall.get(id) === i), resources, batch)];
    const versions = [...chunks(call.history, history, batch)];
    const start = process.hrtime.bigint();
    for (const part of ownResources) await db.collection(RESOURCES).insertMany(part, { ordered: false });
    for (const part of versions) written += (await db.collection(HISTORY).insertMany(part, { ordered: false })).insertedCount;
    seconds += secondsSince(start);
  }
  return { resources: written, seconds };
}
