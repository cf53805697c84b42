/**
 * REST writes validated with the import's engine (MEDGEN_VALIDATE_WRITES): 400 for content that is not valid
 * FHIR, 422 for rule violations, nothing stored; transactions fail whole, batch entries alone; `warn` stores
 * and reports; what a strict import takes, REST takes too.
 */
import { readFileSync } from 'node:fs';
import request from 'supertest';
import type { Bundle, OperationOutcome } from 'fhir/r4.js';
import { loadConfig } from '../../src/config.js';
import { generatePopulation } from '../../src/generate/population.js';
import { FHIR_JSON, makeTestApp, patient, type TestApp } from './test-app.js';

const SLOPPY = { resourceType: 'Patient', birthDate: 'not-a-date', gender: 'robot', name: 'notarray', foo: 1 };
/** Valid structure, but pat-1: a contact needs details or an organization. */
const CONTACT_WITHOUT_DETAILS = { resourceType: 'Patient', contact: [{ gender: 'male' }] };
/** A heart rate without the vital-signs category: the implied profile only warns on stored data (AS_STORED), as in an import. */
const HEART_RATE_WITHOUT_CATEGORY = {
  resourceType: 'Observation',
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] },
  subject: { reference: 'Patient/p1' },
  effectiveDateTime: '2020-01-01T10:00:00Z',
  valueQuantity: { value: 72, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
};

const expressions = (o: OperationOutcome) => (o.issue ?? []).flatMap((i) => i.expression ?? []);
const severities = (o: OperationOutcome) => new Set((o.issue ?? []).map((i) => i.severity));

async function count(t: TestApp, type: string): Promise<number> {
  const res = await request(t.app).get(`/fhir/${type}?_summary=count`).expect(200);
  return res.body.total as number;
}

