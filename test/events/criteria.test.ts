/**
 * compileCriteria on hand-made resources: each parameter type and modifier with resources that match and
 * resources that do not, the JSON prefilter (never false for a match, whatever the JSON writer escapes), and
 * the criteria that are refused with a 400 at Subscription.criteria.
 */
import type { Condition, Observation, Patient, Resource } from 'fhir/r4.js';
import { compileCriteria } from '../../src/events/criteria.js';
import { OperationOutcomeError } from '../../src/fhir/outcomes.js';
import { LOINC, SNOMED, UCUM, condition, observation, patient } from '../fixtures/store-resources.js';

const STAMP = '2024-03-01T12:00:00.000Z';

/** A resource as the store hands it over: versionId and lastUpdated set. */
function stored<T extends Resource>(resource: T, lastUpdated = STAMP): T {
  return { ...resource, meta: { ...resource.meta, versionId: '1', lastUpdated } };
}

/** Asserts which of `resources` the criteria match (by id), and that mayMatch never refuses one of them. */
function expectMatches(criteria: string, resources: Resource[], expected: string[]): void {
  const compiled = compileCriteria(criteria);
  const found = resources.filter((r) => compiled.matches(r)).map((r) => r.id);
  expect({ criteria, found }).toEqual({ criteria, found: expected });
  for (const r of resources) if (compiled.matches(r)) expect({ criteria, id: r.id, may: compiled.mayMatch(JSON.stringify(r)) }).toMatchObject({ may: true });
}

