import request from 'supertest';
import { FHIR_JSON, makeTestApp, patient, type TestApp } from './test-app.js';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp();
});
afterEach(() => t.close());

describe('REST interactions', () => {
  it('creates, reads, updates, reads history, deletes and answers 410', async () => {
    const created = await request(t.app).post('/fhir/Patient').set('Content-Type', FHIR_JSON).send(patient('Rivera', { id: 'ignored' }));
    expect(created.status).toBe(201);
    expect(created.headers['content-type']).toMatch(/application\/fhir\+json/);
    const id = created.body.id as string;
    expect(id).not.toBe('ignored');
    expect(created.headers.location).toMatch(new RegExp(`/fhir/Patient/${id}/_history/1$`));
    expect(created.headers.etag).toBe('W/"1"');
    expect(created.body.meta.versionId).toBe('1');
    expect(Date.parse(created.body.meta.lastUpdated)).not.toBeNaN();

    const read = await request(t.app).get(`/fhir/Patient/${id}`);
    expect(read.status).toBe(200);
    expect(read.body.name[0].family).toBe('Rivera');

    const updated = await request(t.app).put(`/fhir/Patient/${id}`).set('Content-Type', FHIR_JSON).send({ ...read.body, gender: 'other' });
    expect(updated.status).toBe(200);
    expect(updated.body.meta.versionId).toBe('2');

    const v1 = await request(t.app).get(`/fhir/Patient/${id}/_history/1`);
    expect(v1.status).toBe(200);
    expect(v1.body.gender).toBe('female');
    expect(v1.body.meta.versionId).toBe('1');

    const history = await request(t.app).get(`/fhir/Patient/${id}/_history`);
    expect(history.body.type).toBe('history');
    expect(history.body.entry.map((e: { response: { etag: string } }) => e.response.etag)).toEqual(['W/"2"', 'W/"1"']);

    expect((await request(t.app).delete(`/fhir/Patient/${id}`)).status).toBe(200);
    const gone = await request(t.app).get(`/fhir/Patient/${id}`);
    expect(gone.status).toBe(410);
    expect(gone.body.resourceType).toBe('OperationOutcome');
  });

  it('PUT with a new id creates (201); an identical PUT makes no new version', async () => {
    const body = { ...patient('Okafor'), id: 'p-1' };
    const first = await request(t.app).put('/fhir/Patient/p-1').send(body);
    expect(first.status).toBe(201);
    const again = await request(t.app).put('/fhir/Patient/p-1').send(body);
    expect(again.status).toBe(200);
    expect(again.body.meta.versionId).toBe('1');
  });

  it('honours If-Match and If-None-Exist', async () => {
    await request(t.app).put('/fhir/Patient/p-2').send({ ...patient('Lee'), id: 'p-2' });
    const stale = await request(t.app).put('/fhir/Patient/p-2').set('If-Match', 'W/"7"').send({ ...patient('Lee2'), id: 'p-2' });
    expect(stale.status).toBe(412);
    const body = patient('Kim', { identifier: [{ system: 'urn:mrn', value: '42' }] });
    const a = await request(t.app).post('/fhir/Patient').set('If-None-Exist', 'identifier=urn:mrn|42').send(body);
    const b = await request(t.app).post('/fhir/Patient').set('If-None-Exist', 'identifier=urn:mrn|42').send(body);
    expect([a.status, b.status]).toEqual([201, 200]);
    expect(b.body.id).toBe(a.body.id);
  });

  it('Prefer: return=minimal answers without a body', async () => {
    const res = await request(t.app).post('/fhir/Patient').set('Prefer', 'return=minimal').send(patient('Min'));
    expect(res.status).toBe(201);
    expect(res.text).toBe('');
    expect(res.headers.location).toBeDefined();
  });
});

