import type { Patient } from 'fhir/r4.js';
import request from 'supertest';
import { makeTestApp, patient, type TestApp } from './test-app.js';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp();
});
afterEach(() => t.close());

const PATIENT_URN = 'urn:uuid:8f0c8c44-8d59-4a1a-9b7c-3f1f0e6a3d11';

function transaction(extra: object[] = []) {
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      { fullUrl: PATIENT_URN, resource: patient('Tx'), request: { method: 'POST', url: 'Patient' } },
      {
        fullUrl: 'urn:uuid:0b8a7a2e-5b8f-4a53-9c3b-3f4a3a0c2e01',
        resource: {
          resourceType: 'Observation',
          status: 'final',
          code: { coding: [{ system: 'http://loinc.org', code: '8302-2' }] },
          subject: { reference: PATIENT_URN },
        },
        request: { method: 'POST', url: 'Observation' },
      },
      ...extra,
    ],
  };
}

describe('transaction', () => {
  it('rewrites urn:uuid references to the stored ids', async () => {
    const res = await request(t.app).post('/fhir').send(transaction());
    expect(res.status).toBe(200);
    expect(res.body.type).toBe('transaction-response');
    const [p, o] = res.body.entry;
    expect(p.response.status).toBe('201 Created');
    const patientId = p.response.location.split('/')[1];
    const obsId = o.response.location.split('/')[1];
    const obs = await request(t.app).get(`/fhir/Observation/${obsId}`);
    expect(obs.body.subject.reference).toBe(`Patient/${patientId}`);
    const linked = await request(t.app).get(`/fhir/Observation?subject=Patient/${patientId}`);
    expect(linked.body.total).toBe(1);
  });

  it('stores nothing when one entry has an unknown resource type', async () => {
    const bad = { resource: { resourceType: 'Starship', name: 'x' }, request: { method: 'POST', url: 'Starship' } };
    const res = await request(t.app).post('/fhir').send(transaction([bad]));
    expect(res.status).toBe(400);
    expect(res.body.issue[0].expression[0]).toMatch(/^Bundle\.entry\[2\]/);
    expect((await t.store.countByType())).toEqual({});
  });

  it('stores nothing when a later write fails inside the store', async () => {
    await request(t.app).put('/fhir/Patient/keep').send({ ...patient('Keep'), id: 'keep' });
    const stale = { resource: { ...patient('Changed'), id: 'keep' }, request: { method: 'PUT', url: 'Patient/keep', ifMatch: 'W/"9"' } };
    const res = await request(t.app).post('/fhir').send(transaction([stale]));
    expect(res.status).toBe(412);
    expect(res.body.issue[0].expression).toEqual(['Bundle.entry[2]']);
    expect(await t.store.countByType()).toEqual({ Patient: 1 });
    expect(((await t.store.read('Patient', 'keep')) as Patient).name?.[0].family).toBe('Keep');
  });

  it('resolves conditional references and ifNoneExist against the store', async () => {
    const org = { resourceType: 'Organization', name: 'General', identifier: [{ system: 'https://github.com/synthetichealth/synthea', value: 'org-1' }] };
    await request(t.app).put('/fhir/Organization/org1').send({ ...org, id: 'org1' });
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { resource: patient('Cond', { managingOrganization: { reference: 'Organization?identifier=https://github.com/synthetichealth/synthea|org-1' } }), request: { method: 'POST', url: 'Patient' } },
        { resource: org, request: { method: 'POST', url: 'Organization', ifNoneExist: 'identifier=https://github.com/synthetichealth/synthea|org-1' } },
      ],
    };
    const res = await request(t.app).post('/fhir').send(bundle);
    expect(res.status).toBe(200);
    expect(res.body.entry[1].response.status).toBe('200 OK');
    const pid = res.body.entry[0].response.location.split('/')[1];
    expect(((await t.store.read('Patient', pid)) as Patient).managingOrganization?.reference).toBe('Organization/org1');
    expect((await t.store.countByType()).Organization).toBe(1);
  });

  it('answers 412 and stores nothing when a conditional reference matches nothing', async () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [{ resource: patient('X', { generalPractitioner: [{ reference: 'Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|999' }] }), request: { method: 'POST', url: 'Patient' } }],
    };
    const res = await request(t.app).post('/fhir').send(bundle);
    expect(res.status).toBe(412);
    expect(res.body.issue[0].expression).toEqual(['Bundle.entry[0].resource.generalPractitioner[0]']);
    expect(await t.store.countByType()).toEqual({});
  });
});

