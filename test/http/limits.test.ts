/**
 * Server limits answer 4xx OperationOutcomes naming the limit, never 500s: search values MongoDB could not
 * turn into a query (query-limits.ts) and resources larger than a MongoDB document (document-limit.ts),
 * refused by the SQLite store as the MongoDB store refuses them.
 */
import request from 'supertest';
import { FHIR_JSON, makeTestApp, patient, type TestApp } from './test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
  await request(t.app).post('/fhir/Patient').set('Content-Type', FHIR_JSON).send(patient('Limit'));
});
afterAll(() => t.close());

function expectOutcome(res: request.Response, status: number, expression: string | undefined, diagnostics: RegExp): void {
  expect(res.status).toBe(status);
  expect(res.body.resourceType).toBe('OperationOutcome');
  expect(res.body.issue[0].severity).toBe('error');
  expect(res.body.issue[0].expression).toEqual(expression === undefined ? undefined : [expression]);
  expect(res.body.issue[0].diagnostics).toMatch(diagnostics);
}

describe('search limits: 400 naming the parameter and the limit', () => {
  test('17 _sort keys', async () => {
    const keys = ['family', '-given', 'birthdate', 'gender', 'name', 'address', 'address-city', 'address-state', 'address-postalcode',
      'address-country', 'phone', 'email', 'telecom', 'identifier', 'organization', 'general-practitioner', 'language'];
    const res = await request(t.app).get('/fhir/Patient').query({ _sort: keys.join(',') });
    expectOutcome(res, 400, '_sort', /17 keys.*at most 15/);
  });

  test('name:contains with 5000 characters', async () => {
    const res = await request(t.app).get('/fhir/Patient').query({ 'name:contains': 'a'.repeat(5000) });
    expectOutcome(res, 400, 'name:contains', /5000 characters.*at most 4096/);
  });

  test('name:contains with %00', async () => {
    expectOutcome(await request(t.app).get('/fhir/Patient?name:contains=li%00mit'), 400, 'name:contains', /NUL/);
  });

  test('uri :above with 5000 characters', async () => {
    const res = await request(t.app).get('/fhir/ValueSet').query({ 'url:above': `http://x.org/${'a'.repeat(4987)}` });
    expectOutcome(res, 400, 'url:above', /5000 characters.*at most 1024/);
  });

  test('within the limits the search runs', async () => {
    const res = await request(t.app).get('/fhir/Patient').query({ 'name:contains': 'imi', _sort: 'family,-birthdate' });
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(1);
  });
});

describe('resource size limit: 413 naming the 16 MiB limit', () => {
  // Over MongoDB's 16 MiB document, under the 50 MB request body limit.
  const big = { resourceType: 'Basic', code: { text: 'big' }, extension: [{ url: 'http://x.org/blob', valueString: 'x'.repeat(17_000_000) }] };

  test('POST of a Basic with a 17 MB string', async () => {
    const res = await request(t.app).post('/fhir/Basic').set('Content-Type', FHIR_JSON).send(JSON.stringify(big));
    expectOutcome(res, 413, undefined, /16 MiB \(16777216 bytes\)/);
    expect(res.body.issue[0].code).toBe('too-long');
    expect((await request(t.app).get('/fhir/Basic').query({ _summary: 'count' })).body.total).toBe(0);
  });

  test('PUT of the same resource', async () => {
    const res = await request(t.app).put('/fhir/Basic/big').set('Content-Type', FHIR_JSON).send(JSON.stringify({ ...big, id: 'big' }));
    expectOutcome(res, 413, undefined, /16 MiB/);
    expect((await request(t.app).get('/fhir/Basic/big')).status).toBe(404);
  });

  test('a batch Bundle entry with it fails alone', async () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'batch',
      entry: [
        { resource: big, request: { method: 'POST', url: 'Basic' } },
        { resource: patient('Small'), request: { method: 'POST', url: 'Patient' } },
      ],
    };
    const res = await request(t.app).post('/fhir').set('Content-Type', FHIR_JSON).send(JSON.stringify(bundle));
    expect(res.status).toBe(200);
    expect(res.body.entry.map((e: { response: { status: string } }) => e.response.status)).toEqual(['413', '201 Created']);
    expect(res.body.entry[0].response.outcome.issue[0].diagnostics).toMatch(/16 MiB/);
  });
});
