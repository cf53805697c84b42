/**
 * The subscription matcher against the search engine it must agree with: a set of Synthea-shaped resources
 * is stored in a real SQLite store, and for each criteria string the resources `matches` accepts must be
 * exactly the ones the store's own search finds. A drift between the in-memory semantics and the stores'
 * (an alias parameter, a prefix, a modifier) fails here. mayMatch must never refuse one of those matches.
 */
import type { Condition, Encounter, Observation, Patient, Resource } from 'fhir/r4.js';
import { compileCriteria } from '../../src/events/criteria.js';
import { parseSearchQuery } from '../../src/search/parse-query.js';
import type { StoredResource } from '../../src/store/resource-store.js';
import { createSqliteStore, type SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { LOINC, MRN, SNOMED, UCUM, condition, encounter, observation, organization, patient } from '../fixtures/store-resources.js';

const VITALS = 'http://terminology.hl7.org/CodeSystem/observation-category';
const US_CORE = 'http://hl7.org/fhir/us/core/StructureDefinition';
const T0 = Date.parse('2024-03-01T12:00:00.000Z');

/** A deterministic pseudo-random sequence, so the generated values are the same on every run. */
function sequence(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

function bloodPressure(id: string, patientId: string, when: string, systolic: number, diastolic: number): Observation {
  return {
    resourceType: 'Observation',
    id,
    meta: { profile: [`${US_CORE}/us-core-blood-pressure`] },
    status: 'final',
    category: [{ coding: [{ system: VITALS, code: 'vital-signs' }] }],
    code: { coding: [{ system: LOINC, code: '85354-9', display: 'Blood pressure panel' }] },
    subject: { reference: `Patient/${patientId}` },
    encounter: { reference: 'Encounter/enc-1' },
    effectiveDateTime: when,
    component: [
      { code: { coding: [{ system: LOINC, code: '8480-6' }] }, valueQuantity: { value: systolic, unit: 'mm[Hg]', system: UCUM, code: 'mm[Hg]' } },
      { code: { coding: [{ system: LOINC, code: '8462-4' }] }, valueQuantity: { value: diastolic, unit: 'mm[Hg]', system: UCUM, code: 'mm[Hg]' } },
    ],
  };
}

function weight(id: string, patientId: string, when: string, kg: number): Observation {
  return {
    resourceType: 'Observation',
    id,
    status: kg > 90 ? 'amended' : 'final',
    category: [{ coding: [{ system: VITALS, code: 'vital-signs' }] }],
    code: { coding: [{ system: LOINC, code: '29463-7', display: 'Body Weight' }] },
    subject: { reference: `Patient/${patientId}` },
    effectiveDateTime: when,
    valueQuantity: { value: kg, unit: 'kg', system: UCUM, code: 'kg' },
  };
}

/** Generated patients with vitals over 2019-2023, and hand-made resources with the edge cases. */
function resources(): Resource[][] {
  const random = sequence(20);
  const generated: Resource[] = [];
  const names = ['Smith', 'Marquardt', 'Abbott774', 'Van der Berg', 'Müller', 'Óscar', 'Larson'];
  for (let p = 1; p <= 7; p++) {
    const id = `p${p}`;
    generated.push(patient(id, {
      gender: p % 2 === 0 ? 'male' : 'female',
      birthDate: `${1950 + p * 7}-0${(p % 9) + 1}-1${p % 10}`,
      name: [{ use: 'official', family: names[p - 1], given: p === 3 ? ['José'] : ['Anna', `Given${p}`] }],
      telecom: [{ system: 'phone', value: `555-010${p}` }],
      address: [{ line: [`${p} Main St`], city: p < 4 ? 'Boston' : 'Springfield', state: 'MA', postalCode: `0210${p}` }],
      ...(p === 5 ? { deceasedDateTime: '2022-02-02' } : p === 6 ? { deceasedBoolean: false } : {}),
      ...(p === 7 ? { managingOrganization: undefined, generalPractitioner: [{ reference: 'Practitioner/pr-1' }] } : {}),
    }));
    for (let k = 0; k < 5; k++) {
      const month = String(1 + Math.floor(random() * 12)).padStart(2, '0');
      const when = `${2019 + Math.floor(random() * 5)}-${month}-${10 + Math.floor(random() * 18)}T${10 + k}:30:00Z`;
      const kind = k % 3;
      if (kind === 0) generated.push(weight(`w-${p}-${k}`, id, when, Math.round(50 + random() * 50) + (k === 3 ? 0.5 : 0)));
      else if (kind === 1) generated.push(bloodPressure(`bp-${p}-${k}`, id, when, 100 + Math.round(random() * 50), 60 + Math.round(random() * 30)));
      else generated.push(observation(`h-${p}-${k}`, id, when, 150 + Math.round(random() * 40)));
    }
  }
  const special: Resource[] = [
    organization('org-1'),
    encounter('enc-1', 'p1'),
    { ...encounter('enc-2', 'p2', '2021-05-05T08:00:00Z', '2021-05-06T09:00:00Z'), length: { value: 25, unit: 'h', system: UCUM, code: 'h' } } as Encounter,
    { ...encounter('enc-3', 'p3'), period: { start: '2022-07-01T00:00:00+02:00' }, class: { code: 'EMER' }, serviceProvider: { reference: 'Organization/org-2' } } as Encounter,
    condition('c-1', 'p1'),
    { ...condition('c-2', 'p2', '38341003'), onsetDateTime: undefined, onsetPeriod: { start: '2018-01-01' }, abatementString: 'in remission', recordedDate: '2019-03-04' } as Condition,
    { ...condition('c-3', 'p3'), onsetDateTime: '2010-10-10', clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'resolved' }] }, abatementDateTime: '2021-01-01' } as Condition,
    {
      resourceType: 'Observation',
      id: 'lab-1',
      meta: { tag: [{ system: 'urn:tags', code: 'batch-2' }], profile: [`${US_CORE}/us-core-observation-lab`] },
      status: 'preliminary',
      category: [{ coding: [{ system: VITALS, code: 'laboratory' }] }],
      code: { coding: [{ system: LOINC, code: '2339-0' }, { code: 'LOCAL-1' }], text: 'Glucose' },
      subject: { reference: 'http://example.org/fhir/Patient/p1' },
      effectivePeriod: { start: '2021-02-01T00:00:00Z', end: '2021-02-03T00:00:00Z' },
      valueQuantity: { value: 5.4, unit: 'mmol/L', system: UCUM, code: 'mmol/L' },
    } as Observation,
    {
      resourceType: 'Observation',
      id: 'lab-2',
      status: 'final',
      code: { coding: [{ system: 'http://example.org/codes', code: 'sars-pcr' }] },
      subject: { reference: 'Patient/p2' },
      effectiveInstant: '2020-04-01T09:15:00.123Z',
      valueString: 'Positive (detected)',
    } as Observation,
    {
      resourceType: 'Observation',
      id: 'smoke-1',
      status: 'final',
      code: { coding: [{ system: LOINC, code: '72166-2' }] },
      subject: { reference: 'Group/g-1' },
      valueCodeableConcept: { coding: [{ system: SNOMED, code: '266919005' }] },
    } as Observation,
    { ...weight('w-z', 'p2', '2022-02-02T10:00:00Z', 80), subject: { reference: 'Group/p2' } } as Observation,
    { ...weight('w-x', 'p4', '2023', 72.5), valueQuantity: { value: 160, unit: 'lb_av', system: UCUM, code: '[lb_av]' } } as Observation,
    { ...weight('w-y', 'p4', '2023-01', 72), code: { coding: [{ code: '29463-7' }] }, subject: undefined, identifier: [{ system: MRN, value: 'obs/1' }] } as Observation,
  ];
  return [generated.slice(0, 20), generated.slice(20), special];
}

