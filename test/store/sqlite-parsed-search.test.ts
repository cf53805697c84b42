/**
 * End to end from a FHIR query string: parseSearchQuery's SearchQuery run by the SQLite store, checking
 * that the parser's normalised values and ranges meet what the index stored.
 * @see https://hl7.org/fhir/R4/search.html
 */
import { parseSearchQuery } from '../../src/search/parse-query.js';
import type { ResourceStore } from '../../src/store/resource-store.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { encounter, observation, organization, patient } from '../fixtures/store-resources.js';

describe('SQLite store with parsed FHIR queries', () => {
  let store: ResourceStore;
  beforeAll(async () => {
    store = createSqliteStore({ path: ':memory:' });
    await store.write([
      { op: 'create', resource: organization('org-1') },
      { op: 'create', resource: patient('pat-1', { name: [{ family: 'Müller', given: ['José'] }] }) },
      { op: 'create', resource: patient('pat-2', { gender: 'male', birthDate: '1990-01-01' }) },
      { op: 'create', resource: encounter('enc-1') },
      { op: 'create', resource: observation('obs-1', 'pat-1', '2020-01-02T10:00:00Z', 170) },
      { op: 'create', resource: observation('obs-2', 'pat-2', '2021-01-02T10:00:00Z', 180.25) },
    ]);
  });
  afterAll(() => store.close());

  const search = async (type: string, qs: string) => {
    const result = await store.search(parseSearchQuery(type, new URLSearchParams(qs), { strict: true }).query);
    return { ids: result.resources.map((r) => r.id).sort(), total: result.total };
  };

  it.each([
    ['Patient', 'name=muller', ['pat-1']],
    ['Patient', 'family=MÜLL', ['pat-1']],
    ['Patient', 'given:exact=jose', ['pat-1']],
    ['Patient', 'gender=male', ['pat-2']],
    ['Patient', 'birthdate=ge1985', ['pat-2']],
    ['Patient', 'birthdate=1980-05', ['pat-1']],
    ['Patient', 'identifier=http://hospital.smarthealthit.org|mrn-pat-2', ['pat-2']],
    ['Patient', '_id=pat-1,pat-2&gender:not=male', ['pat-1']],
    ['Observation', 'subject=Patient/pat-1', ['obs-1']],
    ['Observation', 'patient=pat-2', ['obs-2']],
    ['Observation', 'code=http://loinc.org|8302-2&date=ge2021', ['obs-2']],
    ['Observation', 'value-quantity=gt175|http://unitsofmeasure.org|cm', ['obs-2']],
    ['Observation', 'value-quantity=180.25', ['obs-2']],
    ['Encounter', 'date=2020-01-02&subject:missing=false', ['enc-1']],
  ])('%s?%s', async (type, qs, expected) => {
    expect((await search(type, qs)).ids).toEqual(expected);
  });

  it('_count, _sort and _summary=count', async () => {
    const page = await store.search(parseSearchQuery('Observation', new URLSearchParams('_count=1&_sort=-date'), { strict: true }).query);
    expect(page.resources.map((r) => r.id)).toEqual(['obs-2']);
    expect(page.total).toBe(2);
    expect(await search('Observation', '_summary=count')).toEqual({ ids: [], total: 2 });
  });
});
