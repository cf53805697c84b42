/** Contract: search by every indexed parameter type, prefix and modifier, with AND/OR semantics. */
import type { Observation, Resource } from 'fhir/r4.js';
import type { Predicate } from '../../src/search/types.js';
import { LOINC, SNOMED, UCUM, US_CORE_PATIENT, condition, encounter, observation, organization, patient } from '../fixtures/store-resources.js';
import type { StoreGetter } from './contract.js';
import { criterion as c, ids, idSet, ms, query as q, range } from './contract-helpers.js';

const weight = (id: string, value: number): Observation => ({
  ...observation(id, 'pat-2', '2021-06-01T08:00:00Z', value),
  code: { coding: [{ system: LOINC, code: '29463-7', display: 'Body Weight' }] },
  valueQuantity: { value, unit: 'kg', system: UCUM, code: 'kg' },
});

export function searchContract(get: StoreGetter): void {
  beforeEach(async () => {
    await get().write([
      { op: 'create', resource: organization('org-1') },
      { op: 'create', resource: patient('pat-1') },
      { op: 'create', resource: patient('pat-2', { gender: 'male', birthDate: '1990-01-01', name: [{ family: 'Jones', given: ['Bob'] }] }) },
      { op: 'create', resource: patient('pat-3', { birthDate: '2000-12-31', name: [{ family: 'Smithson', given: ['Carla'] }] }) },
      { op: 'create', resource: patient('pat-4', { birthDate: undefined, meta: undefined, name: [{ family: 'Ab%c_d' }] }) },
      { op: 'create', resource: encounter('enc-1') },
      { op: 'create', resource: observation('obs-150', 'pat-1', '2020-01-02T10:00:00Z', 150) },
      { op: 'create', resource: observation('obs-170', 'pat-1', '2020-03-01T10:00:00Z', 170) },
      { op: 'create', resource: { ...observation('obs-190', 'pat-3', '2020-05-01T10:00:00Z', 190), encounter: { reference: 'urn:uuid:9b3c' } } },
      { op: 'create', resource: weight('obs-w', 80) },
      { op: 'create', resource: condition('cond-1') },
    ]);
  });
  const token = (system?: string | null, value?: string, not?: boolean) => ({ kind: 'token' as const, system, value, not });
  const date = (prefix: 'eq' | 'ne' | 'gt' | 'lt' | 'ge' | 'le' | 'sa' | 'eb' | 'ap', value: string) => ({ kind: 'date' as const, prefix, ...range(value) });
  type NumberPredicate = Extract<Predicate, { kind: 'number' }>;
  const num = (prefix: NumberPredicate['prefix'], value: number, system?: string | null, unit?: string): NumberPredicate =>
    ({ kind: 'number', prefix, lo: value - 0.5, hi: value + 0.5, system, unit });
  const find = (type: string, ...criteria: ReturnType<typeof c>[]) => idSet(get(), q(type, criteria));

  it('token: system|code, code in any system, |code without system, system| only', async () => {
    expect(await find('Observation', c('code', 'token', token(LOINC, '8302-2')))).toEqual(['obs-150', 'obs-170', 'obs-190']);
    expect(await find('Observation', c('code', 'token', token(undefined, '29463-7')))).toEqual(['obs-w']);
    expect(await find('Observation', c('code', 'token', token(SNOMED, '8302-2')))).toEqual([]);
    expect(await find('Observation', c('code', 'token', token(null, '8302-2')))).toEqual([]);
    expect(await find('Patient', c('gender', 'token', token(null, 'male')))).toEqual(['pat-2']);
    expect(await find('Observation', c('code', 'token', token(LOINC)))).toEqual(['obs-150', 'obs-170', 'obs-190', 'obs-w']);
    expect(await find('Condition', c('code', 'token', token(SNOMED, '44054006')))).toEqual(['cond-1']);
  });

  it('token :not excludes resources with the value, keeps those without it', async () => {
    expect(await find('Observation', c('code', 'token', token(undefined, '8302-2', true)))).toEqual(['obs-w']);
    expect(await find('Patient', c('gender', 'token', token(undefined, 'female', true)))).toEqual(['pat-2']);
  });

  it('token values are ORed within a criterion, criteria ANDed', async () => {
    const either = c('gender', 'token', token(undefined, 'male'), token(undefined, 'female'));
    expect(await find('Patient', either)).toEqual(['pat-1', 'pat-2', 'pat-3', 'pat-4']);
    expect(await find('Patient', either, c('birthdate', 'date', date('ge', '1990')))).toEqual(['pat-2', 'pat-3']);
    expect(await find('Patient', c('gender', 'token', token(undefined, 'male')), c('gender', 'token', token(undefined, 'female')))).toEqual([]);
  });

  it('string: prefix by default, exact, contains; LIKE wildcards match literally', async () => {
    const str = (value: string, match: 'prefix' | 'exact' | 'contains') => ({ kind: 'string' as const, value, match });
    expect(await find('Patient', c('family', 'string', str('smith', 'prefix')))).toEqual(['pat-1', 'pat-3']);
    expect(await find('Patient', c('family', 'string', str('smith', 'exact')))).toEqual(['pat-1']);
    expect(await find('Patient', c('family', 'string', str('mit', 'contains')))).toEqual(['pat-1', 'pat-3']);
    expect(await find('Patient', c('name', 'string', str('bo', 'prefix')))).toEqual(['pat-2']);
    expect(await find('Patient', c('family', 'string', str('%', 'contains')))).toEqual(['pat-4']);
    expect(await find('Patient', c('family', 'string', str('_', 'contains')))).toEqual(['pat-4']);
    expect(await find('Patient', c('family', 'string', str('ab%c', 'prefix')))).toEqual(['pat-4']);
    expect(await find('Patient', c('family', 'string', str('a_', 'prefix')))).toEqual([]);
  });

  it('date prefixes follow the R4 range rules', async () => {
    const born = (prefix: Parameters<typeof date>[0], value: string) => find('Patient', c('birthdate', 'date', date(prefix, value)));
    expect(await born('eq', '1980')).toEqual(['pat-1']);
    expect(await born('eq', '1980-05-17')).toEqual(['pat-1']);
    expect(await born('eq', '1980-05-18')).toEqual([]);
    expect(await born('ne', '1980')).toEqual(['pat-2', 'pat-3']);
    expect(await born('gt', '1990-01-01')).toEqual(['pat-3']);
    expect(await born('ge', '1990-01-01')).toEqual(['pat-2', 'pat-3']);
    expect(await born('lt', '1990-01-01')).toEqual(['pat-1']);
    expect(await born('le', '1990-01-01')).toEqual(['pat-1', 'pat-2']);
    expect(await born('sa', '1980-05-17')).toEqual(['pat-2', 'pat-3']);
    expect(await born('eb', '1990-01-01')).toEqual(['pat-1']);
    expect(await born('ap', '1990-01-01')).toEqual(['pat-2']);
  });

  it('date ranges of the resource (Period) compare as ranges, not points', async () => {
    const instant = (prefix: 'eq' | 'gt' | 'sa' | 'lt', iso: string) => ({ kind: 'date' as const, prefix, lo: ms(iso), hi: ms(iso) + 1000 });
    const enc = (p: ReturnType<typeof instant> | ReturnType<typeof date>) => find('Encounter', c('date', 'date', p));
    expect(await enc(date('eq', '2020-01-02'))).toEqual(['enc-1']);
    expect(await enc(instant('eq', '2020-01-02T09:30:00Z'))).toEqual([]);
    expect(await enc(instant('gt', '2020-01-02T09:30:00Z'))).toEqual(['enc-1']);
    expect(await enc(instant('lt', '2020-01-02T09:30:00Z'))).toEqual(['enc-1']);
    expect(await enc(instant('sa', '2020-01-02T09:30:00Z'))).toEqual([]);
    expect(await enc(instant('sa', '2020-01-02T08:00:00Z'))).toEqual(['enc-1']);
  });

  it('quantity: prefixes against the stated value, eq within its precision, system and unit', async () => {
    const height = (p: NumberPredicate) => find('Observation', c('value-quantity', 'quantity', p), c('code', 'token', token(LOINC, '8302-2')));
    expect(await height(num('eq', 170))).toEqual(['obs-170']);
    expect(await height({ kind: 'number', prefix: 'eq', lo: 170.2, hi: 170.2 })).toEqual([]);
    expect(await height(num('ne', 170))).toEqual(['obs-150', 'obs-190']);
    expect(await height(num('gt', 170))).toEqual(['obs-190']);
    expect(await height(num('ge', 170))).toEqual(['obs-170', 'obs-190']);
    expect(await height(num('lt', 170))).toEqual(['obs-150']);
    expect(await height(num('le', 170))).toEqual(['obs-150', 'obs-170']);
    expect(await height(num('ap', 170))).toEqual(['obs-170']);
    expect(await height(num('ge', 0, UCUM, 'cm'))).toEqual(['obs-150', 'obs-170', 'obs-190']);
    expect(await height(num('ge', 0, UCUM, 'mm'))).toEqual([]);
    expect(await height(num('ge', 0, 'http://other'))).toEqual([]);
    expect(await find('Observation', c('value-quantity', 'quantity', num('ge', 0, undefined, 'kg')))).toEqual(['obs-w']);
  });

  it('reference: Type/id, id alone, and a non-relative url', async () => {
    const ref = (p: { type?: string; id?: string; url?: string }) => ({ kind: 'reference' as const, ...p });
    expect(await find('Observation', c('subject', 'reference', ref({ type: 'Patient', id: 'pat-1' })))).toEqual(['obs-150', 'obs-170']);
    expect(await find('Observation', c('patient', 'reference', ref({ id: 'pat-3' })))).toEqual(['obs-190']);
    expect(await find('Observation', c('subject', 'reference', ref({ type: 'Group', id: 'pat-1' })))).toEqual([]);
    expect(await find('Observation', c('encounter', 'reference', ref({ url: 'urn:uuid:9b3c' })))).toEqual(['obs-190']);
    expect(await find('Patient', c('organization', 'reference', ref({ type: 'Organization', id: 'org-1' })))).toEqual(['pat-1', 'pat-2', 'pat-3', 'pat-4']);
  });

  it('uri: exact, below and above', async () => {
    const uri = (value: string, match: 'exact' | 'below' | 'above') => find('Patient', c('_profile', 'uri', { kind: 'uri', value, match }));
    expect(await uri(US_CORE_PATIENT, 'exact')).toEqual(['pat-1', 'pat-2', 'pat-3']);
    expect(await uri('http://hl7.org/fhir/us/core', 'exact')).toEqual([]);
    expect(await uri('http://hl7.org/fhir/us/core', 'below')).toEqual(['pat-1', 'pat-2', 'pat-3']);
    expect(await uri('http://hl7.org/fhir/us/other', 'below')).toEqual([]);
    expect(await uri(`${US_CORE_PATIENT}/extra`, 'above')).toEqual(['pat-1', 'pat-2', 'pat-3']);
    expect(await uri('http://hl7.org/fhir/us', 'above')).toEqual([]);
  });

  it('_source: the whole value with its fragment, below within the base or into the fragment, above, :missing, sort', async () => {
    const file = 'urn:medgen:job:j1/a%20b.json';
    // A new meta.source alone leaves content unchanged (sameContent), so each put also drops the fixture's meta.profile or changes a value.
    const sourced = (resource: Resource, source: string) => ({ op: 'put' as const, resource: { ...resource, meta: { source } } as Resource & { id: string } });
    await get().write([
      sourced(patient('pat-1'), `${file}#entry-1`),
      sourced(patient('pat-2'), `${file}#entry-10`),
      sourced(patient('pat-3'), file),
      sourced(patient('pat-4', { gender: 'other' }), `${file}#`),
      sourced(observation('obs-150', 'pat-1', '2020-01-02T10:00:00Z', 151), `${file}#entry-1`),
      sourced(organization('org-1', 'Renamed'), 'urn:medgen:rest#request-7'),
    ]);
    const source = (type: string, value: string, match: 'exact' | 'below' | 'above' = 'exact') => find(type, c('_source', 'uri', { kind: 'uri', value, match }));
    expect(await source('Patient', `${file}#entry-1`)).toEqual(['pat-1']);
    expect(await source('Observation', `${file}#entry-1`)).toEqual(['obs-150']);
    expect(await source('Patient', file)).toEqual(['pat-3']);
    expect(await source('Patient', `${file}#`)).toEqual(['pat-4']);
    expect(await source('Patient', `${file}#entry`)).toEqual([]);
    expect(await source('Patient', 'urn:medgen:job:j1/a%20b')).toEqual([]);
    expect(await source('Patient', 'urn:medgen:job:j1', 'below')).toEqual(['pat-1', 'pat-2', 'pat-3', 'pat-4']);
    expect(await source('Patient', `${file}#entry-1`, 'below')).toEqual(['pat-1', 'pat-2']);
    expect(await source('Patient', `${file}#`, 'below')).toEqual(['pat-1', 'pat-2', 'pat-4']);
    expect(await source('Patient', 'urn:medgen:job:j2', 'below')).toEqual([]);
    expect(await source('Patient', `${file}#entry-10`, 'above')).toEqual(['pat-1', 'pat-2', 'pat-3', 'pat-4']);
    expect(await source('Patient', `${file}#entry-2`, 'above')).toEqual(['pat-3', 'pat-4']);
    expect(await source('Organization', 'urn:medgen:rest#request-7', 'above')).toEqual(['org-1']);
    expect(await source('Organization', 'urn:medgen:rest#request', 'above')).toEqual([]);
    expect(await find('Observation', c('_source', 'uri', { kind: 'missing', missing: true }))).toEqual(['obs-170', 'obs-190', 'obs-w']);
    expect(await find('Observation', c('_source', 'uri', { kind: 'missing', missing: false }))).toEqual(['obs-150']);
    const sorted = (descending: boolean) => ids(get(), q('Patient', [], { sort: [{ param: '_source', type: 'uri', descending }] }));
    expect(await sorted(false)).toEqual(['pat-3', 'pat-4', 'pat-1', 'pat-2']);
    expect(await sorted(true)).toEqual(['pat-2', 'pat-1', 'pat-4', 'pat-3']);
    await get().delete('Patient', 'pat-1');
    await get().write([sourced(patient('pat-2', { gender: 'other' }), 'urn:medgen:job:j2')]);
    expect(await source('Patient', 'urn:medgen:job:j1', 'below')).toEqual(['pat-3', 'pat-4']);
    expect(await source('Patient', 'urn:medgen:job:j2')).toEqual(['pat-2']);
  });

  it(':missing true and false', async () => {
    expect(await find('Patient', c('birthdate', 'date', { kind: 'missing', missing: true }))).toEqual(['pat-4']);
    expect(await find('Patient', c('birthdate', 'date', { kind: 'missing', missing: false }))).toEqual(['pat-1', 'pat-2', 'pat-3']);
  });

  it('_id and _lastUpdated are answered from the resource itself', async () => {
    expect(await find('Patient', c('_id', '_id', token(undefined, 'pat-2'), token(undefined, 'pat-3')))).toEqual(['pat-2', 'pat-3']);
    expect(await find('Patient', c('_id', '_id', token(undefined, 'obs-150')))).toEqual([]);
    const first = await get().read('Patient', 'pat-1');
    await new Promise((resolve) => setTimeout(resolve, 5));
    const later = await get().create(patient('pat-5'));
    const t = Date.parse(later.meta.lastUpdated);
    const lu = (prefix: 'ge' | 'lt' | 'eq', lo: number, hi: number) => find('Patient', c('_lastUpdated', '_lastUpdated', { kind: 'date', prefix, lo, hi }));
    expect(await lu('ge', t, t + 1)).toEqual(['pat-5']);
    expect(await lu('lt', t, t + 1)).toEqual(['pat-1', 'pat-2', 'pat-3', 'pat-4']);
    const f = Date.parse(first.meta.lastUpdated);
    expect(await lu('eq', f, f + 1)).toEqual(['pat-1', 'pat-2', 'pat-3', 'pat-4']);
  });

  it('only live current versions match', async () => {
    await get().update({ ...patient('pat-2'), gender: 'female' } as never);
    await get().delete('Patient', 'pat-3');
    expect(await find('Patient', c('gender', 'token', token(undefined, 'male')))).toEqual([]);
    expect(await find('Patient', c('gender', 'token', token(undefined, 'female')))).toEqual(['pat-1', 'pat-2', 'pat-4']);
    expect(await find('Patient')).toEqual(['pat-1', 'pat-2', 'pat-4']);
    expect(await find('Patient', c('family', 'string', { kind: 'string', value: 'smithson', match: 'exact' }))).toEqual([]);
  });

  it('a parameter the store has never seen matches nothing (and :missing=true everything)', async () => {
    expect(await find('Patient', c('no-such-param', 'token', token(undefined, 'x')))).toEqual([]);
    expect(await find('Patient', c('no-such-param', 'token', { kind: 'missing', missing: true }))).toEqual(['pat-1', 'pat-2', 'pat-3', 'pat-4']);
  });
}
