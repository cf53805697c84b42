/**
 * Writes recorded versions back so the store holds them exactly as they were (see replay-store.ts for
 * why pinning the clock is enough). Every result is checked: a version that comes back with another
 * versionId or status means the target was not in the state the backup continues from, and restore stops.
 */
import { serverError } from '../fhir/outcomes.js';
import type { ResourceStore, VersionRecord, WriteOp, WriteResult } from '../store/resource-store.js';

/** Ops per write() call: one transaction each on SQLite, so large enough to amortise the commit. */
const BATCH = 2000;

const byInstant = (a: VersionRecord, b: VersionRecord) => (a.lastUpdated < b.lastUpdated ? -1 : a.lastUpdated > b.lastUpdated ? 1 : 0);

function toOp(v: VersionRecord): WriteOp {
  if (v.deleted) return { op: 'delete', resourceType: v.resourceType, id: v.id };
  return { op: 'put', resource: v.resource as VersionRecord['resource'] & { id: string } };
}

function check(v: VersionRecord, r: WriteResult): void {
  const ok = v.deleted ? r.status === 'deleted' : (r.status === 'created' || r.status === 'updated') && r.resource?.meta.versionId === v.versionId;
  if (!ok) {
    const got = r.error?.outcome.issue?.[0]?.diagnostics ?? `${r.status} version ${r.resource?.meta.versionId ?? '-'}`;
    throw serverError(`Restore of ${v.resourceType}/${v.id} version ${v.versionId} diverged: ${got}`);
  }
}

/**
 * Replays the versions of one resource type. Records must hold each resource's versions oldest first
 * (the backup files do); the stable sort by instant keeps that order among equal instants.
 */
export async function replayVersions(open: (now: () => number) => Promise<ResourceStore>, records: VersionRecord[], signal?: AbortSignal): Promise<number> {
  records.sort(byInstant);
  let pinned = 0;
  const store = await open(() => pinned);
  try {
    for (let i = 0; i < records.length; ) {
      signal?.throwIfAborted();
      const at = records[i].lastUpdated;
      let j = i + 1;
      while (j < records.length && j - i < BATCH && records[j].lastUpdated === at) j++;
      pinned = Date.parse(at);
      const batch = records.slice(i, j);
      const results = await store.write(batch.map(toOp));
      batch.forEach((v, k) => check(v, results[k]));
      i = j;
    }
  } finally {
    await store.close();
  }
  return records.length;
}
