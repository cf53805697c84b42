/**
 * Which patients' compartments a resource is in, from the R4 CompartmentDefinition for Patient (the parameters
 * of each type that link it to a Patient: `subject`, `patient`, `performer`, …), evaluated on the resource
 * itself with the search index's compiled paths: an export reads every resource once and asks this of each,
 * with no search per patient. A Patient is in its own compartment only: the definition's `link` would pull in
 * the other patients a record is linked to.
 * @see https://hl7.org/fhir/R4/compartmentdefinition-patient.html
 */
import { readFileSync } from 'node:fs';
import type { Resource } from 'fhir/r4.js';
import { compiledParams } from '../search/index-resource.js';
import { parseReference } from '../search/parse-reference.js';
import type { Found } from '../search/walk-path.js';
import { walkPath } from '../search/walk-path.js';

type Plans = ReturnType<typeof compiledParams>;

let definition: Record<string, string[]> | undefined;
const plansByType = new Map<string, Plans>();

function patientCompartment(): Record<string, string[]> {
  definition ??= (JSON.parse(readFileSync(new URL('../../schemas/fhir-compartments.json', import.meta.url), 'utf8')) as Record<string, Record<string, string[]>>).Patient;
  return definition;
}

export function isCompartmentType(type: string): boolean {
  return Object.hasOwn(patientCompartment(), type);
}

function plansOf(type: string): Plans {
  let plans = plansByType.get(type);
  if (!plans) {
    const names = new Set(patientCompartment()[type] ?? []);
    plans = compiledParams(type).filter((p) => names.has(p.code) && p.type === 'reference');
    plansByType.set(type, plans);
  }
  return plans;
}

const found: Found = { values: [], types: [], count: 0 };

/** The ids of the patients whose compartment holds `resource`; empty when it is in none. */
export function compartmentPatients(resource: Resource): string[] {
  if (resource.resourceType === 'Patient') return resource.id === undefined ? [] : [resource.id];
  const ids: string[] = [];
  for (const param of plansOf(resource.resourceType)) {
    found.count = 0;
    for (const plan of param.plans) walkPath(plan, resource, found);
    for (const fallback of param.fallbacks) fallback(resource, found);
    for (let i = 0; i < found.count; i++) {
      const reference = (found.values[i] as { reference?: unknown } | null)?.reference;
      const parsed = typeof reference === 'string' ? parseReference(reference) : null;
      if (parsed?.type === 'Patient' && parsed.id !== null && !ids.includes(parsed.id)) ids.push(parsed.id);
    }
  }
  found.values.fill(undefined, 0, found.count);
  return ids;
}
