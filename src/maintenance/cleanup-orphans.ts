/**
 * Orphans: current resources holding a reference to a resource that is not there (an Observation whose
 * Patient was deleted). Found through the reference index (referencesFrom), checked against the ids of the
 * live resources of each target type; `cleanup` soft-deletes each orphan (a tombstone version, so a backup
 * or history still has it) and reports it; a dry run only reports. Each deletion names the version found, so
 * an orphan changed meanwhile (perhaps mended) is left alone, and the Provenance recording the cleanup
 * (src/lineage) targets exactly the tombstone that follows it.
 */
import { jobLineage, type LineageOption } from '../lineage/job-lineage.js';
import { versionedReference } from '../lineage/record-lineage.js';
import type { ResourceStore } from '../store/resource-store.js';

export interface Orphan {
  resourceType: string;
  id: string;
  /** The dangling references: element path and target. */
  missing: { path: string; target: string }[];
}

export interface CleanupResult {
  dryRun: boolean;
  orphans: Orphan[];
  deleted: number;
}

const isProvenanceTarget = (type: string, path: string) => type === 'Provenance' && path.startsWith('Provenance.target');

/** Checks `signal` per type and per resource (one reference lookup each, the long part on a large store). */
export async function findOrphans(store: ResourceStore, signal?: AbortSignal): Promise<Orphan[]> {
  return (await scanOrphans(store, signal)).orphans;
}

/** The orphans, and the current version of every live resource by `Type/id` (orphans included). */
async function scanOrphans(store: ResourceStore, signal?: AbortSignal): Promise<{ orphans: Orphan[]; live: Map<string, Map<string, string>> }> {
  const types = Object.keys(await store.countByType()).sort();
  const live = new Map<string, Map<string, string>>();
  for (const type of types) {
    signal?.throwIfAborted();
    const ids = new Map<string, string>();
    for await (const r of store.stream(type)) ids.set(r.id, r.meta.versionId);
    live.set(type, ids);
  }
  const orphans: Orphan[] = [];
  for (const type of types) {
    for (const id of live.get(type)!.keys()) {
      signal?.throwIfAborted();
      // Only literal relative references name a local target; absolute URLs and logical ones are out of scope.
      // A Provenance's target is a record of a version written, which stays true once the resource is deleted.
      const missing = (await store.referencesFrom(type, id))
        .filter((ref) => ref.targetType && ref.targetId && !live.get(ref.targetType)?.has(ref.targetId) && !isProvenanceTarget(type, ref.path))
        .map((ref) => ({ path: ref.path, target: `${ref.targetType}/${ref.targetId}` }));
      if (missing.length) orphans.push({ resourceType: type, id, missing });
    }
  }
  return { orphans, live };
}

export interface CleanupOptions {
  dryRun?: boolean;
  signal?: AbortSignal;
  /** The job this run is (its Provenance names it; a fresh `cli-<run id>` when absent); `false`: no lineage. */
  lineage?: LineageOption;
}

export async function cleanupOrphans(store: ResourceStore, options: CleanupOptions = {}): Promise<CleanupResult> {
  const { orphans, live } = await scanOrphans(store, options.signal);
  if (options.dryRun || orphans.length === 0) return { dryRun: options.dryRun === true, orphans, deleted: 0 };
  const versionOf = (o: Orphan) => live.get(o.resourceType)!.get(o.id)!;
  const results = await store.write(orphans.map((o) => ({ op: 'delete' as const, resourceType: o.resourceType, id: o.id, ifMatch: versionOf(o) })));
  const deleted = orphans.filter((_, i) => results[i].status === 'deleted');
  // A deletion is the version after the one it matched (the store numbers versions 1, 2, …).
  const tombstones = deleted.map((o) => versionedReference(o.resourceType, o.id, String(Number(versionOf(o)) + 1)));
  const lineage = jobLineage('cleanup-orphans', options.lineage);
  await lineage?.recordTargets(store, [{ activity: 'cleanup', references: tombstones }]);
  return { dryRun: false, orphans, deleted: deleted.length };
}
