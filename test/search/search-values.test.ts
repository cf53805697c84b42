import fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4';
import { compilePath } from '../../src/search/compile-path.js';
import { OPEN_HIGH, dateInterval } from '../../src/search/date-interval.js';
import { branchRoot, splitUnion } from '../../src/search/fhirpath-union.js';
import { normaliseString } from '../../src/search/normalise-string.js';
import { parseReference } from '../../src/search/parse-reference.js';
import { referenceTypeOf, walkPath, type Found } from '../../src/search/walk-path.js';

describe('dateInterval', () => {
  test.each([
    ['2020', Date.UTC(2020, 0, 1), Date.UTC(2021, 0, 1)],
    ['2020-02', Date.UTC(2020, 1, 1), Date.UTC(2020, 2, 1)],
    ['2020-12', Date.UTC(2020, 11, 1), Date.UTC(2021, 0, 1)],
    ['2020-02-29', Date.UTC(2020, 1, 29), Date.UTC(2020, 2, 1)],
    ['2020-03-04T10:00', Date.UTC(2020, 2, 4, 10), Date.UTC(2020, 2, 4, 10, 1)],
    ['2020-03-04T10:00:00Z', Date.UTC(2020, 2, 4, 10), Date.UTC(2020, 2, 4, 10, 0, 1)],
    ['2020-03-04T10:00:00', Date.UTC(2020, 2, 4, 10), Date.UTC(2020, 2, 4, 10, 0, 1)],
    ['2020-03-04T10:00:00+05:30', Date.UTC(2020, 2, 4, 4, 30), Date.UTC(2020, 2, 4, 4, 30, 1)],
    ['2020-03-04T10:00:00-04:00', Date.UTC(2020, 2, 4, 14), Date.UTC(2020, 2, 4, 14, 0, 1)],
    ['2020-03-04T10:00:00.5Z', Date.UTC(2020, 2, 4, 10, 0, 0, 500), Date.UTC(2020, 2, 4, 10, 0, 0, 600)],
    ['2020-03-04T10:00:00.123456Z', Date.UTC(2020, 2, 4, 10, 0, 0, 123), Date.UTC(2020, 2, 4, 10, 0, 0, 124)],
  ])('%s', (text, lo, hi) => {
    expect(dateInterval(text)).toEqual({ lo, hi });
  });

  test('years below 100 are not read as 19xx', () => {
    expect(new Date(dateInterval('0050')!.lo).getUTCFullYear()).toBe(50);
  });

  test.each(['', '20', '2020-13', '2020-00', '2021-02-29', '2020-04-31', '2020-01-01T24:00:00Z', '2020-01-01T10:60Z', '2020-01-01T10:00:00+15:00', '2020-1-1', 'today', '2020-01-01 10:00'])(
    'rejects %j',
    (text) => expect(dateInterval(text)).toBeNull(),
  );

  test('open ends are JSON-safe', () => {
    expect(JSON.parse(JSON.stringify({ hi: OPEN_HIGH })).hi).toBe(Number.MAX_SAFE_INTEGER);
  });
});

test('normaliseString: case, accents, whitespace', () => {
  expect(normaliseString('  José  ÅNGSTRÖM\tvan\n der ')).toBe('jose angstrom van der');
  expect(normaliseString('Abbott774')).toBe('abbott774');
  expect(normaliseString('Ça')).toBe('ca');
});

describe('references', () => {
  test('parseReference', () => {
    expect(parseReference('Patient/1')).toEqual({ type: 'Patient', id: '1', url: null });
    expect(parseReference('Patient/a.b-c/_history/2')).toEqual({ type: 'Patient', id: 'a.b-c', url: null });
    expect(parseReference('http://x.org/fhir/Patient/1')).toEqual({ type: null, id: null, url: 'http://x.org/fhir/Patient/1' });
    expect(parseReference('urn:uuid:0c3e')).toEqual({ type: null, id: null, url: 'urn:uuid:0c3e' });
    expect(parseReference('Patient?identifier=a|b')).toEqual({ type: null, id: null, url: 'Patient?identifier=a|b' });
    expect(parseReference('#p1')).toBeNull();
    expect(parseReference('')).toBeNull();
  });

  test('referenceTypeOf (what resolve() is T checks)', () => {
    expect(referenceTypeOf('Patient/1')).toBe('Patient');
    expect(referenceTypeOf('Patient/1/_history/2')).toBe('Patient');
    expect(referenceTypeOf('https://x.org/fhir/Group/7')).toBe('Group');
    expect(referenceTypeOf('urn:uuid:1')).toBeNull();
    expect(referenceTypeOf('#p')).toBeNull();
  });
});

describe('expressions', () => {
  test('splitUnion splits on top-level | only', () => {
    expect(splitUnion("A.b | (C.d as E) | F.g.where(x='a|b')")).toEqual(['A.b', '(C.d as E)', "F.g.where(x='a|b')"]);
    expect(branchRoot('(Patient.deceased as dateTime)')).toBe('Patient');
  });

  test.each([
    ["Patient.extension('http://example.org/a').value", 'extension by url'],
    ["Patient.extension.where(url='http://example.org/a').value", 'extension.where(url=)'],
    ["Patient.telecom.where(system='email').value", 'where on a primitive'],
    ['Patient.deceased.ofType(dateTime)', 'ofType on a choice'],
  ])('%s is compiled natively and agrees with fhirpath.js (%s)', (expression) => {
    const patient = {
      resourceType: 'Patient',
      extension: [{ url: 'http://example.org/a', valueString: 'one' }, { url: 'http://example.org/b', valueString: 'two' }, { url: 'http://example.org/a', valueCode: 'three' }],
      telecom: [{ system: 'phone', value: '1' }, { system: 'email', value: 'a@b' }],
      deceasedDateTime: '2020',
    };
    const plan = compilePath(expression);
    expect(plan).not.toBeNull();
    const found: Found = { values: [], types: [], count: 0 };
    walkPath(plan!, patient, found);
    expect(found.values.slice(0, found.count)).toEqual(fhirpath.evaluate(structuredClone(patient), expression, undefined, r4));
    expect(found.count).toBeGreaterThan(0);
  });

  test.each(['Patient.name.first()', 'Patient.contained.id', "Patient.name.where(given='x')", 'Patient.nope'])('%s is left to fhirpath.js', (expression) => {
    expect(compilePath(expression)).toBeNull();
  });
});
