/**
 * Lineage of a job that is no import (enhance-imaging, dedupe merges, orphan cleanup): every resource it writes
 * carries `meta.source = urn:medgen:job:{jobId}`, and each batch it writes is recorded as Provenance with the
 * job's activity. Off with MEDGEN_LINEAGE=off or the job's own `lineage: false`.
 */
import type { Resource } from 'fhir/r4.js';
import { lineageEnabled } from '../config.js';
import type { ResourceStore, WriteResult } from '../store/resource-store.js';
import type { Activity, LineageJob } from './provenance-batch.js';
import { recordLineage, writtenTargets, type TargetGroup } from './record-lineage.js';
import { jobSource, runId, withSource } from './source-uri.js';

/** `false`: no lineage; otherwise the job's id (a fresh `cli-<run id>` for a run that is no stored job) and parameters. */
export type LineageOption = false | { jobId?: string; parameters?: Record<string, unknown> };

export class JobLineage {
  readonly source: string;

  constructor(readonly job: LineageJob) {
    this.source = jobSource(job.id);
  }

  stamp<T extends Resource>(resource: T): T {
    return withSource(resource, this.source);
  }

  /** Provenance for the versions the results wrote (by what each write did, or all as `as`). */
  record(store: ResourceStore, results: readonly WriteResult[], as?: Activity): Promise<number> {
    return this.recordTargets(store, writtenTargets(results, as));
  }

  /** Provenance for versions the job names itself (deletions, which results carry no version of). */
  recordTargets(store: ResourceStore, groups: TargetGroup[]): Promise<number> {
    return recordLineage(store, { job: this.job, source: this.source, groups });
  }
}

/** The job's lineage, or undefined when it is off. */
export function jobLineage(kind: string, option: LineageOption | undefined): JobLineage | undefined {
  if (option === false || !lineageEnabled()) return undefined;
  return new JobLineage({ id: option?.jobId ?? runId(), kind, parameters: option?.parameters });
}
