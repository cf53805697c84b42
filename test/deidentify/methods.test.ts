/** The de-identification methods as pure functions: keyed pseudonyms, ZIP codes, dates, ages over 89. */
import { aggregatedAge, aggregatedBirthDate } from '../../src/deidentify/ages.js';
import { generaliseDate, shiftDate, yearsBetween } from '../../src/deidentify/dates.js';
import { createPseudonymiser } from '../../src/deidentify/pseudonym.js';
import { rewriteReference } from '../../src/deidentify/references.js';
import { generaliseZip } from '../../src/deidentify/zip.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('pseudonyms', () => {
  const p = createPseudonymiser('key-a');
  const fresh = createPseudonymiser('key-a');
  const other = createPseudonymiser('key-b');

  it('the same key and input give the same pseudonym in any pseudonymiser; another key or type another one', () => {
    expect(p.id('Patient', '123')).toMatch(UUID);
    expect(fresh.id('Patient', '123')).toBe(p.id('Patient', '123'));
    expect(other.id('Patient', '123')).not.toBe(p.id('Patient', '123'));
    expect(p.id('Encounter', '123')).not.toBe(p.id('Patient', '123'));
    expect(p.value('999-58-0803')).toBe(fresh.value('999-58-0803'));
    expect(p.value('999-58-0803')).not.toBe(p.id('Patient', '999-58-0803'));
  });

  it('values keep their shape: plain, urn:uuid:, urn:oid:, a bare OID, another URI', () => {
    expect(p.value('S99927964')).toMatch(UUID);
    expect(p.value('urn:uuid:3e36b31d-3c32-43b4-b016-b46a90c2e50f')).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(p.value('urn:oid:1.2.840.113619.2.5')).toMatch(/^urn:oid:2\.25\.\d+$/);
    expect(p.value('1.2.840.113619.2.5')).toMatch(/^2\.25\.\d{1,39}$/);
    expect(p.value('http://example.org/mrn/1')).toMatch(/^urn:uuid:/);
  });

  it('references take the pseudonym of the id they point at, in every literal form', () => {
    const id = p.id('Patient', 'abc');
    expect(rewriteReference('Patient/abc', p)).toBe(`Patient/${id}`);
    expect(rewriteReference('http://x.org/fhir/Patient/abc/_history/2', p)).toBe(`http://x.org/fhir/Patient/${id}/_history/2`);
    expect(rewriteReference('urn:uuid:abc', p, new Map([['urn:uuid:abc', 'Patient']]))).toBe(`urn:uuid:${id}`);
    expect(rewriteReference('Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|9999489317', p)).toBe(`Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|${p.value('9999489317')}`);
    expect(rewriteReference('#referral', p)).toBe(rewriteReference('#referral', fresh));
  });

  it('a patient shift is 1 to maxDays either way, never 0, the same for the same key', () => {
    const shifts = Array.from({ length: 400 }, (_, i) => p.shiftDays(`patient-${i}`, 30));
    for (const days of shifts) expect(days !== 0 && Math.abs(days) <= 30).toBe(true);
    expect(shifts.some((d) => d < 0) && shifts.some((d) => d > 0)).toBe(true);
    expect(fresh.shiftDays('patient-7', 30)).toBe(shifts[7]);
    expect(Array.from({ length: 20 }, (_, i) => other.shiftDays(`patient-${i}`, 30))).not.toEqual(shifts.slice(0, 20));
  });
});

describe('ZIP codes', () => {
  const restricted = new Set(['036', '692']);
  it('keep their first three digits; the restricted areas become 000; what is no US ZIP goes', () => {
    expect(generaliseZip('01803', restricted)).toBe('018');
    expect(generaliseZip('01803-1234', restricted)).toBe('018');
    expect(generaliseZip('018031234', restricted)).toBe('018');
    expect(generaliseZip('03601', restricted)).toBe('000');
    expect(generaliseZip('69201', restricted)).toBe('000');
    expect(generaliseZip('SW1A 1AA', restricted)).toBeUndefined();
    expect(generaliseZip('0180', restricted)).toBeUndefined();
  });
});

