/**
 * `dedupe`: merges the patients the matcher (src/match/store-matches.ts) finds to be certainly one person,
 * after the deterministic first pass (duplicate-patients.ts) and the probabilistic scores; probable and
 * possible matches are listed for review and never merged here. Survivor rule: the patient most referenced
 * by other resources (the least to repoint), then the one created first (lowest meta.lastUpdated of its
 * current version as a stand-in), then the lowest id. Every reference to a merged patient is repointed to
 * the survivor; the merged patient gets `active: false` and a `replaced-by` link, the survivor a
 * `replaces` link (FHIR's merge record; those links are the only references to a merged patient left).
 * Other resource types that share an identifier are reported, not merged.
 * @see https://hl7.org/fhir/R4/patient.html#links
 */
import type { Patient, Resource } from 'fhir/r4.js';
import { findReferences } from '../fhir/references.js';
import { jobLineage, type JobLineage, type LineageOption } from '../lineage/job-lineage.js';
import { DEFAULT_MATCH_THRESHOLDS, type MatchThresholds } from '../match/match-grade.js';
import { findStoreMatches, type ScoredPair } from '../match/store-matches.js';
import type { ResourceStore, StoredResource } from '../store/resource-store.js';

export interface Merge {
  survivor: string;
  merged: string[];
  reasons: string[];
  /** Resources rewritten to point at the survivor. */
  repointed: string[];
}

export interface DedupeResult {
  dryRun: boolean;
  merges: Merge[];
  repointed: number;
  /** Probable and possible matches, best first: for a person to decide; never merged. */
  review: ScoredPair[];
  /** Pairs the deterministic rules found (a shared identifier…) whose scores say two people: not merged. */
  contradicted: ScoredPair[];
  matching: { patients: number; candidatePairs: number; skippedBlocks: number; thresholds: MatchThresholds; lambda: number; emIterations: number };
  /** Non-Patient resources of one type sharing an identifier. */
  sharedIdentifiers: { resourceType: string; identifier: string; ids: string[] }[];
}

