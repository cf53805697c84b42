/**
 * Records that could not happen to a real person, read from one patient's FHIR Bundle (either engine's
 * output): events outside the life, encounters running past death, things still active after death,
 * pregnancy in men or outside childbearing ages, ages over 120, periods that end before they start,
 * conditions resolved before their onset, vital signs no body has, a driving licence before 16.
 * population-figures.ts tallies them; scripts/compare-cdc.ts fails on any.
 */
import type { CodeableConcept, Condition, FhirResource, Observation, Patient, Resource } from 'fhir/r4.js';
import { DAY, YEAR } from './clock.js';
import { MODULES } from './tables.js';

export const IMPOSSIBLE_CHECKS = [
  'beforeBirth',
  'afterDeath',
  'encounterPastDeath',
  'activeAfterDeath',
  'afterReferenceDate',
  'malePregnancy',
  'pregnancyAge',
  'ageOver120',
  'negativeDuration',
  'onsetAfterAbatement',
  'implausibleVitals',
  'licenceUnder16',
] as const;
export type ImpossibleCheck = (typeof IMPOSSIBLE_CHECKS)[number];
export type ImpossibleCounts = Record<ImpossibleCheck, number>;

export const noImpossibleRecords = (): ImpossibleCounts => Object.fromEntries(IMPOSSIBLE_CHECKS.map((c) => [c, 0])) as ImpossibleCounts;

/** Conditions, procedures and encounters only a pregnancy brings: the female-only modules' codes. */
const PREGNANCY_CODES = new Set(
  MODULES.filter((m) => m.sex === 'female').flatMap((m) => [
    ...m.variants.map((v) => v.condition.code),
    ...(m.delivery ? [m.delivery.normal.code, m.delivery.cesarean.code, m.delivery.encounter.code] : []),
  ]),
);
/** Youngest and oldest mothers on record are outside this, but no generated record should be. */
const CHILDBEARING = [10, 55];
const LICENCE_AGE = 16;
const MAX_AGE = 120;
/** LOINC vital signs and the range any living body falls in. */
const VITAL_RANGES: Record<string, [number, number]> = {
  '8302-2': [30, 250], // body height, cm
  '29463-7': [0.5, 400], // body weight, kg
  '39156-5': [8, 90], // BMI, kg/m2
  '8480-6': [40, 300], // systolic, mm[Hg]
  '8462-4': [20, 200], // diastolic, mm[Hg]
  '8867-4': [20, 300], // heart rate, /min
  '9279-1': [4, 100], // respiratory rate, /min
};
/** A same-day slack for the reference date: both engines stamp their run's end, not the last event's. */
const REFERENCE_SLACK = DAY;

/** Every dateTime-like value of a resource except Provenance.recorded (when the record was made, not an event). */
export function eventTimes(value: unknown, out: number[] = []): number[] {
  if (Array.isArray(value)) value.forEach((v) => eventTimes(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v)) {
        if (k !== 'recorded') out.push(Date.parse(v));
      } else eventTimes(v, out);
    }
  }
  return out;
}

/** Whether any Period-shaped value inside `value` ends before it starts. */
function hasNegativePeriod(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasNegativePeriod);
  if (!value || typeof value !== 'object') return false;
  const { start, end } = value as { start?: unknown; end?: unknown };
  if (typeof start === 'string' && typeof end === 'string' && Date.parse(end) < Date.parse(start)) return true;
  return Object.values(value).some(hasNegativePeriod);
}

/** The codes of a resource's `code`, and of an Encounter's `type`. */
function codes(r: Resource): string[] {
  const coded = r as { code?: CodeableConcept; type?: CodeableConcept[] };
  const concepts = [coded.code, ...(r.resourceType === 'Encounter' ? coded.type ?? [] : [])];
  return concepts.flatMap((c) => c?.coding ?? []).map((c) => c.code ?? '');
}

/**
 * Adds to `counts` the impossible records of one patient: each resource counts once per check it fails; the
 * patient's own checks (age, licence) count the patient. `referenceTime`: the date the records run to.
 */
export function countImpossible(patient: Patient, resources: Resource[], referenceTime: number, counts: ImpossibleCounts): void {
  const birth = Date.parse(patient.birthDate!);
  const death = patient.deceasedDateTime ? Date.parse(patient.deceasedDateTime) : undefined;
  const age = ((death ?? referenceTime) - birth) / YEAR;
  if (age > MAX_AGE) counts.ageOver120++;
  if (death !== undefined && death < birth) counts.beforeBirth++;
  if (age < LICENCE_AGE && patient.identifier?.some((i) => i.type?.coding?.some((c) => c.code === 'DL'))) counts.licenceUnder16++;
  for (const r of resources) {
    if (r === patient) continue;
    const times = eventTimes(r);
    // An EOB's billablePeriod is a coverage window that runs past the claim (as Synthea writes it), not an event.
    const events = r.resourceType === 'ExplanationOfBenefit' ? [] : times;
    if (times.some((t) => t < birth)) counts.beforeBirth++;
    if (death !== undefined && events.some((t) => t > death)) counts.afterDeath++;
    if (events.some((t) => t > referenceTime + REFERENCE_SLACK)) counts.afterReferenceDate++;
    if (hasNegativePeriod(r)) counts.negativeDuration++;
    if (death !== undefined) checkAfterDeath(r as FhirResource, death, counts);
    if (codes(r).some((c) => PREGNANCY_CODES.has(c))) {
      if (patient.gender === 'male') counts.malePregnancy++;
      const at = Math.min(...times);
      const motherAge = (at - birth) / YEAR;
      if (r.resourceType === 'Condition' && (motherAge < CHILDBEARING[0] || motherAge > CHILDBEARING[1])) counts.pregnancyAge++;
    }
    if (r.resourceType === 'Condition') {
      const c = r as Condition;
      if (c.onsetDateTime && c.abatementDateTime && Date.parse(c.abatementDateTime) < Date.parse(c.onsetDateTime)) counts.onsetAfterAbatement++;
    }
    if (r.resourceType === 'Observation' && !plausibleVital(r as Observation)) counts.implausibleVitals++;
  }
}

function checkAfterDeath(r: FhirResource, death: number, counts: ImpossibleCounts): void {
  if (r.resourceType === 'Encounter' && r.period?.end && Date.parse(r.period.end) > death) counts.encounterPastDeath++;
  if ((r.resourceType === 'MedicationRequest' || r.resourceType === 'CarePlan') && r.status === 'active') counts.activeAfterDeath++;
}

function plausibleVital(o: Observation): boolean {
  const parts = [o, ...(o.component ?? [])];
  return parts.every((p) => {
    const range = p.code?.coding?.map((c) => VITAL_RANGES[c.code ?? '']).find(Boolean);
    const value = p.valueQuantity?.value;
    return !range || value === undefined || (value >= range[0] && value <= range[1]);
  });
}