describe('dates', () => {
  it('generalise to the year; an instant to the first instant of its year', () => {
    expect(generaliseDate('1943-11-15', 'date')).toBe('1943');
    expect(generaliseDate('2017-01-20T09:58:00+01:00', 'dateTime')).toBe('2017');
    expect(generaliseDate('2017-01', 'dateTime')).toBe('2017');
    expect(generaliseDate('2017-01-20T09:58:00.000Z', 'instant')).toBe('2017-01-01T00:00:00Z');
    expect(generaliseDate('last Tuesday', 'date')).toBeUndefined();
  });

  it('shift by whole days across month, year and leap-day ends, keeping time, zone and precision', () => {
    expect(shiftDate('2024-02-28', 1)).toBe('2024-02-29');
    expect(shiftDate('2023-02-28', 1)).toBe('2023-03-01');
    expect(shiftDate('2016-12-31T23:30:00-05:00', 1)).toBe('2017-01-01T23:30:00-05:00');
    expect(shiftDate('2017-01-20T09:58:00.123Z', -365)).toBe('2016-01-21T09:58:00.123Z');
    expect(shiftDate('2017-06', 40)).toBe('2017-07');
    expect(shiftDate('2017', 200)).toBe('2018');
    expect(shiftDate('0001-01-01', -1)).toBeUndefined();
  });

  it('keep every interval between shifted values', () => {
    const day = (v: string) => Date.parse(`${v.slice(0, 10)}T00:00:00Z`) / 86_400_000;
    const values = ['1950-03-01', '1999-12-31T10:00:00Z', '2000-02-29', '2020-07-04T00:00:00+02:00'];
    for (const shift of [-365, -59, 1, 200, 365]) {
      const shifted = values.map((v) => shiftDate(v, shift)!);
      for (let i = 1; i < values.length; i++) expect(day(shifted[i]) - day(shifted[0])).toBe(day(values[i]) - day(values[0]));
    }
  });

  it('count whole years from birth, a partial birth date from its earliest day', () => {
    expect(yearsBetween('1930-06-15', '2020-06-14')).toBe(89);
    expect(yearsBetween('1930-06-15', '2020-06-15')).toBe(90);
    expect(yearsBetween('1930', '2020-01-01')).toBe(90);
  });
});

describe('ages over 89', () => {
  const now = new Date('2026-03-01T00:00:00Z');
  it('a birth date over the limit becomes the year that reads 90 at the reference year; within it, nothing changes', () => {
    expect(aggregatedBirthDate({ birthDate: '1930-01-01' }, {}, 89, now)).toBe('1936');
    expect(aggregatedBirthDate({ birthDate: '1937-01-01' }, {}, 89, now)).toBeUndefined();
    // The dead are as old as they were at death, and read 90 at their (output) year of death.
    expect(aggregatedBirthDate({ birthDate: '1920-05-01', deceasedDateTime: '2015-01-01T00:00:00Z' }, { deceasedDateTime: '2015' }, 89, now)).toBe('1925');
    expect(aggregatedBirthDate({ birthDate: '1920-05-01', deceasedDateTime: '2000-01-01T00:00:00Z' }, {}, 89, now)).toBeUndefined();
  });

  it('an Age over the limit becomes the open category >= 90 years, in any time unit', () => {
    expect(aggregatedAge({ value: 93, unit: 'years', system: 'http://unitsofmeasure.org', code: 'a' }, 89)).toEqual({ value: 90, comparator: '>=', unit: 'years', system: 'http://unitsofmeasure.org', code: 'a' });
    expect(aggregatedAge({ value: 1100, code: 'mo' }, 89)).toMatchObject({ value: 90, comparator: '>=' });
    expect(aggregatedAge({ value: 89, code: 'a' }, 89)).toBeUndefined();
  });
});