function expect400(criteria: string, text?: RegExp): void {
  let error: unknown;
  try {
    compileCriteria(criteria);
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(OperationOutcomeError);
  const e = error as OperationOutcomeError;
  expect({ criteria, status: e.status, expression: e.outcome.issue[0].expression }).toEqual({ criteria, status: 400, expression: ['Subscription.criteria'] });
  if (text) expect(e.outcome.issue[0].diagnostics).toMatch(text);
}

const pat1 = stored(patient('pat-1'));
const pat2 = stored(patient('pat-2', { gender: 'male', birthDate: '1990-01-01', name: [{ family: 'Müller', given: ['José'] }], deceasedBoolean: true }));
const pat3: Patient = stored({
  resourceType: 'Patient',
  id: 'pat-3',
  identifier: [{ system: 'urn:oid:1.2.3', value: 'a/b "c"' }, { value: 'no-system' }],
  telecom: [{ system: 'email', value: 'pat3@example.org' }],
  address: [{ city: 'Köln', line: ['Hohe  Straße 1'] }],
});

const obs1 = stored(observation('obs-1', 'pat-1', '2020-01-02T10:00:00Z', 170));
const obs2 = stored(observation('obs-2', 'pat-2', '2021-06-15', 180.25), '2024-03-02T00:00:00.000Z');
const obs3: Observation = stored({
  resourceType: 'Observation',
  id: 'obs-3',
  status: 'preliminary',
  code: { coding: [{ system: LOINC, code: '2339-0', display: 'Glucose' }, { code: 'GLU' }] },
  subject: { reference: 'http://example.org/fhir/Patient/pat-1' },
  effectivePeriod: { start: '2022-01-01T00:00:00Z', end: '2022-01-03T00:00:00Z' },
  valueQuantity: { value: 5.4, unit: 'mmol/L', system: UCUM, code: 'mmol/L' },
  meta: { profile: ['http://example.org/fhir/StructureDefinition/lab-obs'], tag: [{ system: 'urn:tags', code: 'synthetic' }] },
});
const obs4: Observation = stored({
  resourceType: 'Observation',
  id: 'obs-4',
  status: 'final',
  code: { coding: [{ system: LOINC, code: '72166-2' }], text: 'Tobacco smoking status' },
  subject: { reference: 'Group/g-1' },
  valueCodeableConcept: { coding: [{ system: SNOMED, code: '266919005', display: 'Never smoker' }] },
});
const observations = [obs1, obs2, obs3, obs4];
const patients = [pat1, pat2, pat3];

describe('token', () => {
  test('code, system|code, |code, system|', () => {
    expectMatches('Observation?code=8302-2', observations, ['obs-1', 'obs-2']);
    expectMatches(`Observation?code=${LOINC}|2339-0`, observations, ['obs-3']);
    expectMatches(`Observation?code=${SNOMED}|2339-0`, observations, []);
    expectMatches('Observation?code=|GLU', observations, ['obs-3']);
    expectMatches('Observation?code=|2339-0', observations, []);
    expectMatches(`Observation?code=${LOINC}|`, observations, ['obs-1', 'obs-2', 'obs-3', 'obs-4']);
    expectMatches(`Observation?value-concept=${SNOMED}|266919005`, observations, ['obs-4']);
  });

  test('codes are case-sensitive; comma is OR, repetition is AND', () => {
    expectMatches('Observation?code=glu', observations, []);
    expectMatches('Observation?code=2339-0,72166-2', observations, ['obs-3', 'obs-4']);
    expectMatches('Observation?code=2339-0&code=GLU', observations, ['obs-3']);
    expectMatches('Observation?code=2339-0&code=8302-2', observations, []);
  });

  test(':not matches resources without a matching value, those without the parameter included', () => {
    expectMatches('Observation?status:not=final', observations, ['obs-3']);
    // Values are ORed: each resource lacks one of the two codes.
    expectMatches('Observation?code:not=8302-2,2339-0', observations, ['obs-1', 'obs-2', 'obs-3', 'obs-4']);
    expectMatches('Observation?code:not=8302-2&code:not=2339-0', observations, ['obs-4']);
    expectMatches('Patient?gender:not=female', patients, ['pat-2', 'pat-3']);
  });

  test(':missing', () => {
    expectMatches('Observation?value-concept:missing=false', observations, ['obs-4']);
    expectMatches('Observation?value-concept:missing=true', observations, ['obs-1', 'obs-2', 'obs-3']);
  });

  test('identifiers, booleans computed by the expression, ContactPoint values, meta tags', () => {
    expectMatches('Patient?identifier=urn:oid:1.2.3|a/b "c"', patients, ['pat-3']);
    expectMatches('Patient?identifier=|no-system', patients, ['pat-3']);
    expectMatches('Patient?deceased=true', patients, ['pat-2']);
    expectMatches('Patient?deceased=false', patients, ['pat-1', 'pat-3']);
    expectMatches('Patient?email=pat3@example.org', patients, ['pat-3']);
    expectMatches('Observation?_tag=urn:tags|synthetic', observations, ['obs-3']);
  });
});

describe('string', () => {
  test('normalised starts-with by default, :exact, :contains', () => {
    expectMatches('Patient?family=smi', patients, ['pat-1']);
    expectMatches('Patient?family=MUL', patients, ['pat-2']);
    expectMatches('Patient?given=jose', patients, ['pat-2']);
    expectMatches('Patient?family=ith', patients, []);
    expectMatches('Patient?family:contains=ith', patients, ['pat-1']);
    expectMatches('Patient?family:exact=smith', patients, ['pat-1']);
    expectMatches('Patient?family:exact=smit', patients, []);
    expectMatches('Patient?address-city=koln', patients, ['pat-3']);
    expectMatches('Patient?address=hohe straße', patients, ['pat-3']);
    expectMatches('Patient?name=anna,müller', patients, ['pat-1', 'pat-2']);
  });

  test(':missing', () => {
    expectMatches('Patient?family:missing=true', patients, ['pat-3']);
  });
});

describe('reference', () => {
  test('Type/id, id alone, a type modifier, absolute URLs as written', () => {
    expectMatches('Observation?subject=Patient/pat-1', observations, ['obs-1']);
    expectMatches('Observation?patient=pat-2', observations, ['obs-2']);
    expectMatches('Observation?subject:Patient=pat-2', observations, ['obs-2']);
    expectMatches('Observation?subject=g-1', observations, ['obs-4']);
    expectMatches('Observation?patient=g-1', observations, []);
    expectMatches('Observation?subject=http://example.org/fhir/Patient/pat-1', observations, ['obs-3']);
    expectMatches('Observation?subject=Patient/pat-1,Group/g-1', observations, ['obs-1', 'obs-4']);
    expectMatches('Observation?patient:missing=true', observations, ['obs-4']);
  });
});

describe('date', () => {
  test('prefixes against the value interval', () => {
    expectMatches('Observation?date=2020-01-02', observations, ['obs-1']);
    expectMatches('Observation?date=2020', observations, ['obs-1']);
    expectMatches('Observation?date=2021-06', observations, ['obs-2']);
    expectMatches('Observation?date=ge2021-06-15', observations, ['obs-2', 'obs-3']);
    expectMatches('Observation?date=gt2021-06-15', observations, ['obs-3']);
    expectMatches('Observation?date=le2021-06-15', observations, ['obs-1', 'obs-2']);
    expectMatches('Observation?date=lt2021-06-15', observations, ['obs-1']);
    expectMatches('Observation?date=ne2021-06-15', observations, ['obs-1', 'obs-3']);
    expectMatches('Observation?date=sa2021-06-15', observations, ['obs-3']);
    expectMatches('Observation?date=eb2021-06-15', observations, ['obs-1']);
    expectMatches('Observation?date=ap2020-01-01', observations, ['obs-1']);
  });

  test('a Period is one interval: eq needs it all inside, overlap is enough for gt/lt', () => {
    expectMatches('Observation?date=2022-01-02', observations, []);
    expectMatches('Observation?date=2022-01', observations, ['obs-3']);
    expectMatches('Observation?date=gt2022-01-02', observations, ['obs-3']);
    expectMatches('Observation?date=lt2022-01-02', observations, ['obs-1', 'obs-2', 'obs-3']);
    expectMatches('Observation?date=ge2022-01-01T00:00:00Z&date=lt2022-01-05', observations, ['obs-3']);
  });

  test('times with zones, the `+` of a zone decoded to a space', () => {
    expectMatches('Observation?date=2020-01-02T11:00:00+01:00', observations, ['obs-1']);
    expectMatches('Observation?date=ge2020-01-02T11:00:01+01:00', observations, ['obs-2', 'obs-3']);
  });

  test('Condition onset and abatement choice types', () => {
    const conditions: Condition[] = [
      stored(condition('c-1')),
      stored({ ...condition('c-2'), onsetDateTime: undefined, onsetPeriod: { start: '2018-01-01' }, abatementString: 'in remission' }),
    ];
    expectMatches('Condition?onset-date=lt2016', conditions, ['c-1']);
    expectMatches('Condition?onset-date=gt2030', conditions, ['c-2']);
    expectMatches('Condition?abatement-string=in rem', conditions, ['c-2']);
  });
});

describe('number and quantity', () => {
  test('implicit precision for eq, exact values for the other prefixes', () => {
    expectMatches('Observation?value-quantity=170', observations, ['obs-1']);
    expectMatches('Observation?value-quantity=5.4', observations, ['obs-3']);
    expectMatches('Observation?value-quantity=5', observations, ['obs-3']);
    expectMatches('Observation?value-quantity=5.0', observations, []);
    expectMatches('Observation?value-quantity=1.8e2', observations, ['obs-2']);
    expectMatches('Observation?value-quantity=gt170', observations, ['obs-2']);
    expectMatches('Observation?value-quantity=ge170', observations, ['obs-1', 'obs-2']);
    expectMatches('Observation?value-quantity=lt170', observations, ['obs-3']);
    expectMatches('Observation?value-quantity=le5.4', observations, ['obs-3']);
    expectMatches('Observation?value-quantity=ne170', observations, ['obs-2', 'obs-3']);
    expectMatches('Observation?value-quantity=ap5', observations, ['obs-3']);
  });

  test('system|code and ||code units', () => {
    expectMatches(`Observation?value-quantity=gt0|${UCUM}|cm`, observations, ['obs-1', 'obs-2']);
    expectMatches('Observation?value-quantity=5.4||mmol/L', observations, ['obs-3']);
    expectMatches('Observation?value-quantity=5.4|http://other|mmol/L', observations, []);
  });
});

describe('uri', () => {
  test('exact, :below, :above', () => {
    const profile = 'http://example.org/fhir/StructureDefinition/lab-obs';
    expectMatches(`Observation?_profile=${profile}`, observations, ['obs-3']);
    expectMatches('Observation?_profile=http://example.org/fhir', observations, []);
    expectMatches('Observation?_profile:below=http://example.org/fhir', observations, ['obs-3']);
    expectMatches(`Observation?_profile:above=${profile}/v2`, observations, ['obs-3']);
    expectMatches('Observation?_profile:above=http://example.org', observations, []);
  });
});

describe('_id, _lastUpdated, the type', () => {
  test('_id values ORed', () => {
    expectMatches('Patient?_id=pat-1,pat-3', patients, ['pat-1', 'pat-3']);
  });

  test('_lastUpdated from meta.lastUpdated', () => {
    expectMatches('Observation?_lastUpdated=gt2024-03-01T12:00:00Z', observations, ['obs-2']);
    expectMatches('Observation?_lastUpdated=2024-03-01', observations, ['obs-1', 'obs-3', 'obs-4']);
  });

  test('a bare type matches all of its resources and no other', () => {
    const compiled = compileCriteria('Observation');
    expect(compiled).toMatchObject({ resourceType: 'Observation', text: 'Observation' });
    expect([...observations, ...patients].filter((r) => compiled.matches(r)).map((r) => r.id)).toEqual(['obs-1', 'obs-2', 'obs-3', 'obs-4']);
    expect(compileCriteria('Patient?').matches(pat1)).toBe(true);
    expect(compileCriteria('Patient?_id=pat-1').matches({ ...obs1, id: 'pat-1' })).toBe(false);
  });
});

describe('mayMatch', () => {
  /** The JSON as other writers might send it: `/` as `\/`, everything non-ASCII as `\u` escapes, indented. */
  const variants = (r: Resource): string[] => {
    const json = JSON.stringify(r);
    return [
      json,
      JSON.stringify(r, null, 2),
      json.replace(/\//g, '\\/'),
      json.replace(/[^\u0000-\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
    ];
  };

  test.each([
    'Observation?patient=Patient/pat-1',
    'Observation?subject=http://example.org/fhir/Patient/pat-1',
    `Observation?code=${LOINC}|2339-0`,
    'Observation?value-quantity=5.4||mmol/L',
    'Observation?_profile:below=http://example.org/fhir',
    'Patient?identifier=urn:oid:1.2.3|a/b "c"',
    'Patient?given=jose',
    'Patient?family=müller',
    'Patient?address-city=koln',
    'Patient?address=hohe straße',
    'Patient?deceased=false',
    'Patient?_id=pat-3',
  ])('never false for a match of %s, however the JSON is escaped', (criteria) => {
    const compiled = compileCriteria(criteria);
    const matched = [...observations, ...patients].filter((r) => compiled.matches(r));
    expect(matched.length).toBeGreaterThan(0);
    for (const r of matched) for (const json of variants(r)) expect({ json, may: compiled.mayMatch(json) }).toMatchObject({ may: true });
  });

  test('rules out resources without the needed text', () => {
    expect(compileCriteria('Observation?patient=pat-2').mayMatch(JSON.stringify(obs1))).toBe(false);
    expect(compileCriteria('Observation?code=2339-0,72166-2').mayMatch(JSON.stringify(obs1))).toBe(false);
    expect(compileCriteria('Observation?code=2339-0,72166-2').mayMatch(JSON.stringify(obs4))).toBe(true);
    expect(compileCriteria('Patient?family=muller').mayMatch(JSON.stringify(pat1))).toBe(false);
    // Non-ASCII JSON: an accented letter could stand for the one looked for.
    expect(compileCriteria('Patient?family=smith').mayMatch(JSON.stringify(pat2))).toBe(true);
    expect(compileCriteria('Observation').mayMatch(JSON.stringify(pat1))).toBe(false);
  });

  test('a numeric code is looked for as written, unless the JSON may write a number another way', () => {
    const compiled = compileCriteria(`Condition?code=${SNOMED}|44054006`);
    const json = (code: string) => `{"resourceType":"Condition","code":{"coding":[{"system":"${SNOMED}","code":${code}}]}}`;
    expect(compiled.mayMatch(json('"44054006"'))).toBe(true);
    expect(compiled.mayMatch(json('44054006.0'))).toBe(true);
    expect(compiled.mayMatch(json('4.4054006e7'))).toBe(true);
    expect(compiled.mayMatch(json('44054005.99999999999999'))).toBe(true);
    expect(compiled.mayMatch(json('"44054007"'))).toBe(false);
    expect(compiled.mayMatch(json('44054007'))).toBe(false);
  });

  test('no check where the index computes or transforms the value', () => {
    const json = JSON.stringify(pat1);
    expect(compileCriteria('Patient?deceased=false').mayMatch(json)).toBe(true);
    expect(compileCriteria('Patient?gender:not=male').mayMatch(json)).toBe(true);
    expect(compileCriteria('Patient?birthdate=1980').mayMatch(json)).toBe(true);
    expect(compileCriteria('Patient?name=zzz').mayMatch(json.replace('Smith', 'Sm\\u0069th'))).toBe(true);
  });
});

describe('refused criteria: 400 at Subscription.criteria', () => {
  test.each([
    ['Foo?name=x', /Foo/],
    ['observation', /not an R4 resource type/],
    ['', /resource type/],
    ['?code=1', /resource type/],
    ['Observation?nope=1', /nope/],
    ['Observation?subject.name=x', /chained/],
    ['Observation?subject:Patient.name=x', /chained/],
    ['Patient?_has:Observation:patient:code=1', /_has/],
    ['Observation?_sort=date', /_sort/],
    ['Observation?_count=10', /_count/],
    ['Observation?_summary=true', /_summary/],
    ['Observation?_elements=code', /_elements/],
    ['Observation?_total=accurate', /_total/],
    ['Observation?_include=Observation:subject', /_include/],
    ['Patient?_revinclude=Provenance:target', /_revinclude/],
    ['Observation?code-value-quantity=8302-2$gt100', /composite/],
    ['Observation?_text=smoker', /_text/],
    ['Observation?_content=smoker', /_content/],
    ['Observation?_query=x', /_query/],
    ['Observation?date=2020-13-01', /date/],
    ['Observation?date=yesterday', /date/],
    ['Observation?code=a|b|c', /token/],
    ['Observation?code=', /no value/],
    ['Observation?code:text=x', /text/],
    ['Observation?value-quantity=abc', /number/],
    ['Observation?subject:Device=Patient/1', /Device/],
  ])('%s', (criteria, text) => expect400(criteria, text));
});
