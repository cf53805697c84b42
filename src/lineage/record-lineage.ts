/**
 * Recording lineage after a job's batch is written: every job (import, enhance-imaging, dedupe, cleanup) calls
 * recordLineage with the store's results, so all of them write the same Provenance. Only created and updated
 * versions are targets: an unchanged resource keeps the lineage of the job that wrote it.
 */
import { OperationOutcomeError } from '../fhir/outcomes.js';
import type { ResourceStore, WriteOp, WriteResult } from '../store/resource-store.js';
import { provenanceBatch, type Activity, type LineageInput, type LineageJob } from './provenance-batch.js';

export interface TargetGroup {
  activity: Activity;
  /** Versioned references. */
  references: string[];
}

export const versionedReference = (resourceType: string, id: string, versionId: string): string => `${resourceType}/${id}/_history/${versionId}`;

/** The versions the results wrote, grouped by what the write did; `as` names a job's own activity for all of them. */
export function writtenTargets(results: readonly WriteResult[], as?: Activity): TargetGroup[] {
  const created: string[] = [];
  const updated: string[] = [];
  for (const r of results) {
    if (!r.resource || (r.status !== 'created' && r.status !== 'updated')) continue;
    (r.status === 'created' ? created : updated).push(versionedReference(r.resource.resourceType, r.resource.id, r.resource.meta.versionId));
  }
  if (as !== undefined) return [{ activity: as, references: [...created, ...updated] }];
  return [
    { activity: 'create', references: created },
    { activity: 'update', references: updated },
  ];
}

export interface LineageRecord {
  job: LineageJob;
  /** The Provenance's meta.source. */
  source: string;
  input?: LineageInput;
  groups: TargetGroup[];
}

/** The batch's Provenance resources as create ops (none when nothing was written). */
export function lineageOps(record: LineageRecord): WriteOp[] {
  const recorded = new Date().toISOString();
  return record.groups.flatMap((g) =>
    g.references.length === 0 ? [] : provenanceBatch({ job: record.job, activity: g.activity, targets: g.references, source: record.source, input: record.input, recorded }),
  ).map((resource) => ({ op: 'create' as const, resource }));
}

/** Writes the batch's Provenance resources (none when nothing was written); resolves with how many. */
export async function recordLineage(store: ResourceStore, record: LineageRecord): Promise<number> {
  const ops = lineageOps(record);
  if (ops.length === 0) return 0;
  const results = await store.write(ops);
  const failed = results.find((r) => r.status === 'failed');
  if (failed?.error) throw new OperationOutcomeError(failed.error.status, failed.error.outcome);
  return ops.length;
}
