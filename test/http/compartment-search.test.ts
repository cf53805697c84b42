/** Over HTTP: compartment search, `GET Patient/{id}/Observation` (R4 http.html#vsearch). */
import request from 'supertest';
import { FHIR_JSON, makeTestApp, patient, type TestApp } from './test-app.js';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp();
});
afterEach(() => t.close());

const put = (resource: Record<string, unknown>) => request(t.app).put(`/fhir/${resource.resourceType}/${resource.id}`).set('Content-Type', FHIR_JSON).send(resource);
const observation = (id: string, extra: Record<string, unknown>) => ({
  resourceType: 'Observation', id, status: 'final', code: { coding: [{ system: 'http://loinc.org', code: id.startsWith('hr') ? '8867-4' : '29463-7' }] }, ...extra,
});
const ids = (bundle: { entry?: { resource: { id: string }; search: { mode: string } }[] }) =>
  (bundle.entry ?? []).filter((e) => e.search.mode === 'match').map((e) => e.resource.id).sort();

test('a Patient compartment holds what any of its parameters links to the patient, and nothing of others', async () => {
  for (const r of [patient('A', { id: 'pa' }), patient('B', { id: 'pb' }), { resourceType: 'Practitioner', id: 'dr' }]) expect((await put(r)).status).toBe(201);
  await put(observation('hr-a', { subject: { reference: 'Patient/pa' } }));
  await put(observation('wt-a', { subject: { reference: 'Patient/pa' } }));
  await put(observation('hr-by-a', { subject: { reference: 'Patient/pb' }, performer: [{ reference: 'Patient/pa' }] }));
  await put(observation('hr-b', { subject: { reference: 'Patient/pb' } }));
  await put({ resourceType: 'Condition', id: 'c-a', subject: { reference: 'Patient/pa' } });

  const all = await request(t.app).get('/fhir/Patient/pa/Observation');
  expect(all.status).toBe(200);
  expect(all.body.total).toBe(3);
  expect(ids(all.body)).toEqual(['hr-a', 'hr-by-a', 'wt-a']);
  expect(all.body.link[0].url).toMatch(/\/fhir\/Patient\/pa\/Observation$/);

  const heartRates = await request(t.app).get('/fhir/Patient/pa/Observation?code=http://loinc.org|8867-4&_count=1');
  expect(heartRates.body.total).toBe(2);
  expect(heartRates.body.entry).toHaveLength(1);
  expect(heartRates.body.link.find((l: { relation: string }) => l.relation === 'next').url).toMatch(/\/fhir\/Patient\/pa\/Observation\?code=.*&_count=1&_offset=1$/);

  expect(ids((await request(t.app).get('/fhir/Patient/pa/Condition')).body)).toEqual(['c-a']);
  expect(ids((await request(t.app).get('/fhir/Patient/nobody/Observation')).body)).toEqual([]);
  expect(ids((await request(t.app).get('/fhir/Practitioner/dr/Observation')).body)).toEqual([]);
});

test('a type outside the compartment is a 400; a compartment search is read-only', async () => {
  const res = await request(t.app).get('/fhir/Patient/pa/Organization');
  expect(res.status).toBe(400);
  expect(res.body.issue[0].diagnostics).toMatch(/Organization is not in the Patient compartment/);
  expect((await request(t.app).post('/fhir/Patient/pa/Observation').set('Content-Type', FHIR_JSON).send({})).status).toBe(405);
  expect((await request(t.app).get('/fhir/Observation/o1/Patient')).status).toBe(404);
  const cs = (await request(t.app).get('/fhir/metadata')).body;
  expect(cs.rest[0].compartment).toContain('http://hl7.org/fhir/CompartmentDefinition/patient');
});
