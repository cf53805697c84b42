/**
 * The resources `_include` and `_revinclude` bring into a searchset beside the page of matches.
 * Named parameters are answered from the search index (the parameter's values in each resource going
 * out, a reference search coming in), `*` from the store's reference index (referencesFrom, referencesTo),
 * so both stores answer alike. `:iterate` specs are applied again to what the previous round brought in,
 * for at most MAX_INCLUDE_ROUNDS rounds and MAX_INCLUDED resources: reference graphs can be large or cyclic,
 * and one request must stay bounded.
 * @see https://hl7.org/fhir/R4/search.html#include
 */
import type { IncludeSpec } from '../../search/parse-includes.js';
import { computeIndex } from '../../search/index-resource.js';
import type { Criterion, Predicate } from '../../search/types.js';
import type { ResourceStore, StoredResource } from '../../store/resource-store.js';

export const MAX_INCLUDE_ROUNDS = 4;
export const MAX_INCLUDED = 1000;
/** References ORed in one store query, so that a query stays of a size both stores plan well. */
const CHUNK = 100;

export interface Included {
  resources: StoredResource[];
  /** Why not everything was followed (a limit was reached), for the Bundle's OperationOutcome. */
  notes: string[];
}

const keyOf = (type: string, id: string) => `${type}/${id}`;

interface Target {
  type: string;
  id: string;
}

/** Where `_include` specs lead from `resources`: the referenced resources' type and id. */
async function forwardTargets(store: ResourceStore, specs: IncludeSpec[], resources: StoredResource[]): Promise<Target[]> {
  const targets: Target[] = [];
  // Several specs may start from one resource; its index is computed once.
  const indexes = new Map<StoredResource, ReturnType<typeof computeIndex>>();
  const indexOf = (resource: StoredResource) => indexes.get(resource) ?? indexes.set(resource, computeIndex(resource)).get(resource)!;
  for (const spec of specs) {
    for (const resource of resources) {
      if (resource.resourceType !== spec.sourceType) continue;
      const refs =
        spec.param === '*'
          ? (await store.referencesFrom(resource.resourceType, resource.id)).map((r) => ({ type: r.targetType, id: r.targetId }))
          : indexOf(resource).references.filter((r) => r.code === spec.param);
      for (const ref of refs) {
        if (ref.type === null || ref.id === null || (spec.targetType !== undefined && ref.type !== spec.targetType)) continue;
        targets.push({ type: ref.type, id: ref.id });
      }
    }
  }
  return targets;
}

/** Current resources of each type with the given ids (absent and deleted ones are left out). */
async function readAll(store: ResourceStore, targets: Target[], limit: number): Promise<StoredResource[]> {
  const idsByType = new Map<string, Set<string>>();
  for (const t of targets) idsByType.set(t.type, (idsByType.get(t.type) ?? new Set()).add(t.id));
  const found: StoredResource[] = [];
  for (const [type, ids] of idsByType) {
    const all = [...ids];
    for (let i = 0; i < all.length && found.length < limit; i += CHUNK) {
      const predicates: Predicate[] = all.slice(i, i + CHUNK).map((id) => ({ kind: 'token', value: id }));
      found.push(...(await searchAll(store, type, { param: '_id', type: '_id', predicates }, limit - found.length)));
    }
  }
  return found;
}

async function searchAll(store: ResourceStore, resourceType: string, criterion: Criterion, limit: number): Promise<StoredResource[]> {
  const result = await store.search({ resourceType, criteria: [criterion], sort: [], count: limit, offset: 0, summaryCount: false });
  return result.resources;
}

/** What `_revinclude` specs bring in for `resources`: the resources that reference them. */
async function reverseIncludes(store: ResourceStore, specs: IncludeSpec[], resources: StoredResource[], limit: number): Promise<StoredResource[]> {
  const found: StoredResource[] = [];
  for (const spec of specs) {
    const targets = resources.filter((r) => spec.targetType === undefined || r.resourceType === spec.targetType);
    if (spec.param === '*') {
      const sources: Target[] = [];
      for (const target of targets) {
        for (const ref of await store.referencesTo(target.resourceType, target.id)) {
          if (ref.resourceType === spec.sourceType) sources.push({ type: ref.resourceType, id: ref.id });
        }
      }
      found.push(...(await readAll(store, sources, limit - found.length)));
      continue;
    }
    for (let i = 0; i < targets.length && found.length < limit; i += CHUNK) {
      const predicates: Predicate[] = targets.slice(i, i + CHUNK).map((r) => ({ kind: 'reference', type: r.resourceType, id: r.id }));
      found.push(...(await searchAll(store, spec.sourceType, { param: spec.param, type: 'reference', predicates }, limit - found.length)));
    }
  }
  return found;
}

/**
 * The resources the specs bring in for a page of `matches`, each once and none of them a match,
 * in the order they were found.
 */
export async function collectIncludes(store: ResourceStore, specs: IncludeSpec[], matches: StoredResource[]): Promise<Included> {
  const seen = new Set(matches.map((r) => keyOf(r.resourceType, r.id)));
  const included: StoredResource[] = [];
  const notes: string[] = [];
  let frontier = matches;
  let round = 0;
  while (frontier.length > 0 && specs.length > 0) {
    const active = round === 0 ? specs : specs.filter((s) => s.iterate);
    if (active.length === 0) break;
    if (round === MAX_INCLUDE_ROUNDS) {
      notes.push(`_include/_revinclude :iterate stopped after ${MAX_INCLUDE_ROUNDS} rounds; resources further away were not followed`);
      break;
    }
    // One more than the room left, to know whether the limit cut something off.
    const room = MAX_INCLUDED - included.length + 1;
    const targets = (await forwardTargets(store, active.filter((s) => !s.reverse), frontier)).filter((t) => !seen.has(keyOf(t.type, t.id)));
    const candidates = [
      ...(await readAll(store, targets, room)),
      ...(await reverseIncludes(store, active.filter((s) => s.reverse), frontier, room)),
    ];
    const fresh: StoredResource[] = [];
    for (const resource of candidates) {
      const key = keyOf(resource.resourceType, resource.id);
      if (seen.has(key)) continue;
      seen.add(key);
      fresh.push(resource);
    }
    if (included.length + fresh.length > MAX_INCLUDED) {
      included.push(...fresh.slice(0, MAX_INCLUDED - included.length));
      notes.push(`_include/_revinclude brought in more than ${MAX_INCLUDED} resources; only the first ${MAX_INCLUDED} are returned`);
      break;
    }
    included.push(...fresh);
    frontier = fresh;
    round++;
  }
  return { resources: included, notes };
}
