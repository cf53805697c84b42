/** The engine on single resources and Bundles: what each profile removes, keeps, pseudonymises and shifts. */
import type { Bundle, Encounter, Patient, Resource } from 'fhir/r4.js';
import { createDeidentifier, DeidConfigError, type DeidProfile } from '../../src/deidentify/deidentifier.js';

type Json = Record<string, any>;

const KEY = 'unit-key';
const now = new Date('2026-03-01T00:00:00Z');
const safeHarbor = createDeidentifier({ profile: 'safe-harbor', key: KEY, now });
const shifted = createDeidentifier({ profile: 'shifted', key: KEY, now });

const RACE = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race';
const patient: Patient = {
  resourceType: 'Patient',
  id: 'p1',
  text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">Hannah Gibson</div>' },
  extension: [
    { url: RACE, extension: [{ url: 'ombCategory', valueCoding: { system: 'urn:oid:2.16.840.1.113883.6.238', code: '2106-3', display: 'White' } }] },
    { url: 'http://hl7.org/fhir/StructureDefinition/patient-mothersMaidenName', valueString: 'Hannah Wood' },
  ],
  identifier: [{ system: 'http://hl7.org/fhir/sid/us-ssn', value: '999-58-0803' }],
  name: [{ family: 'Gibson', given: ['Hannah'] }],
  telecom: [{ system: 'phone', value: '555-659-3328' }],
  gender: 'female',
  birthDate: '1960-11-15',
  address: [
    {
      extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/geolocation', extension: [{ url: 'latitude', valueDecimal: 42.5 }, { url: 'longitude', valueDecimal: -71.2 }] }],
      line: ['1750 Elm Street'],
      city: 'Burlington',
      state: 'MA',
      postalCode: '01803',
    },
  ],
  photo: [{ contentType: 'image/png', data: 'iVBORw0KGgo=' }],
};

const encounter: Encounter = {
  resourceType: 'Encounter',
  id: 'e1',
  status: 'finished',
  class: { code: 'AMB' },
  subject: { reference: 'Patient/p1', display: 'Hannah Gibson' },
  participant: [{ individual: { reference: 'Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|9999489317', display: 'Dr. Donald Gray' } }],
  period: { start: '2017-01-20T09:58:00+00:00', end: '2017-01-20T11:58:00+00:00' },
};

const run = (d: typeof safeHarbor, r: Resource) => d.deidentify(r, d.patientOf(r)) as unknown as Json;