/** Criteria meant to find nothing here: a string value matches from the start of a word group, not inside it. */
const FIND_NOTHING = new Set(['Condition?abatement-string=rem']);

const CRITERIA = [
  'Observation',
  'Observation?patient=Patient/p1',
  'Observation?patient=p2',
  'Observation?patient=http://example.org/fhir/Patient/p1',
  'Observation?subject=Patient/p1',
  'Observation?subject=Patient/p2',
  'Observation?subject=http://example.org/fhir/Patient/p1',
  'Observation?subject:Patient=p3',
  'Observation?subject=g-1',
  'Observation?subject:missing=true',
  `Observation?code=${LOINC}|29463-7`,
  'Observation?code=|LOCAL-1',
  'Observation?code=|29463-7',
  `Observation?code=${LOINC}|`,
  'Observation?combo-code=8480-6',
  'Observation?component-code=8462-4,2339-0',
  'Observation?code:not=29463-7',
  'Observation?code:not=29463-7&code:not=8302-2',
  'Observation?status=final,amended',
  'Observation?status:not=final',
  'Observation?category:not=vital-signs',
  'Observation?value-concept:not=266919005',
  'Observation?category=vital-signs&code=29463-7',
  'Observation?value-quantity=gt75',
  `Observation?value-quantity=le70|${UCUM}|kg`,
  'Observation?value-quantity=72.5',
  'Observation?value-quantity=160||[lb_av]',
  'Observation?value-quantity=ap100',
  'Observation?value-quantity=ne5.4',
  'Observation?component-value-quantity=ge120',
  'Observation?combo-value-quantity=lt70',
  'Observation?date=2020',
  'Observation?date=ge2021-03-01&date=lt2022',
  'Observation?date=sa2021-01-01',
  'Observation?date=eb2021-01-01',
  'Observation?date=ne2020',
  'Observation?date=ap2021-06-01',
  'Observation?date=2021-02',
  'Observation?date=2020-04-01T09:15:00.123Z',
  'Observation?value-string=pos',
  'Observation?value-string:contains=detect',
  'Observation?value-concept:missing=true',
  'Observation?encounter:missing=false',
  'Observation?identifier=obs/1',
  'Observation?_id=h-1-2,lab-1,nope',
  'Observation?_lastUpdated=gt2024-03-01T12:00:30Z',
  'Observation?_lastUpdated=le2024-03-01T12:00:00Z',
  'Observation?_lastUpdated=eb2024-03-01T12:00:30Z',
  'Observation?_tag=urn:tags|batch-2',
  `Observation?_profile:below=${US_CORE}`,
  `Observation?_profile:above=${US_CORE}/us-core-blood-pressure/extra`,
  `Observation?_profile=${US_CORE}/us-core-observation-lab`,
  'Patient?family=smi',
  'Patient?family=van der',
  'Patient?name:contains=ar',
  'Patient?given:exact=josé',
  'Patient?name=muller,oscar',
  'Patient?gender=male&birthdate=lt1980',
  'Patient?birthdate=ap1980',
  `Patient?identifier=${MRN}|mrn-p1`,
  'Patient?deceased=true',
  'Patient?deceased=false',
  'Patient?address-state=MA&address-city=spring',
  'Patient?telecom=555-0104',
  'Patient?general-practitioner:missing=true',
  'Patient?organization=Organization/org-1',
  'Condition?clinical-status=active',
  'Condition?onset-date=ge2015',
  `Condition?code=${SNOMED}|44054006&patient=p1`,
  'Condition?abatement-string=in rem',
  'Condition?abatement-string=rem',
  'Condition?abatement-date=lt2022',
  'Condition?recorded-date=2019',
  'Encounter?date=2020-01-02',
  'Encounter?date=ge2022-06-30T23:00:00Z',
  'Encounter?class=AMB',
  'Encounter?service-provider=org-1',
  'Encounter?length=gt24',
];

