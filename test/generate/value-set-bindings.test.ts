/**
 * The generator's codes against the R4 value sets where they bind. Required bindings: every coded element
 * of a generated population that the R4 definitions bind (schemas/fhir-valuesets.json, read as the
 * validator reads it) holds a member of the value set. Extensible and preferred bindings whose value sets
 * the official definition bundles can expand (marital status, encounter class, identifier type,
 * observation category): the data tables' codes, and what the generator writes, are members.
 */
import type { Coding, FhirResource as Resource } from 'fhir/r4.js';
import { deriveValueSets } from '../../scripts/validation-definitions/derive-valuesets.js';
import { generatePopulation } from '../../src/generate/population.js';
import { DEMOGRAPHICS, MODULES } from '../../src/generate/tables.js';
import { typeDefinition } from '../../src/validation/element-definitions.js';
import { valueSet } from '../../src/validation/value-sets.js';

const resources: Resource[] = ['default', 'chronic_disease', 'pediatric', 'emergency'].flatMap((profile, i) => {
  const pop = generatePopulation({ count: 12, seed: 40 + i, profile, referenceDate: '2024-06-30' });
  return [pop.hospitalInformation, pop.practitionerInformation, ...pop.patients].flatMap((b) => (b.entry ?? []).map((e) => e.resource as Resource));
});

/** Every value of an element with a required, expandable binding: [path, value set url, coded value]. */
function boundValues(node: Record<string, unknown>, type: string, at: string, out: [string, string, unknown][] = []) {
  const def = typeDefinition(type);
  if (!def) return out;
  for (const [key, raw] of Object.entries(node)) {
    const prop = def.properties.get(key);
    if (!prop) continue;
    for (const value of Array.isArray(raw) ? raw : [raw]) {
      const vs = prop.def.valueSet ? valueSet(prop.def.valueSet) : undefined;
      if (vs && !vs.external) out.push([`${at}.${key}`, vs.url, value]);
      if (value && typeof value === 'object') boundValues(value as Record<string, unknown>, prop.type, `${at}.${key}`, out);
    }
  }
  return out;
}

const memberOf = (url: string, value: unknown): boolean => {
  const vs = valueSet(url)!;
  if (typeof value === 'string') return vs.codes.has(value);
  const v = value as { system?: string; code?: string; coding?: Coding[] };
  if (v.coding) return v.coding.some((c) => vs.members.has(`${c.system}|${c.code}`));
  return vs.members.has(`${v.system}|${v.code}`);
};

describe('required bindings', () => {
  it('every bound code the generator writes is in its R4 value set', () => {
    const checked = resources.flatMap((r) => boundValues(r as unknown as Record<string, unknown>, r.resourceType, r.resourceType));
    const wrong = checked.filter(([, url, value]) => !memberOf(url, value)).map(([p, url, v]) => `${p} = ${JSON.stringify(v)} not in ${url}`);
    expect(wrong).toEqual([]);
    // The walk reached the bound elements of every kind of resource written (so an empty list means something).
    const paths = new Set(checked.map(([p]) => p));
    for (const p of ['Patient.gender', 'Encounter.status', 'Condition.clinicalStatus', 'Observation.status', 'MedicationRequest.intent', 'CarePlan.activity.detail.status', 'Claim.use', 'ExplanationOfBenefit.outcome', 'Immunization.status']) {
      expect(paths).toContain(p);
    }
  });
});

describe('extensible and preferred bindings', () => {
  const expanded = deriveValueSets(new Set(['http://hl7.org/fhir/ValueSet/marital-status', 'http://terminology.hl7.org/ValueSet/v3-ActEncounterCode', 'http://hl7.org/fhir/ValueSet/identifier-type', 'http://hl7.org/fhir/ValueSet/observation-category'])).valueSets;
  const members = (url: string) => {
    const codes = expanded[url]?.codes;
    if (!codes) throw new Error(`${url} cannot be expanded from the R4 definitions`);
    return new Set(Object.entries(codes).flatMap(([system, list]) => list.map((c) => `${system}|${c}`)));
  };
  const written = (pick: (r: Resource) => Coding[] | undefined) => new Set(resources.flatMap((r) => pick(r) ?? []).map((c) => `${c.system}|${c.code}`));

  it('marital status codes of demographics.json are v3-MaritalStatus codes of the marital-status value set', () => {
    const vs = members('http://hl7.org/fhir/ValueSet/marital-status');
    const table = new Set([...Object.keys(DEMOGRAPHICS.marital.codes), ...DEMOGRAPHICS.marital.byAge.flatMap(([, dist]) => Object.keys(dist))]);
    for (const code of table) expect(vs).toContain(`http://terminology.hl7.org/CodeSystem/v3-MaritalStatus|${code}`);
    for (const c of written((r) => (r.resourceType === 'Patient' ? r.maritalStatus?.coding : undefined))) expect(vs).toContain(c);
  });

  it('encounter classes of modules.json are v3-ActEncounterCode codes', () => {
    const vs = members('http://terminology.hl7.org/ValueSet/v3-ActEncounterCode');
    const table = new Set(MODULES.flatMap((m) => [m.encounter.class, ...(m.delivery ? [m.delivery.encounter.class] : [])]));
    for (const code of table) expect(vs).toContain(`http://terminology.hl7.org/CodeSystem/v3-ActCode|${code}`);
    for (const c of written((r) => (r.resourceType === 'Encounter' ? [r.class] : undefined))) expect(vs).toContain(c);
  });

  it('identifier types and observation categories written are in their value sets', () => {
    const types = members('http://hl7.org/fhir/ValueSet/identifier-type');
    const patientIds = written((r) => (r.resourceType === 'Patient' ? r.identifier?.flatMap((i) => i.type?.coding ?? []) : undefined));
    // SS (v2-0203) is outside the value set; the binding is extensible and the value set has no SSN type, so
    // Synthea and US Core use this code from the same code system: the one allowed extension.
    for (const c of [...patientIds].filter((c) => c !== 'http://terminology.hl7.org/CodeSystem/v2-0203|SS')) expect(types).toContain(c);
    expect(patientIds.size).toBeGreaterThanOrEqual(3);
    const categories = members('http://hl7.org/fhir/ValueSet/observation-category');
    const categoriesWritten = written((r) => (r.resourceType === 'Observation' ? r.category?.flatMap((c) => c.coding ?? []) : undefined));
    expect(categoriesWritten.size).toBeGreaterThanOrEqual(3);
    for (const c of categoriesWritten) expect(categories).toContain(c);
  });
});
