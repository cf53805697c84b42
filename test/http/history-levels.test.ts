/** Over HTTP: type-level and system-level history (R4 http.html#history), paged, with `_since`. */
import request from 'supertest';
import { FHIR_JSON, makeTestApp, patient, type TestApp } from './test-app.js';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp();
});
afterEach(() => t.close());

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
const labels = (bundle: { entry?: { fullUrl: string; response: { etag: string } }[] }) =>
  (bundle.entry ?? []).map((e) => `${e.fullUrl.replace(/^.*\/fhir\//, '')}@${e.response.etag}`);

test('GET [type]/_history and GET /_history list versions newest first, page with links, and take _since', async () => {
  const a = (await request(t.app).post('/fhir/Patient').set('Content-Type', FHIR_JSON).send(patient('Rivera'))).body as { id: string };
  await tick();
  const org = (await request(t.app).post('/fhir/Organization').set('Content-Type', FHIR_JSON).send({ resourceType: 'Organization', name: 'Clinic' })).body as { id: string };
  await tick();
  const updated = (await request(t.app).put(`/fhir/Patient/${a.id}`).set('Content-Type', FHIR_JSON).send(patient('Moore', { id: a.id }))).body as { meta: { lastUpdated: string } };
  await tick();
  await request(t.app).delete(`/fhir/Organization/${org.id}`);

  const all = await request(t.app).get('/fhir/_history');
  expect(all.status).toBe(200);
  expect(all.body).toMatchObject({ resourceType: 'Bundle', type: 'history', total: 4 });
  expect(labels(all.body)).toEqual([`Organization/${org.id}@W/"2"`, `Patient/${a.id}@W/"2"`, `Organization/${org.id}@W/"1"`, `Patient/${a.id}@W/"1"`]);
  expect(all.body.entry[0].request.method).toBe('DELETE');

  const patients = await request(t.app).get('/fhir/Patient/_history');
  expect(labels(patients.body)).toEqual([`Patient/${a.id}@W/"2"`, `Patient/${a.id}@W/"1"`]);
  expect(patients.body.total).toBe(2);

  const first = await request(t.app).get('/fhir/_history?_count=3');
  expect(first.body.entry).toHaveLength(3);
  const next = first.body.link.find((l: { relation: string }) => l.relation === 'next').url as string;
  expect(next).toMatch(/\/fhir\/_history\?_count=3&_offset=3$/);
  const second = await request(t.app).get(next.replace(/^.*\/fhir/, '/fhir'));
  expect(labels(second.body)).toEqual([`Patient/${a.id}@W/"1"`]);
  expect(second.body.link.map((l: { relation: string }) => l.relation)).toEqual(['self', 'previous']);

  const since = await request(t.app).get(`/fhir/_history?_since=${encodeURIComponent(updated.meta.lastUpdated)}`);
  expect(labels(since.body)).toEqual([`Organization/${org.id}@W/"2"`, `Patient/${a.id}@W/"2"`]);
});

test('bad history parameters answer 400; other methods 405; unknown types 404', async () => {
  expect((await request(t.app).get('/fhir/_history?_since=yesterday')).status).toBe(400);
  expect((await request(t.app).get('/fhir/_history?_since=2024-01-01T00:00:00')).status).toBe(400);
  expect((await request(t.app).get('/fhir/Patient/_history?_count=-1')).status).toBe(400);
  expect((await request(t.app).get('/fhir/_history?_at=2024')).status).toBe(400);
  expect((await request(t.app).post('/fhir/_history').set('Content-Type', FHIR_JSON).send({})).status).toBe(405);
  expect((await request(t.app).get('/fhir/Nonsense/_history')).status).toBe(404);
  const cs = (await request(t.app).get('/fhir/metadata')).body;
  expect(cs.rest[0].interaction.map((i: { code: string }) => i.code)).toContain('history-system');
});
