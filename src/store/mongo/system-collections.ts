/**
 * Leases and system documents of the MongoDB store, through the narrow collection interface (so mingo
 * exercises them too). A lease is taken by ONE replaceOne with upsert whose filter matches only a free lease
 * (expired, or already mine): when someone else holds it the filter misses, the upsert tries to insert the
 * same `_id` and the unique `_id` index refuses it (E11000). Single-document writes are atomic, so two
 * processes, on one machine or several, can never both take it. Expiry compares the callers' clocks: keep
 * leases long against the clock skew between servers.
 * @see https://www.mongodb.com/docs/manual/core/write-operations-atomicity/
 * @see https://www.mongodb.com/docs/manual/reference/method/db.collection.replaceOne/#upsert
 */
import { serverError } from '../../fhir/outcomes.js';
import type { MongoDatabaseLike } from './collection.js';

export const LOCKS = 'locks';
export const SYSTEM = 'system';

const DUPLICATE_KEY = 11000;

type LockDoc = { _id: string; owner: string; expires: number };
/** Kept as JSON text, for the same reasons as resources (documents.ts): any key round-trips. */
type SystemDoc = { _id: string; json: string };

export async function acquireLease(db: MongoDatabaseLike, name: string, owner: string, ttlMs: number, now: number): Promise<boolean> {
  const replacement: LockDoc = { _id: name, owner, expires: now + ttlMs };
  const filter = { _id: name, $or: [{ expires: { $lte: now } }, { owner }] };
  const out = await db.collection<LockDoc>(LOCKS).bulkWrite([{ replaceOne: { filter, replacement, upsert: true } }]);
  const failure = out.failures[0];
  if (failure === undefined) return out.matchedCount + out.upsertedCount === 1;
  if (failure.code === DUPLICATE_KEY) return false;
  throw serverError(`taking the lease ${name} failed: ${failure.message}`);
}

export async function releaseLease(db: MongoDatabaseLike, name: string, owner: string): Promise<void> {
  await db.collection<LockDoc>(LOCKS).bulkWrite([{ deleteOne: { filter: { _id: name, owner } } }]);
}

export async function getSystemDoc<T>(db: MongoDatabaseLike, key: string): Promise<T | null> {
  const doc = await db.collection<SystemDoc>(SYSTEM).findOne({ _id: key });
  return doc === null ? null : (JSON.parse(doc.json) as T);
}

export async function putSystemDoc(db: MongoDatabaseLike, key: string, doc: unknown): Promise<void> {
  const out = await db.collection<SystemDoc>(SYSTEM).bulkWrite([{ replaceOne: { filter: { _id: key }, replacement: { _id: key, json: JSON.stringify(doc) }, upsert: true } }]);
  if (out.failures.length > 0) throw serverError(`writing system document ${key} failed: ${out.failures[0].message}`);
}
