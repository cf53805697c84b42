import type { Basic, CarePlan, Observation, Patient, Resource, RiskAssessment } from 'fhir/r4.js';
import { computeIndex } from '../../src/search/index-resource.js';
import type { IndexEntries } from '../../src/search/types.js';
import { bloodPressure, claim, encounter, observation, patient } from './synthea-fixtures.js';

const DAY = 86_400_000;
const of = <T extends { code: string }>(rows: T[], code: string) => rows.filter((r) => r.code === code).map(({ code: _c, ...rest }) => rest);

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

describe('computeIndex on a Synthea Patient', () => {
  const e: IndexEntries = computeIndex(deepFreeze(structuredClone(patient)));

  test('tokens: code, Identifier with system, ContactPoint by value, computed deceased', () => {
    expect(of(e.tokens, 'gender')).toEqual([{ system: null, value: 'male' }]);
    expect(of(e.tokens, 'identifier')).toEqual([
      { system: 'https://github.com/synthetichealth/synthea', value: 'b0e3c3d4-1111-4a2b-9c3d-000000000001' },
      { system: 'http://hl7.org/fhir/sid/us-ssn', value: '999-32-4655' },
    ]);
    expect(of(e.tokens, 'phone')).toEqual([{ system: null, value: '555-853-3046' }]);
    expect(of(e.tokens, 'email')).toEqual([{ system: null, value: 'adolfo@example.org' }]);
    expect(of(e.tokens, 'telecom')).toHaveLength(2);
    expect(of(e.tokens, 'deceased')).toEqual([{ system: null, value: 'false' }]);
    expect(of(e.tokens, '_tag')).toEqual([{ system: 'http://example.org/tags', value: 'synthetic' }]);
  });

  test('strings: every HumanName part, normalised (case, accents, spaces)', () => {
    expect(of(e.strings, 'family').map((s) => s.value)).toEqual(['abbott774', 'van der berg']);
    expect(of(e.strings, 'given').map((s) => s.value)).toEqual(['jose', 'adolfo777', 'adolfo777']);
    expect(of(e.strings, 'name').map((s) => s.value)).toEqual(['abbott774', 'jose', 'adolfo777', 'mr.', 'van der berg', 'adolfo777']);
    expect(of(e.strings, 'address').map((s) => s.value)).toEqual(['1059 bogan rapid apt 5', 'boston', 'ma', '02108', 'us']);
    expect(of(e.strings, 'address-city')).toEqual([{ value: 'boston' }]);
  });

  test('dates: birthDate covers its whole day (UTC)', () => {
    expect(of(e.dates, 'birthdate')).toEqual([{ lo: Date.UTC(1983, 3, 11), hi: Date.UTC(1983, 3, 11) + DAY }]);
  });

  test('references and uris; _id and _lastUpdated are left to the row', () => {
    expect(of(e.references, 'general-practitioner')).toEqual([{ type: 'Practitioner', id: 'pr-1', url: null }]);
    expect(of(e.references, 'organization')).toEqual([{ type: null, id: null, url: 'Organization?identifier=https://github.com/synthetichealth/synthea|org-7' }]);
    expect(of(e.uris, '_profile')).toEqual([{ value: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient' }]);
    const codes = new Set([...e.tokens, ...e.strings, ...e.dates, ...e.uris].map((r) => r.code));
    expect(codes.has('_id') || codes.has('_lastUpdated')).toBe(false);
  });

  test('a deceasedDateTime gives deceased=true and death-date', () => {
    const deceased: Patient = { ...patient, deceasedDateTime: '2020-02-29T23:59:59Z' };
    const dead = computeIndex(deceased);
    expect(of(dead.tokens, 'deceased')).toEqual([{ system: null, value: 'true' }]);
    expect(of(dead.dates, 'death-date')).toEqual([{ lo: Date.UTC(2020, 1, 29, 23, 59, 59), hi: Date.UTC(2020, 1, 29, 23, 59, 59) + 1000 }]);
  });
});

describe('computeIndex on Observations', () => {
  const e = computeIndex(observation);

  test('choice types: valueQuantity by code and system, effectiveDateTime with its offset, issued to the millisecond', () => {
    expect(of(e.numbers, 'value-quantity')).toEqual([{ value: 72.5, system: 'http://unitsofmeasure.org', unit: 'kg' }]);
    const t = Date.UTC(2019, 5, 1, 8, 15, 30);
    expect(of(e.dates, 'date')).toEqual([{ lo: t, hi: t + 1000 }]);
    expect(of(e.tokens, 'code')).toEqual([{ system: 'http://loinc.org', value: '29463-7' }]);
    expect(of(e.tokens, 'category')).toEqual([{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', value: 'vital-signs' }]);
  });

  test('a urn:uuid subject is a url, and is not a patient (its type is unknown)', () => {
    expect(of(e.references, 'subject')).toEqual([{ type: null, id: null, url: 'urn:uuid:b0e3c3d4-1111-4a2b-9c3d-000000000001' }]);
    expect(of(e.references, 'patient')).toEqual([]);
    expect(of(e.references, 'encounter')).toEqual([{ type: 'Encounter', id: 'enc-1', url: null }]);
  });

  test('components: each quantity, unit falling back to the unit text; an open Period', () => {
    const bp = computeIndex(bloodPressure);
    expect(of(bp.numbers, 'component-value-quantity')).toEqual([
      { value: 80, system: 'http://unitsofmeasure.org', unit: 'mm[Hg]' },
      { value: 120, system: null, unit: 'mmHg' },
    ]);
    expect(of(bp.numbers, 'value-quantity')).toEqual([]);
    expect(of(bp.dates, 'date')).toEqual([{ lo: Date.UTC(2019, 5, 1), hi: Number.MAX_SAFE_INTEGER }]);
    expect(of(bp.references, 'patient')).toEqual([{ type: 'Patient', id: 'p-1', url: null }]);
    expect(of(bp.tokens, 'component-code').map((t) => t.value)).toEqual(['8462-4', '8480-6']);
  });

  test('valueCodeableConcept is a value-concept token', () => {
    const concept: Observation = { ...bloodPressure, component: undefined, valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '10828004' }] } };
    const coded = computeIndex(concept);
    expect(of(coded.tokens, 'value-concept')).toEqual([{ system: 'http://snomed.info/sct', value: '10828004' }]);
  });
});

describe('computeIndex on an Encounter and a Claim', () => {
  test('Encounter: Coding token, open period, Duration quantity, conditional reference kept as url', () => {
    const e = computeIndex(encounter);
    expect(of(e.tokens, 'class')).toEqual([{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', value: 'AMB' }]);
    expect(of(e.dates, 'date')).toEqual([{ lo: Date.UTC(2019, 5, 1, 10), hi: Number.MAX_SAFE_INTEGER }]);
    expect(of(e.numbers, 'length')).toEqual([{ value: 15, system: 'http://unitsofmeasure.org', unit: 'min' }]);
    expect(of(e.references, 'participant')).toEqual([{ type: null, id: null, url: 'Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|9999997899' }]);
    expect(of(e.references, 'practitioner')).toEqual([]);
  });

  test('Claim links: indexed paths, no contained references, absolute URLs as url', () => {
    const e = computeIndex(claim);
    expect(e.links).toEqual([
      { path: 'Claim.patient', targetType: 'Patient', targetId: 'p-1', url: null },
      { path: 'Claim.provider', targetType: null, targetId: null, url: 'http://example.org/fhir/Organization/org-7' },
      { path: 'Claim.item[0].encounter[0]', targetType: 'Encounter', targetId: 'enc-1', url: null },
      { path: 'Claim.item[1].encounter[0]', targetType: 'Encounter', targetId: 'enc-2', url: null },
      { path: 'Claim.item[1].encounter[1]', targetType: 'Encounter', targetId: 'enc-3', url: null },
    ]);
    expect(of(e.references, 'encounter').map((r) => r.id)).toEqual(['enc-1', 'enc-2', 'enc-3']);
    expect(of(e.dates, 'created')).toEqual([{ lo: Date.UTC(2019, 5, 1, 10, 15), hi: Date.UTC(2019, 5, 1, 10, 15) + 1000 }]);
  });
});

describe('computeIndex on other shapes', () => {
  test('Timing: one interval from the first event to the end of the repeat bounds', () => {
    const plan: CarePlan = {
      resourceType: 'CarePlan', status: 'active', intent: 'plan', subject: { reference: 'Patient/p-1' },
      activity: [{ detail: { status: 'scheduled', scheduledTiming: { event: ['2020-01-05', '2020-01-03'], repeat: { boundsPeriod: { start: '2020-01-04', end: '2020-02' } } } } }],
    };
    expect(of(computeIndex(plan).dates, 'activity-date')).toEqual([{ lo: Date.UTC(2020, 0, 3), hi: Date.UTC(2020, 2, 1) }]);
  });

  test('number: decimal values', () => {
    const risk: RiskAssessment = { resourceType: 'RiskAssessment', status: 'final', subject: { reference: 'Patient/p-1' }, prediction: [{ probabilityDecimal: 0.25 }, { probabilityRange: { low: { value: 1 } } }] };
    expect(of(computeIndex(risk).numbers, 'probability')).toEqual([{ value: 0.25, system: null, unit: null }, { value: 1, system: null, unit: null }]);
  });

  test('a resource nested 10,000 levels deep is indexed without exhausting the stack', () => {
    const deep: Basic = { resourceType: 'Basic', code: { text: 'deep' }, extension: [] };
    let level = deep.extension![0] = { url: 'http://example.org/x' } as NonNullable<Basic['extension']>[number];
    for (let i = 0; i < 10_000; i++) level = (level.extension = [{ url: 'http://example.org/x' }])[0];
    level.valueReference = { reference: 'Patient/deep' };
    const e = computeIndex(deep);
    expect(e.links).toHaveLength(1);
    expect(e.links[0].targetId).toBe('deep');
    expect(e.links[0].path).toBe(`Basic${'.extension[0]'.repeat(10_001)}.valueReference`);
  });

  test('an unknown resource type has only its links', () => {
    const e = computeIndex({ resourceType: 'NotAType', subject: { reference: 'Patient/1' } } as Resource);
    expect(e.tokens).toEqual([]);
    expect(e.links).toEqual([{ path: 'NotAType.subject', targetType: 'Patient', targetId: '1', url: null }]);
  });
});