describe('de-identifying one resource', () => {
  it('safe-harbor removes names, telecom, street, city, geolocation, photos and the maiden name; keeps race; pseudonymises ids and identifiers', () => {
    const before = structuredClone(patient);
    const out = run(safeHarbor, patient);
    expect(patient).toEqual(before);
    expect(out.id).toBe(safeHarbor.pseudonymId('Patient', 'p1'));
    expect(out.name).toBeUndefined();
    expect(out.telecom).toBeUndefined();
    expect(out.photo).toBeUndefined();
    expect(out.address).toEqual([{ state: 'MA', postalCode: '018' }]);
    expect(out.extension).toEqual([patient.extension![0]]);
    expect(out.identifier).toEqual([{ system: 'http://hl7.org/fhir/sid/us-ssn', value: expect.not.stringContaining('999') }]);
    expect(out.text).toEqual({ status: 'empty', div: '<div xmlns="http://www.w3.org/1999/xhtml">Redacted</div>' });
    expect(out.birthDate).toBe('1960');
    expect(out.gender).toBe('female');
  });

  it('references are rewritten with the ids they point at; displays go; dates keep only the year', () => {
    const out = run(safeHarbor, encounter);
    const practitioner = safeHarbor.deidentify({ resourceType: 'Practitioner', id: 'dr', identifier: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: '9999489317' }] } as Resource, undefined) as Json;
    expect(out.subject).toEqual({ reference: `Patient/${safeHarbor.pseudonymId('Patient', 'p1')}` });
    expect(out.participant[0].individual).toEqual({ reference: `Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|${practitioner.identifier[0].value}` });
    expect(out.period).toEqual({ start: '2017', end: '2017' });
  });

  it('shifted moves every date of a compartment by its patient\'s offset, keeping time and zone', () => {
    const days = shifted.shiftDays('p1');
    const move = (date: string) => new Date(Date.parse(date) + days * 86_400_000).toISOString().slice(0, 10);
    expect(run(shifted, patient).birthDate).toBe(move('1960-11-15T00:00:00Z'));
    expect(run(shifted, encounter).period).toEqual({ start: `${move('2017-01-20T00:00:00Z')}T09:58:00+00:00`, end: `${move('2017-01-20T00:00:00Z')}T11:58:00+00:00` });
    // A resource in no patient's compartment has no offset: its dates keep the year alone.
    expect(run(shifted, { resourceType: 'Practitioner', id: 'dr', birthDate: '1970-04-02' } as Resource).birthDate).toBe('1970');
  });

  it('a required element the profile empties is masked with a data-absent-reason; contained ids and #references move together', () => {
    const claim = {
      resourceType: 'Claim',
      id: 'c1',
      contained: [{ resourceType: 'Coverage', id: 'coverage', status: 'active', beneficiary: { reference: 'Patient/p1' }, payor: [{ display: 'Medicare' }] }],
      status: 'active',
      insurance: [{ sequence: 1, focal: true, coverage: { reference: '#coverage', display: 'Medicare' } }],
    } as unknown as Resource;
    const out = run(safeHarbor, claim);
    expect(out.insurance[0].coverage).toEqual({ reference: `#${out.contained[0].id}` });
    expect(out.contained[0].payor).toEqual([{ extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'masked' }] }]);
  });

  it('a Bundle: urn:uuid fullUrls and references take their resources\' pseudonyms, and one patient\'s entries shift alike', () => {
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { fullUrl: 'urn:uuid:p1', resource: { ...patient }, request: { method: 'POST', url: 'Patient' } },
        { fullUrl: 'urn:uuid:e1', resource: { ...encounter, subject: { reference: 'urn:uuid:p1' } } as Encounter, request: { method: 'POST', url: 'Encounter' } },
      ],
    };
    const out = shifted.deidentify(bundle, undefined) as Json;
    const [p, e] = out.entry;
    expect(p.fullUrl).toBe(`urn:uuid:${p.resource.id}`);
    expect(e.resource.subject.reference).toBe(p.fullUrl);
    expect(e.resource.period.start.slice(0, 10)).toBe(run(shifted, encounter).period.start.slice(0, 10));
  });

  it('an Age over 89 is aggregated; a birth date over 89 reads 90', () => {
    const condition = { resourceType: 'Condition', id: 'c', subject: { reference: 'Patient/p1' }, onsetAge: { value: 93, unit: 'years', system: 'http://unitsofmeasure.org', code: 'a' } } as unknown as Resource;
    expect(run(safeHarbor, condition).onsetAge).toMatchObject({ value: 90, comparator: '>=' });
    expect(run(shifted, { ...patient, birthDate: '1925-02-01' } as Resource).birthDate).toBe('1936');
  });
});

describe('profiles and keys', () => {
  const base: DeidProfile = { name: 'custom', rules: [] };
  it('are refused with what is wrong: no key, unknown profile, unknown element, a method that cannot apply', () => {
    expect(() => createDeidentifier({ profile: 'safe-harbor', key: '' })).toThrow(DeidConfigError);
    expect(() => createDeidentifier({ profile: 'none', key: KEY })).toThrow('unknown de-identification profile "none" (known: safe-harbor, shifted)');
    expect(() => createDeidentifier({ profile: { ...base, rules: [{ select: 'Patient.shoeSize', method: 'redact' }] }, key: KEY })).toThrow('"Patient" has no element "shoeSize"');
    expect(() => createDeidentifier({ profile: { ...base, rules: [{ select: 'Patient.gender', method: 'shift' }] }, key: KEY })).toThrow('shift applies to date, dateTime and instant only');
    expect(() => createDeidentifier({ profile: { ...base, rules: [{ extension: 'http://x', method: 'shift' }] }, key: KEY })).toThrow('an extension is either kept or redacted');
  });

  it('a profile of one extension rule drops that extension and leaves the rest as it was', () => {
    const profile: DeidProfile = { ...base, rules: [{ extension: RACE, method: 'redact' }] };
    const out = createDeidentifier({ profile, key: KEY }).deidentify(patient, undefined) as Json;
    expect(out.extension.map((e: Json) => e.url)).not.toContain(RACE);
    expect(out.name).toEqual(patient.name);
  });
});