describe('transaction: conditional update and delete, order, duplicates', () => {
  const mrn = (value: string) => [{ system: 'urn:mrn', value }];

  it('updates the one match of a conditional PUT, deletes the one match of a conditional DELETE', async () => {
    await request(t.app).put('/fhir/Patient/cu').send({ ...patient('Before', { identifier: mrn('7') }), id: 'cu' });
    await request(t.app).put('/fhir/Patient/cd').send({ ...patient('Doomed', { identifier: mrn('8') }), id: 'cd' });
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { resource: patient('After', { identifier: mrn('7') }), request: { method: 'PUT', url: 'Patient?identifier=urn:mrn|7' } },
        { request: { method: 'DELETE', url: 'Patient?identifier=urn:mrn|8' } },
        { resource: patient('New', { identifier: mrn('9') }), request: { method: 'PUT', url: 'Patient?identifier=urn:mrn|9' } },
      ],
    };
    const res = await request(t.app).post('/fhir').send(bundle);
    expect(res.status).toBe(200);
    expect(res.body.entry.map((e: { response: { status: string } }) => e.response.status)).toEqual(['200 OK', '204 No Content', '201 Created']);
    expect(((await t.store.read('Patient', 'cu')) as Patient).name?.[0].family).toBe('After');
    await expect(t.store.read('Patient', 'cd')).rejects.toMatchObject({ status: 410 });
    expect(await t.store.findByIdentifier('Patient', 'urn:mrn', '9')).toHaveLength(1);
  });

  it('runs deletes before creates and reads last, whatever the entry order', async () => {
    await request(t.app).put('/fhir/Patient/old').send({ ...patient('Old'), id: 'old' });
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { request: { method: 'GET', url: 'Patient?family=fresh' } },
        { resource: patient('Fresh'), request: { method: 'POST', url: 'Patient' } },
        { request: { method: 'DELETE', url: 'Patient/old' } },
      ],
    };
    const res = await request(t.app).post('/fhir').send(bundle);
    expect(res.status).toBe(200);
    expect(res.body.entry[0].resource.total).toBe(1);
    expect(res.body.entry[2].response.status).toBe('204 No Content');
  });

  it('refuses two entries that change the same resource', async () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { resource: { ...patient('A'), id: 'same' }, request: { method: 'PUT', url: 'Patient/same' } },
        { request: { method: 'DELETE', url: 'Patient/same' } },
      ],
    };
    const res = await request(t.app).post('/fhir').send(bundle);
    expect(res.status).toBe(400);
    expect(await t.store.countByType()).toEqual({});
  });
});

describe('batch', () => {
  it('stores the good entries and reports the bad one in its place', async () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'batch',
      entry: [
        { resource: patient('B1'), request: { method: 'POST', url: 'Patient' } },
        { resource: { resourceType: 'Patient', name: 'x' }, request: { method: 'POST', url: 'Observation' } },
        { request: { method: 'GET', url: 'Patient/nope' } },
        { resource: patient('B2'), request: { method: 'POST', url: 'Patient' } },
      ],
    };
    const res = await request(t.app).post('/fhir').send(bundle);
    expect(res.status).toBe(200);
    expect(res.body.type).toBe('batch-response');
    const statuses = res.body.entry.map((e: { response: { status: string } }) => e.response.status);
    expect(statuses).toEqual(['201 Created', '400', '404', '201 Created']);
    expect(res.body.entry[1].response.outcome.resourceType).toBe('OperationOutcome');
    expect((await t.store.countByType()).Patient).toBe(2);
  });

  it('rejects bundles that are neither transaction nor batch', async () => {
    const res = await request(t.app).post('/fhir').send({ resourceType: 'Bundle', type: 'collection', entry: [] });
    expect(res.status).toBe(400);
    expect(res.body.issue[0].expression).toEqual(['Bundle.type']);
  });
});
