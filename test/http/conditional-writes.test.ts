/** Over HTTP: JSON Patch, conditional update and conditional delete (R4 http.html#patch, #cond-update). */
import request from 'supertest';
import { FHIR_JSON, makeTestApp, patient, type TestApp } from './test-app.js';

const PATCH_JSON = 'application/json-patch+json';
const MRN = 'urn:test:mrn';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp();
});
afterEach(() => t.close());

const create = async (family: string, mrn: string) =>
  (await request(t.app).post('/fhir/Patient').set('Content-Type', FHIR_JSON).send(patient(family, { identifier: [{ system: MRN, value: mrn }] }))).body as { id: string };

describe('PATCH with a JSON Patch', () => {
  it('changes the current version into a new one; If-Match of an older version is refused (412)', async () => {
    const { id } = await create('Rivera', 'm1');
    const patched = await request(t.app).patch(`/fhir/Patient/${id}`).set('Content-Type', PATCH_JSON).send(JSON.stringify([{ op: 'replace', path: '/name/0/family', value: 'Moore' }, { op: 'add', path: '/active', value: true }]));
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id, active: true, name: [{ family: 'Moore' }], meta: { versionId: '2' } });
    expect(patched.headers.etag).toBe('W/"2"');
    expect((await request(t.app).get(`/fhir/Patient/${id}/_history/1`)).body.name[0].family).toBe('Rivera');
    const stale = await request(t.app).patch(`/fhir/Patient/${id}`).set('Content-Type', PATCH_JSON).set('If-Match', 'W/"1"').send(JSON.stringify([{ op: 'add', path: '/gender', value: 'male' }]));
    expect(stale.status).toBe(412);
    expect(stale.body.resourceType).toBe('OperationOutcome');
    expect((await request(t.app).get(`/fhir/Patient/${id}`)).body.meta.versionId).toBe('2');
  });

  it('refuses a patch that fails its test, changes the id or type, leaves an invalid resource, is not a JSON Patch, or targets nothing', async () => {
    const { id } = await create('Rivera', 'm1');
    const send = (body: unknown, type = PATCH_JSON, target = id) => request(t.app).patch(`/fhir/Patient/${target}`).set('Content-Type', type).send(JSON.stringify(body));
    const failed = await send([{ op: 'test', path: '/name/0/family', value: 'Smith' }]);
    expect(failed.status).toBe(422);
    expect(failed.body.issue[0].diagnostics).toMatch(/Patch operation 0 \(test \/name\/0\/family\)/);
    expect((await send([{ op: 'replace', path: '/id', value: 'other' }])).status).toBe(422);
    expect((await send([{ op: 'replace', path: '/resourceType', value: 'Group' }])).status).toBe(422);
    expect((await send([{ op: 'jump', path: '/x' }])).status).toBe(400);
    expect((await send({ op: 'add' })).status).toBe(400);
    expect((await send([{ op: 'add', path: '/gender', value: 'male' }], FHIR_JSON)).status).toBe(415);
    expect((await send([], PATCH_JSON, 'nobody')).status).toBe(404);
    const invalid = await send([{ op: 'add', path: '/gender', value: 'robot' }]);
    expect(invalid.status).toBe(400);
    expect(invalid.body.issue[0].expression).toEqual(['Patient.gender']);
    expect((await request(t.app).get(`/fhir/Patient/${id}`)).body.meta.versionId).toBe('1');
  });
});

describe('conditional update and delete', () => {
  it('PUT [type]?search updates the one match, creates when none matches, and refuses several (412)', async () => {
    const { id } = await create('Rivera', 'm1');
    const put = (query: string, body: object) => request(t.app).put(`/fhir/Patient?${query}`).set('Content-Type', FHIR_JSON).send(body);
    const updated = await put(`identifier=${MRN}|m1`, patient('Moore', { identifier: [{ system: MRN, value: 'm1' }] }));
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ id, meta: { versionId: '2' }, name: [{ family: 'Moore' }] });
    const created = await put(`identifier=${MRN}|m2`, patient('New', { identifier: [{ system: MRN, value: 'm2' }] }));
    expect(created.status).toBe(201);
    expect(created.body.id).not.toBe(id);
    const withId = await put(`identifier=${MRN}|m3`, patient('Chosen', { id: 'chosen-id', identifier: [{ system: MRN, value: 'm3' }] }));
    expect(withId.status).toBe(201);
    expect(withId.body.id).toBe('chosen-id');
    expect((await put(`identifier=${MRN}|m4`, patient('Taken', { id }))).status).toBe(409);
    expect((await put(`identifier=${MRN}|m1`, patient('Other', { id: 'not-the-match' }))).status).toBe(400);
    expect((await put(`family=New,Moore`, patient('Both'))).status).toBe(412);
    expect((await put('', patient('Nothing'))).status).toBe(400);
    expect((await put('_format=json', patient('Nothing'))).status).toBe(400);
    expect((await put('no-such-param=1', patient('Nothing'))).status).toBe(400);
    expect((await request(t.app).get('/fhir/Patient?_summary=count')).body.total).toBe(3);
  });

  it('DELETE [type]?search deletes the one match, does nothing when none matches, and refuses several (412)', async () => {
    const { id } = await create('Rivera', 'm1');
    await create('Moore', 'm2');
    const del = (query: string) => request(t.app).delete(`/fhir/Patient?${query}`);
    expect((await del(`family=Rivera,Moore`)).status).toBe(412);
    expect((await del(`identifier=${MRN}|nobody`)).status).toBe(200);
    expect((await del(`identifier=${MRN}|m1`)).status).toBe(200);
    expect((await request(t.app).get(`/fhir/Patient/${id}`)).status).toBe(410);
    expect((await request(t.app).get('/fhir/Patient?_summary=count')).body.total).toBe(1);
  });

  it('the CapabilityStatement says so', async () => {
    const cs = (await request(t.app).get('/fhir/metadata')).body;
    expect(cs.patchFormat).toEqual(['application/json-patch+json']);
    const patientRest = cs.rest[0].resource.find((r: { type: string }) => r.type === 'Patient');
    expect(patientRest).toMatchObject({ conditionalUpdate: true, conditionalDelete: 'single' });
    expect(patientRest.interaction.map((i: { code: string }) => i.code)).toContain('patch');
  });
});
