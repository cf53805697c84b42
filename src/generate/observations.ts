/**
 * Observations and DiagnosticReports: vital signs (FHIR vital-signs profiles, LOINC + UCUM), lab panels as
 * a DiagnosticReport whose results are the member Observations (US Core lab profiles), smoking status and
 * cause of death, each tied to its encounter.
 * @see https://hl7.org/fhir/R4/observation-vitalsigns.html
 */
import type { DiagnosticReport, Observation } from 'fhir/r4.js';
import { dateTime, instant } from './clock.js';
import type { VisitContext } from './clinical-resources.js';
import { LOINC, SNOMED, category, concept, quantity, round, urn, usCore } from './fhir-common.js';
import type { Vitals } from './growth.js';
import type { Random } from './prng.js';
import { LABS, type Code, type LabMember, type PanelId, type VitalSpec } from './tables.js';

const OBS_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const VITALS_PROFILE = 'http://hl7.org/fhir/StructureDefinition/vitalsigns';

function base(id: string, v: VisitContext, code: Code, cat: string, profile: string[]): Observation {
  return {
    resourceType: 'Observation',
    id,
    ...(profile.length ? { meta: { profile } } : {}),
    status: 'final',
    category: category(OBS_CATEGORY, cat, cat),
    code: concept(LOINC, code),
    subject: v.patient,
    encounter: urn(v.encounterId),
    effectiveDateTime: dateTime(v.start),
    issued: instant(v.start),
  };
}

const vital = (id: string, v: VisitContext, spec: VitalSpec, value: number, decimals: number): Observation => ({
  ...base(id, v, spec, 'vital-signs', [spec.profile, VITALS_PROFILE]),
  valueQuantity: quantity(round(value, decimals), spec.unit),
});

/** Height, weight, BMI (from 2 years), blood pressure (from 3 years), heart and respiratory rate. */
export function vitalSigns(rng: Random, v: VisitContext, vitals: Vitals, age: number): Observation[] {
  const V = LABS.vitals;
  const out = [vital(rng.uuid(), v, V.height, vitals.height, 1), vital(rng.uuid(), v, V.weight, vitals.weight, 1)];
  if (age >= 2) out.push(vital(rng.uuid(), v, V.bmi, vitals.bmi, 2));
  if (age >= 3) {
    const component = (spec: VitalSpec, value: number) => ({ code: concept(LOINC, spec), valueQuantity: quantity(Math.round(value), spec.unit) });
    out.push({ ...base(rng.uuid(), v, V.bloodPressure, 'vital-signs', [V.bloodPressure.profile, VITALS_PROFILE]), component: [component(V.diastolic, vitals.diastolic), component(V.systolic, vitals.systolic)] });
  }
  out.push(vital(rng.uuid(), v, V.heartRate, vitals.heartRate, 0), vital(rng.uuid(), v, V.respiratoryRate, vitals.respiratoryRate, 0));
  return out;
}

function labValue(rng: Random, m: LabMember, active: ReadonlySet<string>): number {
  let mean = m.mean;
  for (const [moduleId, shift] of Object.entries(m.shift)) if (active.has(moduleId)) mean += shift;
  return Math.max(round(mean + rng.normal(0, m.sd), m.decimals), m.decimals === 0 ? 1 : 10 ** -m.decimals);
}

/** A lab panel: its member Observations and the DiagnosticReport listing them. `active` = module ids in effect. */
export function labPanel(rng: Random, v: VisitContext, panel: PanelId, active: ReadonlySet<string>): [DiagnosticReport, ...Observation[]] {
  const spec = LABS.panels[panel];
  const results = spec.members.map((m) => ({ ...base(rng.uuid(), v, m, 'laboratory', ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-observation-lab']), valueQuantity: quantity(labValue(rng, m, active), m.unit) }));
  const report: DiagnosticReport = {
    resourceType: 'DiagnosticReport',
    id: rng.uuid(),
    meta: usCore('us-core-diagnosticreport-lab'),
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: 'LAB', display: 'Laboratory' }] }],
    code: concept(LOINC, spec),
    subject: v.patient,
    encounter: urn(v.encounterId),
    effectiveDateTime: dateTime(v.start),
    issued: instant(v.start),
    result: results.map((r) => ({ reference: `urn:uuid:${r.id}`, display: r.code.text })),
  };
  return [report, ...results];
}

/** Tobacco smoking status (US Core smokingstatus), recorded at adult wellness visits. */
export function smokingStatus(id: string, v: VisitContext, status: keyof typeof LABS.smoking.values): Observation {
  return { ...base(id, v, LABS.smoking, 'social-history', ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-smokingstatus']), valueCodeableConcept: concept(SNOMED, LABS.smoking.values[status]) };
}

/** Cause of death on the death certification encounter. */
export function causeOfDeath(id: string, v: VisitContext, cause: Code): Observation {
  return { ...base(id, v, LABS.causeOfDeath, 'exam', []), valueCodeableConcept: concept(SNOMED, cause) };
}
