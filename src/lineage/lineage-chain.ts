/**
 * `$lineage`'s answer: for each version of a resource, oldest first, who wrote it and from what: the version's
 * meta.source read back (job, input file and position, or REST request) and the Provenance that covers that
 * version (activity, the input file's SHA-256, the job's parameters). Provenance is found through the reference
 * index (its versioned targets are indexed as Type/id), at most MAX_PROVENANCE of them per resource.
 */
import type { Coding, Parameters, ParametersParameter, Provenance } from 'fhir/r4.js';
import type { ResourceStore, VersionRecord } from '../store/resource-store.js';
import { JOB_EXTENSION, JOB_SYSTEM, SHA256_SYSTEM } from './provenance-batch.js';
import { versionedReference } from './record-lineage.js';
import { parseSource } from './source-uri.js';

const MAX_PROVENANCE = 1000;

async function provenanceOf(store: ResourceStore, resourceType: string, id: string): Promise<Map<string, Provenance>> {
  const { resources } = await store.search({
    resourceType: 'Provenance',
    criteria: [{ param: 'target', type: 'reference', predicates: [{ kind: 'reference', type: resourceType, id }] }],
    sort: [{ param: '_lastUpdated', type: '_lastUpdated', descending: false }],
    count: MAX_PROVENANCE,
    offset: 0,
    summaryCount: false,
  });
  const byTarget = new Map<string, Provenance>();
  for (const p of resources as Provenance[]) for (const t of p.target ?? []) if (t.reference && !byTarget.has(t.reference)) byTarget.set(t.reference, p);
  return byTarget;
}

const jobParameters = (p: Provenance): string | undefined => p.extension?.find((e) => e.url === JOB_EXTENSION)?.extension?.find((e) => e.url === 'parameters')?.valueString;

function versionPart(v: VersionRecord, provenance: Provenance | undefined): ParametersParameter {
  const part: ParametersParameter[] = [
    { name: 'versionId', valueId: v.versionId },
    { name: 'lastUpdated', valueInstant: v.lastUpdated },
  ];
  if (v.deleted) part.push({ name: 'deleted', valueBoolean: true });
  const source = v.resource?.meta.source;
  const parsed = parseSource(source ?? provenance?.meta?.source);
  if (source !== undefined) part.push({ name: 'source', valueUri: source });
  const jobId = provenance?.agent?.[0]?.who?.identifier?.system === JOB_SYSTEM ? provenance.agent[0].who.identifier.value : parsed.jobId;
  if (jobId !== undefined) part.push({ name: 'job', valueString: jobId });
  if (parsed.requestId !== undefined) part.push({ name: 'request', valueString: parsed.requestId });
  const activity: Coding | undefined = provenance?.activity?.coding?.at(-1);
  if (activity) part.push({ name: 'activity', valueCoding: activity });
  const input = provenance?.entity?.find((e) => e.role === 'source')?.what;
  const file = input?.display ?? parsed.file;
  if (file !== undefined) part.push({ name: 'file', valueString: file });
  if (input?.identifier?.system === SHA256_SYSTEM && input.identifier.value) part.push({ name: 'sha256', valueString: input.identifier.value });
  if (parsed.position !== undefined) part.push({ name: 'position', valueString: parsed.position });
  const parameters = provenance ? jobParameters(provenance) : undefined;
  if (parameters !== undefined) part.push({ name: 'parameters', valueString: parameters });
  if (provenance?.id) part.push({ name: 'provenance', valueReference: { reference: `Provenance/${provenance.id}` } });
  return { name: 'version', part };
}

/** The chain of a resource's versions; the store's 404 when it never existed. */
export async function lineageChain(store: ResourceStore, resourceType: string, id: string): Promise<Parameters> {
  const versions = (await store.history(resourceType, id)).reverse();
  const provenance = await provenanceOf(store, resourceType, id);
  return {
    resourceType: 'Parameters',
    parameter: [
      { name: 'target', valueReference: { reference: `${resourceType}/${id}` } },
      ...versions.map((v) => versionPart(v, provenance.get(versionedReference(resourceType, id, v.versionId)))),
    ],
  };
}
