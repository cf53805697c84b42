/**
 * Store-neutral checks for restoreVersions: both stores group the records by resource and reject the same
 * malformed input in the same words, before anything is written.
 * @see https://hl7.org/fhir/R4/resource.html#Meta
 */
import { badRequest, conflict } from '../fhir/outcomes.js';
import { assertIdentity } from './resource-meta.js';
import type { RawVersionRecord, StoredResource } from './resource-store.js';

/** The versions of one resource a restoreVersions call writes, oldest first. */
export interface RestoreGroup {
  type: string;
  id: string;
  versions: { n: number; lastUpdated: string; lu: number; deleted: boolean; json: string | null }[];
}

const VERSION = /^[1-9]\d{0,15}$/;

const where = (r: RawVersionRecord) => `${r.resourceType}/${r.id}/_history/${r.versionId}`;

/** Validates every record and groups them per resource; 409 for a version given twice, 400 for a malformed one. */
export function groupRawVersions(records: RawVersionRecord[]): RestoreGroup[] {
  if (!Array.isArray(records)) throw badRequest('restoreVersions() takes an array of version records');
  const groups = new Map<string, RestoreGroup>();
  for (const r of records) {
    assertIdentity(r?.resourceType, r?.id);
    if (typeof r.versionId !== 'string' || !VERSION.test(r.versionId)) throw badRequest(`Invalid versionId ${JSON.stringify(r.versionId)} for ${r.resourceType}/${r.id}`);
    const lu = typeof r.lastUpdated === 'string' ? Date.parse(r.lastUpdated) : NaN;
    // Only the store's own form (toISOString) round-trips exactly through both stores.
    if (Number.isNaN(lu) || new Date(lu).toISOString() !== r.lastUpdated) throw badRequest(`Invalid lastUpdated ${JSON.stringify(r.lastUpdated)} for ${where(r)}`);
    if (r.deleted !== (r.json === null) || (r.json !== null && typeof r.json !== 'string')) {
      throw badRequest(`${where(r)}: a deletion has no JSON and a live version has JSON text`);
    }
    const key = `${r.resourceType}/${r.id}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { type: r.resourceType, id: r.id, versions: [] }));
    group.versions.push({ n: Number(r.versionId), lastUpdated: r.lastUpdated, lu, deleted: r.deleted, json: r.json });
  }
  for (const group of groups.values()) {
    group.versions.sort((a, b) => a.n - b.n);
    group.versions.forEach((v, i) => {
      if (i > 0 && group.versions[i - 1].n === v.n) throw conflict(`${group.type}/${group.id}/_history/${v.n} is given twice`);
    });
  }
  return [...groups.values()];
}

/**
 * Parses the version that becomes current (the only one indexed) and checks that its JSON is the resource
 * its record names, so the indexes can never describe another resource than the one read back.
 */
export function parseCurrentVersion(group: RestoreGroup, v: RestoreGroup['versions'][number]): StoredResource {
  let resource: StoredResource;
  try {
    resource = JSON.parse(v.json as string) as StoredResource;
  } catch {
    throw badRequest(`${group.type}/${group.id}/_history/${v.n}: the JSON text does not parse`);
  }
  const ok =
    resource?.resourceType === group.type && resource.id === group.id && resource.meta?.versionId === String(v.n) && resource.meta?.lastUpdated === v.lastUpdated;
  if (!ok) throw badRequest(`${group.type}/${group.id}/_history/${v.n}: the JSON's resourceType, id or meta disagrees with the record`);
  return resource;
}

/** 409 for a version that is already stored. */
export const versionExists = (group: RestoreGroup, n: number) => conflict(`${group.type}/${group.id}/_history/${n} already exists; nothing was restored`);
