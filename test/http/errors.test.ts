import request from 'supertest';
import { FHIR_JSON, makeTestApp, patient, type TestApp } from './test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp({ bodyLimitBytes: 64 * 1024 });
});
afterAll(() => t.close());

function expectOutcome(res: request.Response, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
  expect(res.body.resourceType).toBe('OperationOutcome');
  expect(res.body.issue[0].severity).toBe('error');
}

describe('bad input answers an OperationOutcome with a fitting status', () => {
  it('unparseable JSON: 400', async () => {
    expectOutcome(await request(t.app).post('/fhir/Patient').set('Content-Type', FHIR_JSON).send('{"resourceType": "Patient",'), 400);
  });

  it('a body over the limit: 413', async () => {
    const big = JSON.stringify(patient('Big', { text: { status: 'generated', div: 'x'.repeat(100 * 1024) } }));
    expectOutcome(await request(t.app).post('/fhir/Patient').set('Content-Type', FHIR_JSON).send(big), 413);
  });

  it('unknown resource type: 400 on writes and searches, 404 on reads', async () => {
    expectOutcome(await request(t.app).post('/fhir/Starship').send({ resourceType: 'Starship' }), 400);
    expectOutcome(await request(t.app).get('/fhir/Starship/1'), 404);
  });

  it('resourceType or id not matching the URL: 400 with the expression', async () => {
    const wrongType = await request(t.app).post('/fhir/Observation').send(patient('Mismatch'));
    expectOutcome(wrongType, 400);
    expect(wrongType.body.issue[0].expression).toEqual(['resourceType']);
    const wrongId = await request(t.app).put('/fhir/Patient/a').send({ ...patient('Mismatch'), id: 'b' });
    expectOutcome(wrongId, 400);
    expect(wrongId.body.issue[0].expression).toEqual(['id']);
  });

  it('missing: 404; unsupported content type: 415; unknown route: 404', async () => {
    expectOutcome(await request(t.app).get('/fhir/Patient/does-not-exist'), 404);
    expectOutcome(await request(t.app).post('/fhir/Patient').set('Content-Type', 'application/xml').send('<Patient/>'), 415);
    expectOutcome(await request(t.app).get('/fhir/Patient/1/_history/1/extra/more'), 404);
    expectOutcome(await request(t.app).get('/nowhere'), 404);
  });

  it('hostile JSON never reaches a 500', async () => {
    const bodies = [
      '[]',
      '"Patient"',
      '{"resourceType":"Patient"} trailing',
      `{"resourceType":"Patient","extension":${'['.repeat(20000)}${']'.repeat(20000)}}`,
      '{"resourceType":"Patient","multipleBirthInteger":1e999999}',
    ];
    for (const body of bodies) {
      const res = await request(t.app).post('/fhir/Patient').set('Content-Type', FHIR_JSON).send(body);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.body.resourceType).toBe('OperationOutcome');
    }
    const invalidUtf8 = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]);
    expectOutcome(await request(t.app).post('/fhir/Patient').set('Content-Type', FHIR_JSON).send(invalidUtf8), 400);
    expect((await request(t.app).get('/health')).status).toBe(200);
  });

  it('tolerates a UTF-8 byte order mark, as Windows editors write it', async () => {
    const res = await request(t.app).post('/fhir/Patient').set('Content-Type', FHIR_JSON).send('\uFEFF{"resourceType":"Patient"}');
    expect(res.status).toBe(201);
  });
});

describe('injection and prototype pollution', () => {
  it('operator-shaped parameters are unknown parameters (ignored and noted, or a 400 when strict), values match nothing', async () => {
    await request(t.app).post('/fhir/Patient').send(patient('Target'));
    await request(t.app).post('/fhir/Patient').send(patient('Other'));
    // Ignored rather than read as "family not equal to x": the answer is every Patient, as with no criteria.
    const bracket = await request(t.app).get('/fhir/Patient?family[$ne]=x');
    expect(bracket.status).toBe(200);
    const all = await request(t.app).get('/fhir/Patient');
    expect(all.body.total).toBeGreaterThanOrEqual(2);
    expect(bracket.body.total).toBe(all.body.total);
    expect(bracket.body.entry.at(-1).resource.issue[0].expression).toEqual(['family[$ne]']);
    const strict = await request(t.app).get('/fhir/Patient?family[$ne]=x').set('Prefer', 'handling=strict');
    expect(strict.status).toBe(400);
    expect(strict.body.entry).toBeUndefined();
    const where = await request(t.app).get('/fhir/Patient?family=$where');
    expect(where.status).toBe(200);
    expect(where.body.total).toBe(0);
  });

  it('a body with __proto__ keys is refused and pollutes nothing', async () => {
    const body = '{"resourceType":"Patient","__proto__":{"polluted":true},"name":[{"constructor":{"prototype":{"polluted":true}}}]}';
    const res = await request(t.app).post('/fhir/Patient').set('Content-Type', FHIR_JSON).send(body);
    expectOutcome(res, 400);
    expect(res.body.issue[0].expression).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
  });
});
