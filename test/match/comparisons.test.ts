/**
 * Each comparison of the matcher on hand-made pairs: which level a corruption lands on, and that a field
 * missing on either side is no evidence. Comparisons are symmetric.
 */
import type { Patient } from 'fhir/r4.js';
import { COMPARISONS, MISSING, compareInto } from '../../src/match/comparisons.js';
import { birthDateBlock, compareBirthDate, transposeDate } from '../../src/match/date-comparison.js';
import { patientFeatures } from '../../src/match/patient-features.js';
import { duplicateOf, person, twinOf } from './corrupted-patients.js';

/** The level name of each comparison of `a` and `b` (missing ones left out), checked to be symmetric. */
function levels(a: Patient, b: Patient): Record<string, string> {
  const fa = patientFeatures(a);
  const fb = patientFeatures(b);
  const ab = new Uint8Array(COMPARISONS.length);
  const ba = new Uint8Array(COMPARISONS.length);
  compareInto(fa, fb, ab, 0);
  compareInto(fb, fa, ba, 0);
  expect([...ba]).toEqual([...ab]);
  return Object.fromEntries(COMPARISONS.flatMap((c, i) => (ab[i] === MISSING ? [] : [[c.name, c.levels[ab[i]]]])));
}

const p = person();
const dup = (...kinds: string[]) => duplicateOf(p, 'd', kinds);

describe('comparisons', () => {
  it('a record and its copy under a new MRN agree on everything, the SSN sharing the identifier', () => {
    expect(levels(p, dup())).toEqual({ given: 'exact', family: 'exact', birthDate: 'exact', sex: 'same', address: 'same', phone: 'same', email: 'same', identifier: 'agree' });
  });

  it('first names: exact, a nickname, a typo, a sound-alike, an unrelated name', () => {
    const withGiven = (given: string) => person('x', { name: [{ family: 'Holloway', given: [given] }] });
    expect(levels(p, dup('nickname')).given).toBe('nickname');
    expect(levels(p, dup('typo:given')).given).toBe('close');
    expect(levels(withGiven('margaret'), p).given).toBe('exact');
    expect(levels(withGiven('Margarita'), p).given).toBe('close');
    expect(levels(withGiven('Marjorie'), p).given).toBe('similar');
    expect(levels(withGiven('Eleanor'), p).given).toBe('different');
  });

  it('surnames: a typo is close, a maiden name on one record meets the surname on the other', () => {
    expect(levels(p, dup('typo:family')).family).toBe('close');
    expect(levels(p, dup('married-name')).family).toBe('exact');
    const renamed = person('x', { name: [{ family: 'Barrett', given: ['Margaret'] }] });
    expect(levels(p, renamed).family).toBe('different');
    expect(levels(person('x', { name: [{ family: "O'Brien-Smith", given: ['Margaret'] }] }), person('y', { name: [{ family: 'OBrien Smith', given: ['Margaret'] }] })).family).toBe('exact');
  });

  it('names whose numbers differ are different names (generated namesakes), whatever their letters', () => {
    const named = (given: string, family: string) => person('x', { name: [{ family, given: [given] }] });
    expect(levels(named('Vincent707', 'Sanders860'), named('Vincent707', 'Sanders123'))).toMatchObject({ given: 'exact', family: 'different' });
    expect(levels(named('Vincent707', 'Sanders860'), named('Vinent707', 'Sander860'))).toMatchObject({ given: 'close', family: 'close' });
    expect(levels(named('William12', 'Sanders860'), named('Bill12', 'Sanders860')).given).toBe('nickname');
    expect(levels(named('William12', 'Sanders860'), named('Bill13', 'Sanders860')).given).toBe('different');
  });

  it('birth dates: exact, day and month transposed, one digit off, different, missing', () => {
    expect(levels(p, dup('day-month-transposed')).birthDate).toBe('transposed');
    expect(levels(p, twinOf(p, 't')).birthDate).toBe('one-digit');
    expect(compareBirthDate('1961-03-12', '1971-03-12')).toBe(2);
    expect(compareBirthDate('1961-03-12', '1962-04-12')).toBe(3);
    expect(compareBirthDate('1961-03-12', undefined)).toBe(-1);
    expect(levels(p, person('x', { birthDate: '1961' })).birthDate).toBeUndefined();
    expect(transposeDate('1961-03-12')).toBe('1961-12-03');
    expect(transposeDate('1961-03-13')).toBeUndefined();
    expect(transposeDate('1961-03-03')).toBeUndefined();
    expect(birthDateBlock('1961-03-12')).toBe(birthDateBlock('1961-12-03'));
  });

  it('sex: same, different, and unknown is no evidence', () => {
    expect(levels(p, person('x', { gender: 'male' })).sex).toBe('different');
    expect(levels(p, person('x', { gender: 'unknown' })).sex).toBeUndefined();
  });

  it('addresses: a moved person is different, one on another street of the same town is same-area, abbreviations are the same', () => {
    expect(levels(p, dup('moved')).address).toBe('different');
    expect(levels(p, person('x', { address: [{ line: ['14 Elm St.'], city: 'Springfield', postalCode: '01101-2233' }] })).address).toBe('same');
    expect(levels(p, person('x', { address: [{ line: ['80 Oak Road'], city: 'Springfield', postalCode: '01101' }] })).address).toBe('same-area');
    expect(levels(p, dup('missing:address')).address).toBeUndefined();
  });

  it('phones compare by digits; a new phone differs; e-mail is compared when both have one', () => {
    expect(levels(p, person('x', { telecom: [{ system: 'phone', value: '413.555.0142' }] })).phone).toBe('same');
    expect(levels(p, dup('new-phone')).phone).toBe('different');
    expect(levels(p, dup('missing:phone')).phone).toBeUndefined();
    expect(levels(p, dup('new-phone')).email).toBeUndefined();
    expect(levels(p, person('x', { telecom: [{ system: 'email', value: 'MHolloway@Example.org ' }] })).email).toBe('same');
  });

  it('identifiers: a shared SSN agrees, another SSN conflicts, both at once are mixed, differing MRNs say nothing', () => {
    const ssn = (value: string) => ({ system: 'http://hl7.org/fhir/sid/us-ssn', value });
    const dl = (value: string) => ({ type: { coding: [{ code: 'DL' }] }, system: 'urn:oid:2.16.840.1.113883.4.3.25', value });
    expect(levels(p, twinOf(p, 't')).identifier).toBe('conflict');
    expect(levels(p, dup('missing:ssn')).identifier).toBeUndefined();
    expect(levels(p, person('x', { identifier: [ssn('999123456')] })).identifier).toBe('agree');
    expect(levels(person('a', { identifier: [ssn('1'), dl('S1')] }), person('b', { identifier: [ssn('1'), dl('S2')] })).identifier).toBe('mixed');
    expect(levels(person('a', { identifier: [{ system: 'urn:x', value: 'A' }] }), person('b', { identifier: [{ system: 'urn:x', value: 'A' }] })).identifier).toBe('agree');
  });
});
