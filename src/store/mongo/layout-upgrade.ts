/**
 * Brings documents written by earlier releases to the layout this one reads, once per deployment (recorded in
 * the `system` collection, so later opens cost one findOne). Layout 2: each sort key (`srt.<code>`) carries the
 * presence marker `has: 1` that `_sort` orders by first (derived-entries.ts); documents written before it have
 * `lo`/`hi` only, and would sort after every resource without a value. The marker is set code by code, on the
 * documents that lack it, so running this twice (two processes opening at once) changes nothing more. A process
 * of an earlier release still writing meanwhile writes documents without the marker: upgrade every process.
 */
import type { MongoDatabaseLike } from './collection.js';
import { RESOURCES, type ResourceDoc } from './documents.js';
import { getSystemDoc, putSystemDoc } from './system-collections.js';

/** The system document recording the layout of this database's documents. */
export const LAYOUT_RECORD = 'mongo-layout';
export const LAYOUT_VERSION = 2;

export async function upgradeLayout(db: MongoDatabaseLike): Promise<void> {
  const record = await getSystemDoc<{ version: number }>(db, LAYOUT_RECORD);
  if ((record?.version ?? 1) >= LAYOUT_VERSION) return;
  const resources = db.collection<ResourceDoc>(RESOURCES);
  const unmarked = new Set<string>();
  for await (const doc of resources.find({}, { projection: { srt: 1 } })) {
    for (const [code, entry] of Object.entries(doc.srt ?? {})) if (entry.has !== 1) unmarked.add(code);
  }
  for (const code of unmarked) {
    await resources.updateMany({ [`srt.${code}`]: { $exists: true }, [`srt.${code}.has`]: { $exists: false } }, { [`srt.${code}.has`]: 1 });
  }
  try {
    await putSystemDoc(db, LAYOUT_RECORD, { version: LAYOUT_VERSION });
  } catch (err) {
    // A process opening at the same moment may have won the upsert of this same record (E11000).
    if ((await getSystemDoc<{ version: number }>(db, LAYOUT_RECORD))?.version !== LAYOUT_VERSION) throw err;
  }
}