describe('search', () => {
  it('finds by family, birthdate and gender, and counts with _summary=count', async () => {
    await request(t.app).post('/fhir/Patient').send(patient('Nakamura'));
    await request(t.app).post('/fhir/Patient').send(patient('Schmidt', { gender: 'male', birthDate: '1980-01-01' }));
    const byFamily = await request(t.app).get('/fhir/Patient?family=nakam');
    expect(byFamily.body.type).toBe('searchset');
    expect(byFamily.body.total).toBe(1);
    expect(byFamily.body.entry[0].resource.name[0].family).toBe('Nakamura');
    const byDate = await request(t.app).get('/fhir/Patient?birthdate=1980&gender=male');
    expect(byDate.body.total).toBe(1);
    expect(byDate.body.entry[0].resource.name[0].family).toBe('Schmidt');
    const count = await request(t.app).get('/fhir/Patient?_summary=count');
    expect(count.body.total).toBe(2);
    expect(count.body.entry).toBeUndefined();
  });

  it('pages 7 matches with _count=3 through next links', async () => {
    for (let i = 0; i < 7; i++) await request(t.app).post('/fhir/Patient').send(patient(`Page${i}`));
    await request(t.app).post('/fhir/Patient').send(patient('Other', { gender: 'male' }));
    const ids: string[] = [];
    let url: string | undefined = '/fhir/Patient?gender=female&_count=3';
    let pages = 0;
    while (url) {
      const res = await request(t.app).get(url);
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(7);
      for (const e of res.body.entry ?? []) ids.push(e.resource.id);
      const next = (res.body.link as { relation: string; url: string }[]).find((l) => l.relation === 'next');
      url = next ? new URL(next.url).pathname + new URL(next.url).search : undefined;
      pages++;
    }
    expect(pages).toBe(3);
    expect(new Set(ids).size).toBe(7);
  });

  it('POST _search takes its parameters from a form-encoded body, combined with those of the URL', async () => {
    await request(t.app).post('/fhir/Patient').send(patient('Nakamura'));
    await request(t.app).post('/fhir/Patient').send(patient('Nakamura', { gender: 'male' }));
    await request(t.app).post('/fhir/Patient').send(patient('Schmidt'));
    const res = await request(t.app).post('/fhir/Patient/_search?gender=female').type('form').send('family=nakam&_count=5');
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(1);
    expect(res.body.entry[0].resource.name[0].family).toBe('Nakamura');
    expect(res.body.entry[0].resource.gender).toBe('female');
    const bad = await request(t.app).post('/fhir/Patient/_search').set('Prefer', 'handling=strict').type('form').send('shoe-size=9');
    expect(bad.status).toBe(400);
    expect(bad.body.issue[0].expression).toEqual(['shoe-size']);
    const xml = await request(t.app).post('/fhir/Patient/_search').set('Content-Type', 'application/xml').send('<x/>');
    expect(xml.status).toBe(415);
  });

  it('ignores an unknown parameter, saying so and leaving it out of the self link, unless handling is strict', async () => {
    await request(t.app).post('/fhir/Patient').send(patient('Rivera'));
    for (const prefer of [undefined, 'handling=lenient']) {
      const get = request(t.app).get('/fhir/Patient?shoe-size=9&family=rivera');
      const res = prefer ? await get.set('Prefer', prefer) : await get;
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(1);
      const self = (res.body.link as { relation: string; url: string }[]).find((l) => l.relation === 'self')!;
      expect(new URL(self.url).search).toBe('?family=rivera');
      const last = res.body.entry.at(-1);
      expect(last.search.mode).toBe('outcome');
      expect(last.resource.issue[0]).toMatchObject({ severity: 'warning', code: 'not-supported', expression: ['shoe-size'] });
      expect(last.resource.issue[0].diagnostics).toMatch(/shoe-size/);
    }
    const strict = await request(t.app).get('/fhir/Patient?shoe-size=9').set('Prefer', 'handling=strict');
    expect(strict.status).toBe(400);
    expect(strict.body.resourceType).toBe('OperationOutcome');
    expect(strict.body.issue[0].expression).toEqual(['shoe-size']);
  });
});

describe('content negotiation', () => {
  it('answers 406 with an OperationOutcome when Accept or _format rules out JSON', async () => {
    for (const [url, accept] of [
      ['/fhir/metadata', 'application/fhir+xml'],
      ['/fhir/Patient?_format=xml', undefined],
      ['/fhir/Patient', 'application/fhir+json;q=0, application/xml'],
    ] as const) {
      const req = request(t.app).get(url);
      const res = await (accept ? req.set('Accept', accept) : req);
      expect([url, res.status, res.body.resourceType]).toEqual([url, 406, 'OperationOutcome']);
    }
    for (const [url, accept] of [
      ['/fhir/Patient?_format=json', undefined],
      ['/fhir/Patient?_format=application/fhir%2Bjson', 'application/fhir+json'],
      ['/fhir/metadata', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'],
    ] as const) {
      const req = request(t.app).get(url);
      const res = await (accept ? req.set('Accept', accept) : req);
      expect([url, res.status]).toEqual([url, 200]);
    }
  });
});

describe('conditional read', () => {
  it('answers 304 to If-None-Match with the current ETag, 200 to an old one', async () => {
    const created = await request(t.app).post('/fhir/Patient').send(patient('Etag'));
    const url = `/fhir/Patient/${created.body.id}`;
    expect((await request(t.app).get(url).set('If-None-Match', 'W/"1"')).status).toBe(304);
    await request(t.app).put(url).send({ ...created.body, gender: 'male' });
    const changed = await request(t.app).get(url).set('If-None-Match', 'W/"1"');
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).toBe('W/"2"');
  });
});