async function chooseSurvivor(store: ResourceStore, ids: string[]): Promise<string> {
  const scored = await Promise.all(ids.map(async (id) => ({ id, refs: (await store.referencesTo('Patient', id)).length, at: (await store.read('Patient', id)).meta.lastUpdated })));
  scored.sort((a, b) => b.refs - a.refs || a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
  return scored[0].id;
}

/** Rewrites every reference to Patient/`from` in `resource` (relative or absolute) to Patient/`to`. */
function repoint(resource: Resource, from: string, to: string): void {
  for (const { holder } of findReferences(resource, resource.resourceType)) {
    if (holder.reference === `Patient/${from}` || holder.reference.endsWith(`/Patient/${from}`)) holder.reference = `Patient/${to}`;
  }
}

async function sharedIdentifiers(store: ResourceStore): Promise<DedupeResult['sharedIdentifiers']> {
  const out: DedupeResult['sharedIdentifiers'] = [];
  for (const type of Object.keys(await store.countByType()).filter((t) => t !== 'Patient').sort()) {
    const seen = new Map<string, Set<string>>();
    for await (const r of store.stream(type)) {
      for (const i of ((r as { identifier?: { system?: string; value?: string }[] }).identifier ?? []).filter((x) => x.value)) {
        const key = `${i.system ?? ''}|${i.value}`;
        (seen.get(key) ?? seen.set(key, new Set()).get(key)!).add(r.id);
      }
    }
    for (const [identifier, ids] of seen) if (ids.size > 1) out.push({ resourceType: type, identifier, ids: [...ids].sort() });
  }
  return out;
}

/**
 * Merges planned but not yet written. Several merges go into one atomic write: a reader still never sees
 * references moved but the patients not yet linked, and a store of 100,000 patients with 10,000 merges is
 * not held to 10,000 commits. A resource two merges of one batch touch is read once and carries both.
 * Each written resource names the dedupe job in meta.source, and each batch is recorded as a merge (src/lineage).
 */
class MergeBatch {
  readonly touched = new Map<string, StoredResource>();
  merges = 0;

  constructor(
    private readonly store: ResourceStore,
    private readonly lineage: JobLineage | undefined,
  ) {}

  read(resourceType: string, id: string): Promise<StoredResource> | StoredResource {
    return this.touched.get(`${resourceType}/${id}`) ?? this.store.read(resourceType, id);
  }

  /** Writes the batch (a dry run only forgets it) and starts the next. */
  async flush(dryRun: boolean): Promise<void> {
    if (!dryRun && this.touched.size) {
      const { lineage } = this;
      const ops = [...this.touched.values()].map((resource) => ({ op: 'put' as const, resource: lineage ? lineage.stamp(resource) : resource }));
      const results = await this.store.write(ops, { atomic: true });
      await lineage?.record(this.store, results, 'merge');
    }
    this.touched.clear();
    this.merges = 0;
  }
}

/** A batch is written once it holds this many merges or this many resources (one merge alone may hold more). */
const MERGES_PER_WRITE = 200;
const RESOURCES_PER_WRITE = 2000;

/** Plans the merge into `batch` (which a dry run never writes); the resources repointed, the merge's own patients aside. */
async function merge(batch: MergeBatch, store: ResourceStore, survivor: string, merged: string[], dryRun: boolean): Promise<string[]> {
  const repointed = new Set<string>();
  for (const from of merged) {
    for (const ref of await store.referencesTo('Patient', from)) {
      const key = `${ref.resourceType}/${ref.id}`;
      if (ref.resourceType === 'Patient' && merged.includes(ref.id)) continue;
      // A Provenance's target records a version written: history, which a merge does not rewrite.
      if (ref.resourceType === 'Provenance' && ref.path.startsWith('Provenance.target')) continue;
      const resource = await batch.read(ref.resourceType, ref.id);
      repoint(resource, from, survivor);
      batch.touched.set(key, resource);
      repointed.add(key);
    }
  }
  batch.merges++;
  const others = [...repointed].filter((k) => !k.startsWith('Patient/') || ![survivor, ...merged].includes(k.slice(8)));
  if (dryRun) return others;
  const keep = (await batch.read('Patient', survivor)) as Patient & StoredResource;
  keep.link = [...(keep.link ?? []), ...merged.map((id) => ({ other: { reference: `Patient/${id}` }, type: 'replaces' as const }))];
  batch.touched.set(`Patient/${survivor}`, keep);
  for (const id of merged) {
    const p = (await batch.read('Patient', id)) as Patient & StoredResource;
    batch.touched.set(`Patient/${id}`, { ...p, active: false, link: [...(p.link ?? []), { other: { reference: `Patient/${survivor}` }, type: 'replaced-by' }] } as StoredResource);
  }
  return others;
}

/** Why a group is one person: the rules or the score of each certain pair in it. */
const reasonsOf = (pairs: ScoredPair[]) => [...new Set(pairs.map((p) => (p.rules.length ? p.rules.join('; ') : `match score ${p.score.toFixed(4)}`)))];

export interface DedupeOptions {
  dryRun?: boolean;
  signal?: AbortSignal;
  thresholds?: MatchThresholds;
  /** The job this run is (meta.source and Provenance name it; a fresh `cli-<run id>` when absent); `false`: no lineage. */
  lineage?: LineageOption;
}

/**
 * Checks `signal` before each merge, and a stopped run writes nothing it had not written before: whole batches
 * of whole merges only. A real run keeps the model it estimated for `$match`; a dry run changes nothing.
 */
export async function dedupePatients(store: ResourceStore, options: DedupeOptions = {}): Promise<DedupeResult> {
  const dryRun = options.dryRun === true;
  const thresholds = options.thresholds ?? DEFAULT_MATCH_THRESHOLDS;
  const found = await findStoreMatches(store, thresholds, { signal: options.signal, saveModel: !dryRun });
  const merges: Merge[] = [];
  const lineage = dryRun ? undefined : jobLineage('dedupe', options.lineage === false ? false : { parameters: { thresholds }, ...options.lineage });
  const batch = new MergeBatch(store, lineage);
  for (const group of found.groups) {
    options.signal?.throwIfAborted();
    const survivor = await chooseSurvivor(store, group.ids);
    const merged = group.ids.filter((id) => id !== survivor);
    merges.push({ survivor, merged, reasons: reasonsOf(group.pairs), repointed: await merge(batch, store, survivor, merged, dryRun) });
    if (batch.merges >= MERGES_PER_WRITE || batch.touched.size >= RESOURCES_PER_WRITE) await batch.flush(dryRun);
  }
  await batch.flush(dryRun);
  return {
    dryRun,
    merges,
    repointed: merges.reduce((n, m) => n + m.repointed.length, 0),
    review: found.review,
    contradicted: found.contradicted,
    matching: { patients: found.patients, candidatePairs: found.candidatePairs, skippedBlocks: found.skippedBlocks, thresholds, lambda: found.model.lambda, emIterations: found.model.iterations },
    sharedIdentifiers: await sharedIdentifiers(store),
  };
}
