import request from 'supertest';
import { makeTestApp, type TestApp } from '../http/test-app.js';
import { NPI, patientBundle, patientId, supportBatch } from './synthea-like.js';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp({ bodyLimitBytes: 256 * 1024 });
});
afterEach(() => t.close());

type Part = { name: string; valueInteger?: number; valueCode?: string; resource?: { issue: { expression?: string[]; diagnostics?: string }[] }; part?: Part[] };
const param = (body: { parameter: Part[] }, name: string) => body.parameter.find((p) => p.name === name);
const parts = (body: { parameter: Part[] }, name: string) => body.parameter.filter((p) => p.name === name);
const sub = (p: Part, name: string) => p.part?.find((x) => x.name === name);

describe('POST /fhir/$import', () => {
  it('imports a support batch and a transaction, answering a Parameters summary per type', async () => {
    expect((await request(t.app).post('/fhir/$import').send(supportBatch())).status).toBe(200);
    const res = await request(t.app).post('/fhir/%24import').send(patientBundle(1));
    expect(res.status).toBe(200);
    expect(res.body.resourceType).toBe('Parameters');
    expect(param(res.body, 'created')?.valueInteger).toBe(4);
    expect(param(res.body, 'failed')?.valueInteger).toBe(0);
    const patient = parts(res.body, 'type').find((p) => sub(p, 'type')?.valueCode === 'Patient')!;
    expect(sub(patient, 'created')?.valueInteger).toBe(1);
    expect(param(res.body, 'referencesResolved')?.valueInteger).toBe(3);
    const again = await request(t.app).post('/fhir/$import').send(patientBundle(1));
    expect(param(again.body, 'unchanged')?.valueInteger).toBe(4);
  });

  it('takes NDJSON line by line and reports a broken line by its number', async () => {
    const lines = [
      JSON.stringify({ resourceType: 'Patient', id: 'n1' }),
      '{"resourceType": "Patient", "id": ',
      JSON.stringify({ resourceType: 'Patient', id: 'n3' }),
      '',
      JSON.stringify({ resourceType: 'Observation', id: 'o1', status: 'final', code: { text: 'x' }, subject: { reference: 'Patient/n1' } }),
    ];
    const res = await request(t.app).post('/fhir/$import').set('Content-Type', 'application/fhir+ndjson').send(lines.join('\n'));
    expect(res.status).toBe(200);
    expect(param(res.body, 'created')?.valueInteger).toBe(3);
    const failure = parts(res.body, 'failure');
    expect(failure).toHaveLength(1);
    expect(sub(failure[0], 'line')?.valueInteger).toBe(2);
    expect(await t.store.countByType()).toEqual({ Observation: 1, Patient: 2, Provenance: 1 });
  });

  it('answers 4xx for a lone transaction that fails, and stores nothing', async () => {
    const res = await request(t.app).post('/fhir/$import').send(patientBundle(2));
    expect(res.status).toBe(412);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(res.body.issue[0].expression).toEqual(['Encounter.participant[0].individual']);
    expect(await t.store.countByType()).toEqual({});
  });

  it('takes Parameters with a resource and a mode', async () => {
    const body = { resourceType: 'Parameters', parameter: [{ name: 'mode', valueCode: 'lenient' }, { name: 'resource', resource: { resourceType: 'Patient', id: 'p', birthDate: 'soon' } }] };
    const res = await request(t.app).post('/fhir/$import').send(body);
    expect(param(res.body, 'created')?.valueInteger).toBe(1);
    expect(parts(res.body, 'warning')[0].part?.find((x) => x.name === 'outcome')?.resource?.issue[0].expression).toEqual(['Patient.birthDate']);
  });

  it('answers bad input with a clear OperationOutcome and keeps serving', async () => {
    const cases: [string, string, number, string][] = [
      ['application/fhir+json', 'not json', 400, 'not valid JSON'],
      ['application/fhir+json', '[1,2]', 400, 'FHIR resource'],
      ['application/fhir+json', '{"hello":"world"}', 400, 'resourceType'],
      ['application/fhir+json', '{"resourceType":"Bundle","type":"batch"}', 400, 'no entries'],
      ['application/fhir+json', `{"resourceType":"Bundle","type":"batch","entry":${'['.repeat(100000)}${']'.repeat(100000)}}`, 400, 'nesting'],
      ['application/xml', '<Bundle/>', 415, 'not supported'],
      ['application/fhir+json', `{"resourceType":"Patient","text":"${'x'.repeat(300 * 1024)}"}`, 413, 'limit'],
    ];
    for (const [type, body, status, message] of cases) {
      const res = await request(t.app).post('/fhir/$import').set('Content-Type', type).send(body);
      expect([res.status, res.body.resourceType]).toEqual([status, 'OperationOutcome']);
      expect(res.body.issue[0].diagnostics).toContain(message);
    }
    const noResource = await request(t.app).post('/fhir/$import').send({ resourceType: 'Bundle', type: 'batch', entry: [{ request: { method: 'POST', url: 'Patient' } }] });
    expect(sub(parts(noResource.body, 'failure')[0], 'index')?.valueInteger).toBe(0);
    expect(await t.store.countByType()).toEqual({});
    expect((await request(t.app).get('/health')).status).toBe(200);
  });

  it('rejects an unknown mode', async () => {
    const res = await request(t.app).post('/fhir/$import?mode=sloppy').send({ resourceType: 'Patient' });
    expect(res.status).toBe(400);
    expect(res.body.issue[0].expression).toEqual(['mode']);
  });

  it('is listed in the CapabilityStatement with its definition', async () => {
    const meta = await request(t.app).get('/fhir/metadata');
    expect(meta.body.rest[0].operation.map((o: { name: string }) => o.name)).toContain('import');
    const def = await request(t.app).get('/fhir/OperationDefinition/import');
    expect(def.body.code).toBe('import');
  });

  it('resolves a conditional reference to a patient imported earlier', async () => {
    await request(t.app).post('/fhir/$import').send(supportBatch());
    await request(t.app).post('/fhir/$import').send(patientBundle(5));
    const obs = { resourceType: 'Observation', id: 'late', status: 'final', code: { text: 'x' }, performer: [{ reference: `Practitioner?identifier=${NPI}|9999999991` }], subject: { reference: `Patient/${patientId(5)}` } };
    const res = await request(t.app).post('/fhir/$import').send(obs);
    expect(param(res.body, 'created')?.valueInteger).toBe(1);
  });
});