describe('REST writes, strict (the default)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp();
  });
  afterAll(async () => t.close());

  it('refuses a structurally invalid create with 400, naming each fault, and stores nothing', async () => {
    const res = await request(t.app).post('/fhir/Patient').set('Content-Type', FHIR_JSON).send(SLOPPY).expect(400);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(expressions(res.body)).toEqual(expect.arrayContaining(['Patient.birthDate', 'Patient.gender', 'Patient.name', 'Patient.foo']));
    expect(await count(t, 'Patient')).toBe(0);
  });

  it('refuses an Observation without its required status and code with 400', async () => {
    const res = await request(t.app).post('/fhir/Observation').set('Content-Type', FHIR_JSON).send({ resourceType: 'Observation' }).expect(400);
    expect(new Set(res.body.issue.map((i: { code: string }) => i.code))).toEqual(new Set(['required']));
    const said = res.body.issue.map((i: { diagnostics: string }) => i.diagnostics).join(' ');
    expect(said).toMatch(/Missing required element 'status'/);
    expect(said).toMatch(/Missing required element 'code'/);
    expect(expressions(res.body)).toContain('Observation');
    expect(await count(t, 'Observation')).toBe(0);
  });

  it('answers 422 for a rule violation in otherwise valid content', async () => {
    const res = await request(t.app).post('/fhir/Patient').set('Content-Type', FHIR_JSON).send(CONTACT_WITHOUT_DETAILS).expect(422);
    expect(res.body.issue).toEqual([expect.objectContaining({ severity: 'error', code: 'invariant', expression: ['Patient.contact[0]'], diagnostics: expect.stringMatching(/^pat-1/) })]);
    expect(await count(t, 'Patient')).toBe(0);
  });

  it('refuses an invalid update and leaves the stored version alone; an update that creates stores nothing', async () => {
    await request(t.app).put('/fhir/Patient/keep').set('Content-Type', FHIR_JSON).send({ ...patient('Keep'), id: 'keep' }).expect(201);
    const res = await request(t.app).put('/fhir/Patient/keep').set('Content-Type', FHIR_JSON).send({ ...SLOPPY, id: 'keep' }).expect(400);
    expect(expressions(res.body)).toContain('Patient.birthDate');
    const kept = await request(t.app).get('/fhir/Patient/keep').expect(200);
    expect(kept.body.meta.versionId).toBe('1');
    expect(kept.body.birthDate).toBe('1970-05-06');
    await request(t.app).put('/fhir/Patient/never').set('Content-Type', FHIR_JSON).send({ ...CONTACT_WITHOUT_DETAILS, id: 'never' }).expect(422);
    await request(t.app).get('/fhir/Patient/never').expect(404);
    await request(t.app).delete('/fhir/Patient/keep').expect(200);
  });

  it('stores content that only raises warnings, answering errors only, as a strict import does', async () => {
    const res = await request(t.app).post('/fhir/Observation').set('Content-Type', FHIR_JSON).set('Prefer', 'return=OperationOutcome').send(HEART_RATE_WITHOUT_CATEGORY).expect(201);
    expect(res.headers.warning).toBeUndefined();
    expect(res.body.issue).toEqual([expect.objectContaining({ severity: 'information' })]);
    expect(await count(t, 'Observation')).toBe(1);
  });

  it('fails a whole transaction for one invalid entry, naming the entry, and stores none of it', async () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { fullUrl: 'urn:uuid:6c1e5d7a-0000-4000-8000-000000000001', resource: patient('InTransaction'), request: { method: 'POST', url: 'Patient' } },
        { resource: SLOPPY, request: { method: 'POST', url: 'Patient' } },
        { resource: { ...CONTACT_WITHOUT_DETAILS, id: 'tx' }, request: { method: 'PUT', url: 'Patient/tx' } },
      ],
    };
    const res = await request(t.app).post('/fhir').set('Content-Type', FHIR_JSON).send(bundle).expect(400);
    expect(expressions(res.body)).toEqual(expect.arrayContaining(['Bundle.entry[1].resource.birthDate', 'Bundle.entry[1].resource.foo', 'Bundle.entry[2].resource.contact[0]']));
    expect(expressions(res.body).some((e) => e.startsWith('Bundle.entry[0]'))).toBe(false);
    expect(await count(t, 'Patient')).toBe(0);
    const rulesOnly = { ...bundle, entry: [bundle.entry[0], bundle.entry[2]] };
    const ruled = await request(t.app).post('/fhir').set('Content-Type', FHIR_JSON).send(rulesOnly).expect(422);
    expect(expressions(ruled.body)).toEqual(['Bundle.entry[1].resource.contact[0]']);
    expect(await count(t, 'Patient')).toBe(0);
  });

  it('fails only the invalid entries of a batch, each with its status and outcome', async () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'batch',
      entry: [
        { resource: patient('InBatch'), request: { method: 'POST', url: 'Patient' } },
        { resource: SLOPPY, request: { method: 'POST', url: 'Patient' } },
        { resource: { ...CONTACT_WITHOUT_DETAILS, id: 'b2' }, request: { method: 'PUT', url: 'Patient/b2' } },
        { resource: HEART_RATE_WITHOUT_CATEGORY, request: { method: 'POST', url: 'Observation' } },
      ],
    };
    const res = await request(t.app).post('/fhir').set('Content-Type', FHIR_JSON).send(bundle).expect(200);
    const responses = (res.body as Bundle).entry!.map((e) => e.response!);
    expect(responses.map((r) => r.status)).toEqual(['201 Created', '400', '422', '201 Created']);
    expect(expressions(responses[1].outcome as OperationOutcome)).toContain('Patient.gender');
    expect(expressions(responses[2].outcome as OperationOutcome)).toEqual(['Patient.contact[0]']);
    expect(responses[0].outcome).toBeUndefined();
    expect(responses[3].outcome).toBeUndefined();
    const stored = await request(t.app).get('/fhir/Patient?family=InBatch').expect(200);
    expect(stored.body.total).toBe(1);
    expect(await count(t, 'Patient')).toBe(1);
  });

  it('creates each resource of a Synthea sample, and loads generated patients by batch and transaction', async () => {
    const sample = JSON.parse(readFileSync(new URL('../fixtures/validation/synthea-sample.json', import.meta.url), 'utf8')) as Bundle;
    for (const { resource } of sample.entry!) {
      const res = await request(t.app).post(`/fhir/${resource!.resourceType}`).set('Content-Type', FHIR_JSON).send(resource);
      expect([resource!.resourceType, res.status, res.body.issue ?? []]).toEqual([resource!.resourceType, 201, []]);
    }
    const population = generatePopulation({ count: 2, seed: 5, referenceDate: '2024-06-30' });
    for (const bundle of [population.hospitalInformation, population.practitionerInformation]) {
      const res = await request(t.app).post('/fhir').set('Content-Type', FHIR_JSON).send(bundle).expect(200);
      expect((res.body as Bundle).entry!.filter((e) => !/^20[01]/.test(e.response!.status))).toEqual([]);
    }
    for (const bundle of population.patients) {
      const res = await request(t.app).post('/fhir').set('Content-Type', FHIR_JSON).send(bundle);
      expect([res.status, res.body.issue ?? []]).toEqual([200, []]);
    }
  });
});

