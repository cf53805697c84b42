/**
 * Small hand-made patients for the matcher's tests: a person, and second records of them corrupted the ways
 * registration data is (each kind by hand, independent of the generator), a twin, and unrelated people.
 */
import type { Patient } from 'fhir/r4.js';

export type TestPatient = Patient & { id: string };

const SSN = 'http://hl7.org/fhir/sid/us-ssn';
const MRN = (value: string) => ({ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] }, system: 'urn:example:mrn', value });

/** A person: Margaret Holloway, born 1961-03-12, of 14 Elm Street, Springfield 01101. */
export function person(id = 'p1', overrides: Partial<Patient> = {}): TestPatient {
  return {
    resourceType: 'Patient',
    id,
    identifier: [MRN(`mrn-${id}`), { system: SSN, value: '999-12-3456' }],
    name: [{ use: 'official', family: 'Holloway', given: ['Margaret', 'Ann'] }],
    telecom: [{ system: 'phone', value: '(413) 555-0142' }, { system: 'email', value: 'mholloway@example.org' }],
    gender: 'female',
    birthDate: '1961-03-12',
    address: [{ line: ['14 Elm Street'], city: 'Springfield', state: 'MA', postalCode: '01101' }],
    ...overrides,
  };
}

/** A second registration of `p`: its own id and MRN, the person's SSN. */
function reregistered(p: TestPatient, id: string, change: (q: TestPatient) => void): TestPatient {
  const q = structuredClone(p);
  q.id = id;
  q.identifier = q.identifier!.map((i) => (i.system === 'urn:example:mrn' ? MRN(`mrn-${id}`) : i));
  change(q);
  return q;
}

/** Each corruption of `person()` by name. */
export const corruptions: Record<string, (p: TestPatient) => void> = {
  'typo:given': (p) => void (p.name![0].given = ['Margarte', 'Ann']),
  'typo:family': (p) => void (p.name![0].family = 'Holoway'),
  nickname: (p) => void (p.name![0].given = ['Peggy']),
  'day-month-transposed': (p) => void (p.birthDate = '1961-12-03'),
  moved: (p) => void (p.address = [{ line: ['9 Harbor Road'], city: 'Boston', state: 'MA', postalCode: '02110' }]),
  'new-phone': (p) => void (p.telecom = [{ system: 'phone', value: '617-555-0199' }]),
  'missing:phone': (p) => void (p.telecom = p.telecom!.filter((t) => t.system !== 'phone')),
  'missing:address': (p) => void delete p.address,
  'missing:ssn': (p) => void (p.identifier = p.identifier!.filter((i) => i.system !== SSN)),
  'married-name': (p) => void (p.name = [{ use: 'official', family: 'Barrett', given: ['Margaret'] }, { use: 'maiden', family: 'Holloway', given: ['Margaret'] }]),
};

/** `person()` registered again with the named corruptions. */
export function duplicateOf(p: TestPatient, id: string, kinds: string[]): TestPatient {
  return reregistered(p, id, (q) => kinds.forEach((k) => corruptions[k](q)));
}

/** A twin of `p`: same surname, address, phone; another first name, another SSN and one birth-date digit apart. */
export function twinOf(p: TestPatient, id: string): TestPatient {
  return reregistered(p, id, (q) => {
    q.name = [{ use: 'official', family: p.name![0].family, given: ['Eleanor'] }];
    q.birthDate = `${p.birthDate!.slice(0, 9)}${(Number(p.birthDate!.slice(9)) + 1) % 10}`;
    q.identifier = q.identifier!.map((i) => (i.system === SSN ? { system: SSN, value: '999-12-9999' } : i));
    q.telecom = q.telecom!.filter((t) => t.system === 'phone');
  });
}

const GIVEN = ['James', 'Robert', 'Linda', 'Susan', 'Thomas', 'Karen', 'Daniel', 'Nancy', 'Paul', 'Sandra', 'Brian', 'Donna', 'Kevin', 'Carol', 'Jason', 'Ruth'];
const TOWNS = ['Worcester', 'Lowell', 'Quincy', 'Lynn', 'Newton', 'Somerville', 'Lawrence', 'Framingham', 'Haverhill', 'Waltham', 'Malden'];
const FAMILY = ['Okafor', 'Lindqvist', 'Pereira', 'Nakamura', 'Brennan', 'Kowalski', 'Haddad', 'Fitzgerald', 'Moreau', 'Tanaka', 'Schultz', 'Delgado', 'Ivanova', 'Whitaker'];

/** `n` people unrelated to `person()` and to each other, deterministic. */
export function strangers(n: number): TestPatient[] {
  return Array.from({ length: n }, (_, i) => ({
    resourceType: 'Patient',
    id: `s${i}`,
    identifier: [MRN(`mrn-s${i}`), { system: SSN, value: `999-${String(40 + (i % 50)).padStart(2, '0')}-${String(1000 + i).padStart(4, '0')}` }],
    name: [{ use: 'official', family: FAMILY[i % FAMILY.length], given: [GIVEN[(i * 7) % GIVEN.length]] }],
    telecom: [{ system: 'phone', value: `555-${String(100 + (i % 900)).padStart(3, '0')}-${String(1000 + i).padStart(4, '0')}` }],
    gender: i % 2 ? 'male' : 'female',
    birthDate: `19${String(30 + (i % 70)).padStart(2, '0')}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + ((i * 5) % 28)).padStart(2, '0')}`,
    address: [{ line: [`${i + 1} ${['Oak', 'Maple', 'Cedar', 'Pine'][i % 4]} Avenue`], city: TOWNS[i % TOWNS.length], postalCode: String(1600 + (i % 97)).padStart(5, '0') }],
  }));
}
