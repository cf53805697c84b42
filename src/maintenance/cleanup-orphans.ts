/**
 * Orphans: current resources holding a reference to a resource that is not there (an Observation whose
 * Patient was deleted). Found through the reference index (referencesFrom), checked against the ids of the
 * live resources of each target type; `cleanup` soft-deletes each orphan (a tombstone version, so a backup
 * or history still has it) and reports it; a dry run only reports.
 */
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

/** Checks `signal` per type and per resource (one reference lookup each, the long part on a large store). */
export async function findOrphans(store: ResourceStore, signal?: AbortSignal): Promise<Orphan[]> {
  const types = Object.keys(await store.countByType()).sort();
  const live = new Map<string, Set<string>>();
  for (const type of types) {
    signal?.throwIfAborted();
    const ids = new Set<string>();
    for await (const r of store.stream(type)) ids.add(r.id);
    live.set(type, ids);
  }
  const orphans: Orphan[] = [];
  for (const type of types) {
    for (const id of live.get(type)!) {
      signal?.throwIfAborted();
      // Only literal relative references name a local target; absolute URLs and logical ones are out of scope.
      const missing = (await store.referencesFrom(type, id))
        .filter((ref) => ref.targetType && ref.targetId && !live.get(ref.targetType)?.has(ref.targetId))
        .map((ref) => ({ path: ref.path, target: `${ref.targetType}/${ref.targetId}` }));
      if (missing.length) orphans.push({ resourceType: type, id, missing });
    }
  }
  return orphans;
}

export async function cleanupOrphans(store: ResourceStore, options: { dryRun?: boolean; signal?: AbortSignal } = {}): Promise<CleanupResult> {
  const orphans = await findOrphans(store, options.signal);
  if (options.dryRun || orphans.length === 0) return { dryRun: options.dryRun === true, orphans, deleted: 0 };
  const results = await store.write(orphans.map((o) => ({ op: 'delete' as const, resourceType: o.resourceType, id: o.id })));
  return { dryRun: false, orphans, deleted: results.filter((r) => r.status === 'deleted').length };
}
