/**
 * System documents of the MongoDB store (leases are in leases.ts), through the narrow collection interface
 * (so mingo exercises them too).
 */
import { serverError } from '../../fhir/outcomes.js';
import type { MongoDatabaseLike } from './collection.js';

export const SYSTEM = 'system';


/** Kept as JSON text, for the same reasons as resources (documents.ts): any key round-trips. */
type SystemDoc = { _id: string; json: string };

export async function getSystemDoc<T>(db: MongoDatabaseLike, key: string): Promise<T | null> {
  const doc = await db.collection<SystemDoc>(SYSTEM).findOne({ _id: key });
  return doc === null ? null : (JSON.parse(doc.json) as T);
}

export async function putSystemDoc(db: MongoDatabaseLike, key: string, doc: unknown): Promise<void> {
  const out = await db.collection<SystemDoc>(SYSTEM).bulkWrite([{ replaceOne: { filter: { _id: key }, replacement: { _id: key, json: JSON.stringify(doc) }, upsert: true } }]);
  if (out.failures.length > 0) throw serverError(`writing system document ${key} failed: ${out.failures[0].message}`);
}
