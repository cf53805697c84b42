/**
 * Job records of the MongoDB store, one document per job in `jobs`: the record as JSON text (any key
 * round-trips, as for resources in documents.ts) beside the two fields the list filters and orders by. Only
 * the job's owner writes its record (jobs/job-manager.ts takes a lease first), so plain replaces suffice.
 */
import { serverError } from '../../fhir/outcomes.js';
import type { StoredJob } from '../resource-store.js';
import type { MongoDatabaseLike } from './collection.js';

export const JOBS = 'jobs';

type JobDoc = { _id: string; status: string; created: string; json: string };

export async function putJobDoc(db: MongoDatabaseLike, record: StoredJob): Promise<void> {
  const replacement: JobDoc = { _id: record.id, status: record.status, created: record.created, json: JSON.stringify(record) };
  const out = await db.collection<JobDoc>(JOBS).bulkWrite([{ replaceOne: { filter: { _id: record.id }, replacement, upsert: true } }]);
  if (out.failures.length > 0) throw serverError(`writing job ${record.id} failed: ${out.failures[0].message}`);
}

export async function getJobDoc<T>(db: MongoDatabaseLike, id: string): Promise<T | null> {
  const doc = await db.collection<JobDoc>(JOBS).findOne({ _id: id });
  return doc === null ? null : (JSON.parse(doc.json) as T);
}

export async function listJobDocs<T>(db: MongoDatabaseLike, statuses: readonly string[] | undefined, limit: number): Promise<T[]> {
  if (limit === 0) return [];
  const filter = statuses === undefined ? {} : { status: { $in: [...statuses] } };
  const out: T[] = [];
  for await (const doc of db.collection<JobDoc>(JOBS).find(filter, { sort: { created: -1, _id: 1 }, limit })) out.push(JSON.parse(doc.json) as T);
  return out;
}

export async function deleteJobDoc(db: MongoDatabaseLike, id: string): Promise<void> {
  await db.collection(JOBS).deleteMany({ _id: id });
}
