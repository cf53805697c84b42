/**
 * Leases of the MongoDB store (ResourceStore.acquireLock), as a chain of generations, each one an insert.
 * A conditional replace ("replace the lease if it is expired or mine, else insert and collide") is atomic on
 * MongoDB, but FerretDB v1 checks the filter and then writes by `_id` without checking again: four processes
 * taking over one expired lease at once had three or four winners in every round (measured against v1.24.2).
 * An insert is atomic on every server, since the unique `_id` admits one document per key. So every change
 * of a lease (take, renew, take over, give back) reads the newest generation and inserts the next one: of
 * the processes that read the same generation, exactly one insert lands. Expiry compares the callers'
 * clocks: keep leases long against the clock skew between servers.
 * @see https://www.mongodb.com/docs/manual/core/write-operations-atomicity/
 * @see https://www.mongodb.com/docs/manual/core/index-unique/
 */
import { serverError } from '../../fhir/outcomes.js';
import type { MongoDatabaseLike } from './collection.js';

export const LOCKS = 'locks';

const DUPLICATE_KEY = 11000;
/**
 * Generations this long past their expiry are removed. Only a process that read a generation and has not yet
 * inserted the next could still need it gone from under it, and that takes milliseconds, not an hour.
 */
const KEEP_EXPIRED_MS = 60 * 60 * 1000;

/** One generation; `owner` null when the lease was given back. */
type LeaseDoc = { _id: string; name: string; n: number; owner: string | null; expires: number };

const generationKey = (name: string, n: number): string => `${name}#${String(n).padStart(12, '0')}`;

async function newest(db: MongoDatabaseLike, name: string): Promise<LeaseDoc | null> {
  for await (const doc of db.collection<LeaseDoc>(LOCKS).find({ name }, { sort: { n: -1 }, limit: 1 })) return doc;
  return null;
}

/** Inserts the generation after `prev`; false when another process inserted it first. */
async function insertNext(db: MongoDatabaseLike, name: string, prev: LeaseDoc | null, owner: string | null, expires: number): Promise<boolean> {
  const n = (prev?.n ?? 0) + 1;
  const document: LeaseDoc = { _id: generationKey(name, n), name, n, owner, expires };
  const out = await db.collection<LeaseDoc>(LOCKS).bulkWrite([{ insertOne: { document } }]);
  const failure = out.failures[0];
  if (failure === undefined) return true;
  if (failure.code === DUPLICATE_KEY) return false;
  throw serverError(`changing the lease ${name} failed: ${failure.message}`);
}

export async function acquireLease(db: MongoDatabaseLike, name: string, owner: string, ttlMs: number, now: number): Promise<boolean> {
  const latest = await newest(db, name);
  if (latest !== null && latest.owner !== null && latest.owner !== owner && latest.expires > now) return false;
  if (!(await insertNext(db, name, latest, owner, now + ttlMs))) return false;
  if (latest !== null) await db.collection(LOCKS).deleteMany({ name, n: { $lte: latest.n }, expires: { $lt: now - KEEP_EXPIRED_MS } });
  return true;
}

export async function releaseLease(db: MongoDatabaseLike, name: string, owner: string): Promise<void> {
  const latest = await newest(db, name);
  // A lost insert means another process took the lease over meanwhile: it is theirs, as it should be.
  if (latest?.owner === owner) await insertNext(db, name, latest, null, 0);
}
