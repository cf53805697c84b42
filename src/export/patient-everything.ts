/**
 * The resources of one patient's `$everything`, in a fixed order: the Patient, then its compartment, then what
 * those reference (practitioners, organizations, locations, medications, and what they reference in turn).
 *
 * The compartment is found through the reference index (the current resources that reference the Patient),
 * keeping those whose compartment parameters link them to it, as the R4 CompartmentDefinition says: a
 * Provenance whose targets are this patient and another one is in both compartments, so it is returned.
 * Following references never crosses into another patient: a resource reached by reference that is in some
 * other patient's compartment (another Patient included) is not added, nor followed, so a reference from a
 * shared resource, or from `derivedFrom` to another patient's Observation, is left dangling rather than leak
 * that patient's record (the leak of HAPI FHIR #4691, through Provenance).
 * @see https://hl7.org/fhir/R4/patient-operation-everything.html
 * @see https://hl7.org/fhir/R4/compartmentdefinition-patient.html
 */
import { OperationOutcomeError } from '../fhir/outcomes.js';
import { referenceLinks } from '../search/reference-links.js';
import { isKnownResourceType } from '../search/search-parameters.js';
import type { ResourceStore, StoredResource } from '../store/resource-store.js';
import { compartmentPatients } from './patient-compartment.js';

/**
 * Reads in flight at once. Point reads by key are what every store answers from its primary index (FerretDB,
 * the MongoDB peer in CI, scans the collection for an `_id` search but not for a read by `_id`).
 */
const READS_IN_FLIGHT = 16;

const keyOf = (type: string, id: string) => `${type}/${id}`;

/** Code-unit order, type then id: the same on every call and every machine, unlike localeCompare. */
function byKey(a: StoredResource, b: StoredResource): number {
  const [x, y] = [keyOf(a.resourceType, a.id), keyOf(b.resourceType, b.id)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The current resources named by `keys` (`Type/id`); those absent or deleted meanwhile are left out. */
async function readAll(store: ResourceStore, keys: string[]): Promise<StoredResource[]> {
  const found: StoredResource[] = [];
  const readOne = async (key: string) => {
    const slash = key.indexOf('/');
    try {
      found.push(await store.read(key.slice(0, slash), key.slice(slash + 1)));
    } catch (err) {
      if (!(err instanceof OperationOutcomeError) || (err.status !== 404 && err.status !== 410)) throw err;
    }
  };
  for (let i = 0; i < keys.length; i += READS_IN_FLIGHT) await Promise.all(keys.slice(i, i + READS_IN_FLIGHT).map(readOne));
  return found;
}

/** The resources in the compartment of Patient `id`, the Patient itself aside. */
async function compartmentOf(store: ResourceStore, id: string): Promise<StoredResource[]> {
  const self = keyOf('Patient', id);
  const keys = new Set((await store.referencesTo('Patient', id)).map((r) => keyOf(r.resourceType, r.id)));
  keys.delete(self);
  return (await readAll(store, [...keys])).filter((r) => compartmentPatients(r).includes(id));
}

/** What `seeds` reference, transitively, outside every other patient's compartment. */
async function referencedFrom(store: ResourceStore, id: string, seeds: StoredResource[]): Promise<StoredResource[]> {
  const seen = new Set(seeds.map((r) => keyOf(r.resourceType, r.id)));
  const added: StoredResource[] = [];
  let frontier = seeds;
  while (frontier.length > 0) {
    const wanted: string[] = [];
    for (const resource of frontier) {
      for (const link of referenceLinks(resource)) {
        if (link.targetType === null || link.targetId === null) continue;
        const key = keyOf(link.targetType, link.targetId);
        if (seen.has(key)) continue;
        seen.add(key);
        // Another Patient is never read: it is that patient's record. An unknown type cannot be stored.
        if (link.targetType !== 'Patient' && isKnownResourceType(link.targetType)) wanted.push(key);
      }
    }
    frontier = (await readAll(store, wanted)).filter((r) => compartmentPatients(r).every((p) => p === id));
    added.push(...frontier);
  }
  return added;
}

/**
 * Patient `id`'s everything, ordered: the Patient, its compartment by type then id, then the referenced
 * resources by type then id. 404 for an unknown patient, 410 for a deleted one (the store's read).
 */
export async function patientEverything(store: ResourceStore, id: string): Promise<StoredResource[]> {
  const patient = await store.read('Patient', id);
  const compartment = (await compartmentOf(store, id)).sort(byKey);
  const referenced = (await referencedFrom(store, id, [patient, ...compartment])).sort(byKey);
  return [patient, ...compartment, ...referenced];
}
