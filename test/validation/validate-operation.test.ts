import request from 'supertest';
import { makeTestApp, type TestApp } from '../http/test-app.js';

let t: TestApp;
let app: TestApp['app'];
beforeAll(async () => {
  t = await makeTestApp();
  app = t.app;
  const store = t.store;
  await store.update({ resourceType: 'Patient', id: 'p1' });
  await store.update({ resourceType: 'Observation', id: 'o1', status: 'final', code: { text: 'x' }, subject: { reference: 'Patient/p1' } } as never);
});
afterAll(() => t.close());

const post = (url: string, body: unknown) => request(app).post(url).set('Content-Type', 'application/fhir+json').send(typeof body === 'string' ? body : JSON.stringify(body));

describe('$validate', () => {
  it('answers 200 with an informational outcome for a valid resource at every level', async () => {
    for (const url of ['/fhir/$validate', '/fhir/Patient/$validate', '/fhir/Patient/p1/$validate']) {
      const res = await post(url, { resourceType: 'Patient', id: 'p1', gender: 'female', text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">x</div>' } });
      expect(res.status).toBe(200);
      expect(res.body.issue).toEqual([expect.objectContaining({ severity: 'information' })]);
    }
  });

  it('reports errors inside a 200 OperationOutcome, from a Parameters body', async () => {
    const res = await post('/fhir/Observation/$validate', { resourceType: 'Parameters', parameter: [{ name: 'mode', valueCode: 'create' }, { name: 'resource', resource: { resourceType: 'Observation', code: { text: 'x' }, status: 'bogus' } }] });
    expect(res.status).toBe(200);
    expect(res.body.issue).toContainEqual(expect.objectContaining({ severity: 'error', code: 'code-invalid', expression: ['Observation.status'] }));
  });

  it('warns about reference targets missing from the store, not about present ones', async () => {
    const res = await post('/fhir/$validate', { resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { reference: 'Patient/p1' }, encounter: { reference: 'Encounter/nope' } });
    const notFound = res.body.issue.filter((i: { code: string }) => i.code === 'not-found');
    expect(notFound).toEqual([expect.objectContaining({ severity: 'warning', expression: ['Observation.encounter.reference'] })]);
  });

  it('mode=delete lists the resources that still reference the instance', async () => {
    const res = await post('/fhir/Patient/p1/$validate', { resourceType: 'Parameters', parameter: [{ name: 'mode', valueCode: 'delete' }] });
    expect(res.status).toBe(200);
    expect(res.body.issue[0]).toMatchObject({ severity: 'warning', diagnostics: expect.stringContaining('Observation/o1') });
  });

  it.each([
    ['not JSON', '{"resourceType": '],
    ['not FHIR', { hello: 'world' }],
    ['Parameters without a resource', { resourceType: 'Parameters', parameter: [{ name: 'mode', valueCode: 'create' }] }],
    ['an unknown resourceType', { resourceType: 'Spaceship' }],
    ['10,000-deep nesting', `{"resourceType":"Patient","extension":${'['.repeat(10_000)}${']'.repeat(10_000)}}`],
  ])('answers a 4xx OperationOutcome for %s', async (_name, body) => {
    const res = await post('/fhir/$validate', body);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body.resourceType).toBe('OperationOutcome');
  });
});
