/**
 * REST writes name their request in meta.source, and the router echoes X-Request-Id (the client's when it is a
 * short safe token); `$lineage` shows the requests version by version, and refuses a missing or malformed target
 * (400) and answers 404 for one that never existed.
 */
import request from 'supertest';
import type { Bundle, Parameters } from 'fhir/r4.js';
import { FHIR_JSON, makeTestApp, patient, type TestApp } from '../http/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(() => t.close());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const post = (url: string, body: unknown, id?: string) => {
  const req = request(t.app).post(url).set('Content-Type', FHIR_JSON);
  return (id === undefined ? req : req.set('X-Request-Id', id)).send(body as object);
};

describe('REST writes and X-Request-Id', () => {
  it('a create names the client\'s request id, echoed back', async () => {
    const res = await post('/fhir/Patient', patient('Rest'), 'req-create.1');
    expect(res.status).toBe(201);
    expect(res.headers['x-request-id']).toBe('req-create.1');
    expect(res.body.meta.source).toBe('urn:medgen:rest#request-req-create.1');
    expect((await t.store.read('Patient', res.body.id)).meta.source).toBe('urn:medgen:rest#request-req-create.1');
  });

  it('an unsafe or missing request id is replaced by a uuid', async () => {
    const bad = await post('/fhir/Patient', patient('Unsafe'), 'has space#and-hash');
    expect(bad.headers['x-request-id']).toMatch(UUID);
    expect(bad.body.meta.source).toBe(`urn:medgen:rest#request-${bad.headers['x-request-id']}`);
    const none = await post('/fhir/Patient', patient('None'));
    expect(none.headers['x-request-id']).toMatch(UUID);
    const read = await request(t.app).get(`/fhir/Patient/${none.body.id}`);
    expect(read.headers['x-request-id']).toMatch(UUID);
    expect(read.headers['x-request-id']).not.toBe(none.headers['x-request-id']);
  });

  it('an error answer echoes the request id too', async () => {
    const res = await request(t.app).get('/fhir/Patient/nope').set('X-Request-Id', 'err-1');
    expect(res.status).toBe(404);
    expect(res.headers['x-request-id']).toBe('err-1');
  });

  it('keeps the client\'s own source, its fragment replaced; an update and a patch name their own requests', async () => {
    const created = await post('/fhir/Patient', patient('Own', { meta: { source: 'http://client.example/app#client-part' } }), 'own-1');
    expect(created.body.meta.source).toBe('http://client.example/app#request-own-1');
    const id = created.body.id as string;
    const put = await request(t.app).put(`/fhir/Patient/${id}`).set('Content-Type', FHIR_JSON).set('X-Request-Id', 'own-2').send({ ...patient('Own2'), id });
    expect(put.body.meta.source).toBe('urn:medgen:rest#request-own-2');
    const patch = await request(t.app)
      .patch(`/fhir/Patient/${id}`)
      .set('Content-Type', 'application/json-patch+json')
      .set('X-Request-Id', 'own-3')
      .send([{ op: 'replace', path: '/gender', value: 'male' }]);
    expect(patch.status).toBe(200);
    expect((await t.store.read('Patient', id)).meta.source).toBe('urn:medgen:rest#request-own-3');
    const lineage = (await request(t.app).get(`/fhir/$lineage?target=Patient/${id}`)).body as Parameters;
    const requests = lineage.parameter!.filter((p) => p.name === 'version').map((v) => v.part!.find((x) => x.name === 'request')?.valueString);
    expect(requests).toEqual(['own-1', 'own-2', 'own-3']);
  });

  it('the same content sent again is unchanged: no new version, the first request\'s source kept', async () => {
    const created = await post('/fhir/Patient', patient('Same'), 'same-1');
    const id = created.body.id as string;
    const again = await request(t.app).put(`/fhir/Patient/${id}`).set('Content-Type', FHIR_JSON).set('X-Request-Id', 'same-2').send({ ...created.body });
    expect(again.status).toBe(200);
    const stored = await t.store.read('Patient', id);
    expect([stored.meta.versionId, stored.meta.source]).toEqual(['1', 'urn:medgen:rest#request-same-1']);
  });

  it('batch and transaction entries name the request', async () => {
    const entry = (family: string) => ({ resource: patient(family), request: { method: 'POST', url: 'Patient' } });
    for (const type of ['batch', 'transaction']) {
      const res = await post('/fhir', { resourceType: 'Bundle', type, entry: [entry(`${type}A`), entry(`${type}B`)] }, `bundle-${type}`);
      expect(res.status).toBe(200);
      for (const e of (res.body as Bundle).entry!) {
        const [, type_, id] = /([A-Za-z]+)\/([^/]+)\/_history/.exec(e.response!.location!)!;
        expect((await t.store.read(type_, id)).meta.source).toBe(`urn:medgen:rest#request-bundle-${type}`);
      }
    }
  });
});

describe('$lineage refusals', () => {
  it.each([
    ['/fhir/$lineage', 400, 'target'],
    ['/fhir/$lineage?target=', 400, 'target'],
    ['/fhir/$lineage?target=Patient', 400, 'target'],
    ['/fhir/$lineage?target=Patient/a/b', 400, 'target'],
    ['/fhir/$lineage?target=NoSuchType/x', 400, 'target'],
    ['/fhir/$lineage?target=Patient/bad%20id', 400, 'target'],
    ['/fhir/$lineage?target=Patient/a&target=Patient/b', 400, 'target'],
  ])('%s answers %i at %s', async (url, status, expression) => {
    const res = await request(t.app).get(url);
    expect(res.status).toBe(status);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(res.body.issue[0].expression).toEqual([expression]);
  });

  it('an unknown resource is a 404; a POST is refused', async () => {
    const res = await request(t.app).get('/fhir/$lineage?target=Patient/never-was');
    expect(res.status).toBe(404);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect((await request(t.app).post('/fhir/$lineage?target=Patient/x').set('Content-Type', FHIR_JSON).send({})).status).toBe(400);
  });

  it('a deleted version shows as deleted', async () => {
    const created = await post('/fhir/Patient', patient('Gone'), 'gone-1');
    await request(t.app).delete(`/fhir/Patient/${created.body.id}`);
    const lineage = (await request(t.app).get(`/fhir/$lineage?target=Patient/${created.body.id}`)).body as Parameters;
    const versions = lineage.parameter!.filter((p) => p.name === 'version');
    expect(versions.map((v) => v.part!.find((x) => x.name === 'deleted')?.valueBoolean ?? false)).toEqual([false, true]);
  });

  it('the OperationDefinition is served', async () => {
    const res = await request(t.app).get('/fhir/OperationDefinition/lineage');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ resourceType: 'OperationDefinition', code: 'lineage', system: true });
  });
});