describe('the matcher agrees with the SQLite store search', () => {
  let store: SqliteStore;
  const byType = new Map<string, StoredResource[]>();

  beforeAll(async () => {
    let clock = T0;
    store = createSqliteStore({ path: ':memory:', now: () => clock });
    // One write call per batch: each batch gets its own lastUpdated, 30 s apart.
    for (const batch of resources()) {
      await store.write(batch.map((resource) => ({ op: 'create' as const, resource })));
      clock += 30_000;
    }
    for (const type of ['Observation', 'Patient', 'Condition', 'Encounter']) {
      const all = await store.search(parseSearchQuery(type, new URLSearchParams({ _count: '1000' }), { strict: true }).query);
      byType.set(type, all.resources);
    }
  });
  afterAll(() => store.close());

  test.each(CRITERIA)('%s', async (criteria) => {
    const compiled = compileCriteria(criteria);
    const params = new URLSearchParams(criteria.includes('?') ? criteria.slice(criteria.indexOf('?') + 1) : '');
    params.set('_count', '1000');
    const searched = (await store.search(parseSearchQuery(compiled.resourceType, params, { strict: true }).query)).resources.map((r) => r.id).sort();
    const all = byType.get(compiled.resourceType)!;
    const matched = all.filter((r) => compiled.matches(r));
    expect(matched.map((r) => r.id).sort()).toEqual(searched);
    const refused = matched.filter((r) => !compiled.mayMatch(JSON.stringify(r))).map((r) => r.id);
    expect(refused).toEqual([]);
  });

  test('the set is large enough to tell criteria apart, and mayMatch skips most non-matches of selective criteria', () => {
    expect(byType.get('Observation')!.length).toBeGreaterThan(35);
    const compiled = compileCriteria('Observation?patient=Patient/p1');
    const others = byType.get('Observation')!.filter((r) => !compiled.matches(r));
    const skipped = others.filter((r) => !compiled.mayMatch(JSON.stringify(r)));
    expect(skipped.length).toBeGreaterThan(others.length * 0.8);
  });

  test('every criteria string finds something and misses something, so none passes by being trivial', () => {
    const trivial = CRITERIA.filter((criteria) => {
      const compiled = compileCriteria(criteria);
      const all = byType.get(compiled.resourceType)!;
      const n = all.filter((r) => compiled.matches(r)).length;
      return criteria.includes('?') && !FIND_NOTHING.has(criteria) && (n === 0 || n === all.length);
    });
    expect(trivial).toEqual([]);
  });
});