describe('REST writes, MEDGEN_VALIDATE_WRITES=warn and off', () => {
  it('warn stores an invalid resource and answers its errors as warnings', async () => {
    const t = await makeTestApp({ validateWrites: 'warn' });
    try {
      const res = await request(t.app).post('/fhir/Patient').set('Content-Type', FHIR_JSON).set('Prefer', 'return=OperationOutcome').send(SLOPPY).expect(201);
      expect(res.headers.warning).toMatch(/299 medgen-data ".*\(at Patient\./);
      expect(severities(res.body)).toEqual(new Set(['information', 'warning']));
      expect(expressions(res.body)).toEqual(expect.arrayContaining(['Patient.birthDate', 'Patient.foo']));
      const tx = { resourceType: 'Bundle', type: 'transaction', entry: [{ resource: CONTACT_WITHOUT_DETAILS, request: { method: 'POST', url: 'Patient' } }] };
      const done = await request(t.app).post('/fhir').set('Content-Type', FHIR_JSON).send(tx).expect(200);
      const entryOutcome = (done.body as Bundle).entry![0].response!.outcome as OperationOutcome;
      expect(entryOutcome.issue).toEqual(expect.arrayContaining([expect.objectContaining({ severity: 'warning', code: 'invariant', expression: ['Bundle.entry[0].resource.contact[0]'] })]));
      expect(severities(entryOutcome)).toEqual(new Set(['warning']));
      const vital = await request(t.app).post('/fhir/Observation').set('Content-Type', FHIR_JSON).send(HEART_RATE_WITHOUT_CATEGORY).expect(201);
      expect(vital.headers.warning).toMatch(/VSCat/);
      expect(await count(t, 'Patient')).toBe(2);
    } finally {
      await t.close();
    }
  });

  it('off stores an invalid resource without a word', async () => {
    const t = await makeTestApp({ validateWrites: 'off' });
    try {
      const res = await request(t.app).post('/fhir/Patient').set('Content-Type', FHIR_JSON).send(SLOPPY).expect(201);
      expect(res.headers.warning).toBeUndefined();
      expect(await count(t, 'Patient')).toBe(1);
    } finally {
      await t.close();
    }
  });

  it('is read from MEDGEN_VALIDATE_WRITES, strict by default, and a wrong value is refused', () => {
    expect(loadConfig({}).validateWrites).toBe('strict');
    expect(loadConfig({ MEDGEN_VALIDATE_WRITES: 'Warn' }).validateWrites).toBe('warn');
    expect(() => loadConfig({ MEDGEN_VALIDATE_WRITES: 'lenient' })).toThrow(/MEDGEN_VALIDATE_WRITES must be strict, warn or off, got "lenient"/);
  });
});
