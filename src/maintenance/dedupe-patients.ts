/**
 * `dedupe`: merges duplicate patients (duplicate-patients.ts). Survivor rule: the patient most referenced
 * by other resources (the least to repoint), then the one created first (lowest meta.lastUpdated of its
 * current version as a stand-in), then the lowest id. Every reference to a merged patient is repointed to
 * the survivor; the merged patient gets `active: false` and a `replaced-by` link, the survivor a
 * `replaces` link (FHIR's merge record; those links are the only references to a merged patient left).
 * Other resource types that share an identifier are reported, not merged.
 * @see https://hl7.org/fhir/R4/patient.html#links
 */
import type { Patient, Resource } from 'fhir/r4.js';
import { findReferences } from '../fhir/references.js';
import type { ResourceStore, StoredResource } from '../store/resource-store.js';
import { findDuplicatePatients } from './duplicate-patients.js';

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

async function merge(store: ResourceStore, survivor: string, merged: string[], dryRun: boolean): Promise<string[]> {
  const touched = new Map<string, StoredResource>();
  for (const from of merged) {
    for (const ref of await store.referencesTo('Patient', from)) {
      const key = `${ref.resourceType}/${ref.id}`;
      if (ref.resourceType === 'Patient' && merged.includes(ref.id)) continue;
      const resource = touched.get(key) ?? (await store.read(ref.resourceType, ref.id));
      repoint(resource, from, survivor);
      touched.set(key, resource);
    }
  }
  if (dryRun) return [...touched.keys()];
  const keep = (touched.get(`Patient/${survivor}`) ?? (await store.read('Patient', survivor))) as Patient & StoredResource;
  keep.link = [...(keep.link ?? []), ...merged.map((id) => ({ other: { reference: `Patient/${id}` }, type: 'replaces' as const }))];
  touched.set(`Patient/${survivor}`, keep);
  for (const id of merged) {
    const p = (await store.read('Patient', id)) as Patient & StoredResource;
    touched.set(`Patient/${id}`, { ...p, active: false, link: [...(p.link ?? []), { other: { reference: `Patient/${survivor}` }, type: 'replaced-by' }] } as StoredResource);
  }
  // One atomic write per merge: a reader never sees references moved but the patients not yet linked.
  await store.write([...touched.values()].map((resource) => ({ op: 'put' as const, resource })), { atomic: true });
  return [...touched.keys()].filter((k) => !k.startsWith('Patient/') || ![survivor, ...merged].includes(k.slice(8)));
}

/** Checks `signal` before each merge, so a stopped run leaves whole merges only. */
export async function dedupePatients(store: ResourceStore, options: { dryRun?: boolean; signal?: AbortSignal } = {}): Promise<DedupeResult> {
  const dryRun = options.dryRun === true;
  const merges: Merge[] = [];
  for (const group of await findDuplicatePatients(store)) {
    options.signal?.throwIfAborted();
    const survivor = await chooseSurvivor(store, group.ids);
    const merged = group.ids.filter((id) => id !== survivor);
    merges.push({ survivor, merged, reasons: group.reasons, repointed: await merge(store, survivor, merged, dryRun) });
  }
  return { dryRun, merges, repointed: merges.reduce((n, m) => n + m.repointed.length, 0), sharedIdentifiers: await sharedIdentifiers(store) };
}
