/**
 * What de-identifying a Bundle needs beyond each entry: the type of each `urn:uuid:` fullUrl, so a reference
 * to it gets the pseudonym its resource's id gets, and the patient each entry's dates shift with. A Synthea
 * patient Bundle holds one Patient: every resource of a type its compartment can hold is that patient's
 * (references there are `urn:uuid:`, which the compartment definition cannot follow). Otherwise the compartment
 * definition decides, from `Patient/id` references.
 */
import type { Resource } from 'fhir/r4.js';
import { compartmentPatients, isCompartmentType } from '../export/patient-compartment.js';

type Json = Record<string, unknown>;

export interface BundleScope {
  urnTypes: Map<string, string>;
  /** The original id of the patient whose compartment holds an entry's resource, if any. */
  patientOf(resource: Json): string | undefined;
  /** The Bundle's one Patient, whose dates the Bundle's own (timestamp) follow. */
  patient: string | undefined;
}

const entriesOf = (bundle: Json): Json[] => (Array.isArray(bundle.entry) ? (bundle.entry as unknown[]).filter((e): e is Json => e !== null && typeof e === 'object') : []);

const resourceOf = (entry: Json): Json | undefined => {
  const r = entry.resource;
  return r !== null && typeof r === 'object' && typeof (r as Json).resourceType === 'string' ? (r as Json) : undefined;
};

/** The first patient whose compartment holds the resource (the original id, as its references give it). */
export function patientByCompartment(resource: Json): string | undefined {
  const type = String(resource.resourceType);
  return isCompartmentType(type) ? compartmentPatients(resource as unknown as Resource)[0] : undefined;
}

export function bundleScope(bundle: Json): BundleScope {
  const urnTypes = new Map<string, string>();
  const patients: string[] = [];
  for (const entry of entriesOf(bundle)) {
    const resource = resourceOf(entry);
    if (resource === undefined) continue;
    if (typeof entry.fullUrl === 'string' && entry.fullUrl.startsWith('urn:')) urnTypes.set(entry.fullUrl, resource.resourceType as string);
    if (resource.resourceType === 'Patient' && typeof resource.id === 'string') patients.push(resource.id);
  }
  if (patients.length === 1) {
    const [patient] = patients;
    return {
      urnTypes,
      patient,
      patientOf: (r) => (r.resourceType === 'Patient' ? (typeof r.id === 'string' ? r.id : undefined) : isCompartmentType(String(r.resourceType)) ? patient : undefined),
    };
  }
  return { urnTypes, patient: undefined, patientOf: patientByCompartment };
}
