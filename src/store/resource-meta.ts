/**
 * Store-neutral rules about ids, versions and content equality that every ResourceStore applies in the same way.
 * @see https://hl7.org/fhir/R4/resource.html#Meta
 * @see https://hl7.org/fhir/R4/datatypes.html#id
 */
import type { Resource } from 'fhir/r4.js';
import { isValidId } from '../fhir/ids.js';
import { badRequest } from '../fhir/outcomes.js';
import type { StoredResource } from './resource-store.js';

const TYPE = /^[A-Z][A-Za-z]{1,63}$/;

/** Rejects ids and type names that FHIR does not allow, before they reach any table or URL. */
export function assertIdentity(resourceType: unknown, id: unknown): void {
  if (typeof resourceType !== 'string' || !TYPE.test(resourceType)) throw badRequest(`Invalid resourceType ${JSON.stringify(resourceType)}`, 'resourceType');
  if (typeof id !== 'string' || !isValidId(id)) throw badRequest(`Invalid id ${JSON.stringify(id)} for ${resourceType}`, `${resourceType}.id`);
}


/** The resource as stored: the given id, and meta with versionId and lastUpdated set, other meta kept. */
export function stamp(resource: Resource, id: string, versionId: number, lastUpdated: number): StoredResource {
  const meta = { ...resource.meta, versionId: String(versionId), lastUpdated: new Date(lastUpdated).toISOString() };
  return { ...resource, id, meta } as StoredResource;
}

/**
 * Content without the store-owned meta fields, so a re-sent resource compares equal to the stored one; nor
 * meta.source, which says who wrote it (src/lineage): the same content sent again by another job or request
 * is unchanged, and keeps the lineage of the write that made it.
 */
function withoutStoreMeta(resource: Resource): Record<string, unknown> {
  const { meta, ...rest } = resource as Resource & Record<string, unknown>;
  if (!meta) return rest;
  const { versionId: _v, lastUpdated: _l, source: _s, ...otherMeta } = meta;
  return Object.keys(otherMeta).length ? { ...rest, meta: otherMeta } : rest;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * Whether two resources have the same content, meta.versionId, meta.lastUpdated and meta.source aside; key
 * order does not matter (JSON object members are unordered), array order does (FHIR lists are ordered).
 */
export function sameContent(a: Resource, b: Resource): boolean {
  return deepEqual(withoutStoreMeta(a), withoutStoreMeta(b));
}

/**
 * A per-store clock for meta.lastUpdated: never goes backwards, even when the system clock does, so
 * `since` streams and `_lastUpdated` order stay consistent. It is not forced to be strictly increasing,
 * because bulk imports would then run it ahead of real time by seconds.
 */
export function createClock(now: () => number = Date.now): () => number {
  let last = 0;
  return () => {
    last = Math.max(now(), last);
    return last;
  };
}
