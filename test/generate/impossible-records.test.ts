/**
 * Impossible records (issue 18): each check of impossible-records.ts catches what it names, and the built-in
 * engine writes none, under the default profile and the options that stretch a life (oldest ages, whole-life
 * history, pregnancy cohorts, duplicates and twins).
 */
import type { Bundle, FhirResource as Resource, Patient } from 'fhir/r4.js';
import { countImpossible, noImpossibleRecords, type ImpossibleCounts } from '../../src/generate/impossible-records.js';
import { generatePopulation } from '../../src/generate/population.js';
import type { GenerateOptions } from '../../src/generate/options.js';

const REF = Date.parse('2024-01-01T00:00:00Z');
const at = (day: string) => `${day}T10:00:00+00:00`;
const snomed = (code: string) => ({ coding: [{ system: 'http://snomed.info/sct', code }] });
const loinc = (code: string) => ({ coding: [{ system: 'http://loinc.org', code }] });
const patient = (gender: 'male' | 'female', birthDate: string, extra: Partial<Patient> = {}): Patient => ({ resourceType: 'Patient', gender, birthDate, ...extra });
const encounter = (start: string, end: string): Resource => ({ resourceType: 'Encounter', status: 'finished', class: {}, period: { start: at(start), end: at(end) } });
const condition = (code: string, onset: string, abatement?: string): Resource =>
  ({ resourceType: 'Condition', subject: {}, code: snomed(code), onsetDateTime: at(onset), ...(abatement ? { abatementDateTime: at(abatement) } : {}) });
const vital = (code: string, value: number): Resource => ({ resourceType: 'Observation', status: 'final', code: loinc(code), effectiveDateTime: at('2020-01-01'), valueQuantity: { value } });

function count(p: Patient, ...resources: Resource[]): Partial<ImpossibleCounts> {
  const counts = noImpossibleRecords();
  countImpossible(p, [p, ...resources], REF, counts);
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
}

describe('countImpossible', () => {
  it('passes a plausible life', () => {
    const dead = patient('female', '1950-03-01', { deceasedDateTime: at('2020-06-01') });
    expect(count(dead, encounter('1990-01-01', '1990-01-01'), condition('72892002', '1980-01-01', '1980-09-01'), vital('39156-5', 31),
      { resourceType: 'MedicationRequest', status: 'stopped', intent: 'order', subject: {} })).toEqual({});
  });

  it('catches events outside the life and after the reference date', () => {
    const dead = patient('female', '1950-03-01', { deceasedDateTime: at('2020-06-01') });
    expect(count(dead, encounter('1949-01-01', '1949-01-01'))).toEqual({ beforeBirth: 1 });
    expect(count(dead, encounter('2020-05-31', '2020-06-02'))).toEqual({ afterDeath: 1, encounterPastDeath: 1 });
    expect(count(patient('male', '1950-03-01'), encounter('2024-03-01', '2024-03-01'))).toEqual({ afterReferenceDate: 1 });
    expect(count(patient('male', '1950-03-01', { deceasedDateTime: at('1940-01-01') }))).toEqual({ beforeBirth: 1 });
  });

  it('catches orders and plans still active after death', () => {
    const dead = patient('female', '1950-03-01', { deceasedDateTime: at('2020-06-01') });
    expect(count(dead, { resourceType: 'MedicationRequest', status: 'active', intent: 'order', subject: {} },
      { resourceType: 'CarePlan', status: 'active', intent: 'plan', subject: {} })).toEqual({ activeAfterDeath: 2 });
  });

  it('catches pregnancy in a man, a delivery for one, and pregnancy outside childbearing ages', () => {
    expect(count(patient('male', '1980-01-01'), condition('72892002', '2010-01-01'), { resourceType: 'Procedure', status: 'completed', subject: {}, code: snomed('11466000') }))
      .toEqual({ malePregnancy: 2 });
    expect(count(patient('female', '1930-01-01'), condition('72892002', '1995-01-01'))).toEqual({ pregnancyAge: 1 });
    expect(count(patient('female', '2010-01-01'), condition('72892002', '2018-01-01'))).toEqual({ pregnancyAge: 1 });
  });

  it('catches ages over 120, negative durations, resolution before onset, impossible vital signs and young drivers', () => {
    expect(count(patient('female', '1900-01-01'))).toEqual({ ageOver120: 1 });
    expect(count(patient('male', '1980-01-01'), encounter('2010-01-02', '2010-01-01'))).toEqual({ negativeDuration: 1 });
    expect(count(patient('male', '1980-01-01'), condition('59621000', '2010-01-02', '2010-01-01'))).toEqual({ onsetAfterAbatement: 1 });
    expect(count(patient('male', '1980-01-01'), vital('39156-5', 4), vital('8302-2', 400), vital('29463-7', -3))).toEqual({ implausibleVitals: 3 });
    const bp: Resource = { resourceType: 'Observation', status: 'final', code: loinc('85354-9'), component: [{ code: loinc('8480-6'), valueQuantity: { value: 600 } }] };
    expect(count(patient('male', '1980-01-01'), bp)).toEqual({ implausibleVitals: 1 });
    const dl = { type: { coding: [{ code: 'DL' }] }, value: 'S99912345' };
    expect(count(patient('male', '2012-01-01', { identifier: [dl] }))).toEqual({ licenceUnder16: 1 });
  });
});

describe('the built-in engine', () => {
  const runs: [string, GenerateOptions][] = [
    ['the default profile', { count: 200, seed: 1 }],
    ['the chronic disease profile', { count: 60, seed: 2, profile: 'chronic_disease' }],
    ['the oldest ages', { count: 50, seed: 3, minAge: 90, maxAge: 110 }],
    ['whole-life history', { count: 40, seed: 4, yearsOfHistory: 0 }],
    ['women of childbearing age', { count: 50, seed: 5, gender: 'female', minAge: 14, maxAge: 50 }],
    ['duplicates and twins', { count: 50, seed: 6, duplicates: 0.3 }],
    ['a pregnancy cohort', { seed: 7, cohort: { count: 30, conditions: [{ code: '72892002', onset: { lastYears: 2 } }] } }],
  ];
  it.each(runs)('writes no impossible record under %s', (_, input) => {
    const population = generatePopulation({ referenceDate: '2024-01-01', ...input });
    const counts = noImpossibleRecords();
    for (const bundle of population.patients as Bundle[]) {
      const resources = bundle.entry!.map((e) => e.resource as Resource);
      countImpossible(resources.find((r): r is Patient => r.resourceType === 'Patient')!, resources, population.options.referenceTime, counts);
    }
    expect(counts).toEqual(noImpossibleRecords());
  });
});
