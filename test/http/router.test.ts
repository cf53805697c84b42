import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import type { OperationDefinition } from 'fhir/r4.js';
import { createDataManagementRouter } from '../../routes/create-router.js';
import { loadConfig } from '../../src/config.js';
import { FileArea } from '../../src/files/file-area.js';
import { allOk } from '../../src/fhir/outcomes.js';
import type { FhirOperation } from '../../src/fhir/rest/operation.js';
import { createLogger } from '../../src/logger.js';
import { openStore } from '../../src/store/open-store.js';
import type { ResourceStore } from '../../src/store/resource-store.js';

const echo: FhirOperation = {
  code: 'echo',
  definition: { resourceType: 'OperationDefinition', id: 'echo', name: 'Echo', status: 'active', kind: 'operation', code: 'echo', system: true, type: false, instance: false } as OperationDefinition,
  handler: async (_ctx, req, target) => ({ status: 200, body: allOk(`echo ${target.resourceType ?? '-'} ${target.id ?? '-'} ${JSON.stringify(req.body ?? null)}`) }),
};

let store: ResourceStore;
let dir: string;
let app: express.Express;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-router-'));
  const config = loadConfig({}, { dataDir: dir });
  store = await openStore(config);
  app = express();
  app.use(express.json({ type: ['application/json', 'application/fhir+json'] }));
  app.use(express.urlencoded({ extended: true }));
  app.use('/api/v2/fhir', createDataManagementRouter({ store, files: new FileArea(dir), config, logger: createLogger('silent'), operations: [echo] }));
});
afterAll(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('createDataManagementRouter', () => {
  it('mounts under any path and builds links from it', async () => {
    const created = await request(app).post('/api/v2/fhir/Patient').send({ resourceType: 'Patient', gender: 'male' });
    expect(created.status).toBe(201);
    expect(created.headers.location).toMatch(/\/api\/v2\/fhir\/Patient\/[^/]+\/_history\/1$/);
    const search = await request(app).get('/api/v2/fhir/Patient?gender=male');
    expect(search.body.link[0].url).toMatch(/\/api\/v2\/fhir\/Patient\?gender=male$/);
  });

  it('still checks bodies a host parser already parsed', async () => {
    const res = await request(app).post('/api/v2/fhir/Patient').set('Content-Type', 'application/json').send('{"resourceType":"Patient","constructor":{"prototype":{"x":1}}}');
    expect(res.status).toBe(400);
    expect(res.body.issue[0].expression).toEqual(['constructor']);
  });

  it('searches with a form body a host parser already parsed, and refuses one that is not plain values', async () => {
    await request(app).post('/api/v2/fhir/Patient').send({ resourceType: 'Patient', gender: 'other' });
    const res = await request(app).post('/api/v2/fhir/Patient/_search').type('form').send('gender=other');
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(1);
    const nested = await request(app).post('/api/v2/fhir/Patient/_search').type('form').send('gender[a]=other');
    expect(nested.status).toBe(400);
    expect(nested.body.resourceType).toBe('OperationOutcome');
  });

  it('routes $op and %24op to a registered operation at every level, and 404s unknown ones', async () => {
    for (const url of ['/api/v2/fhir/$echo', '/api/v2/fhir/%24echo']) {
      const res = await request(app).post(url).send({ resourceType: 'Parameters' });
      expect(res.status).toBe(200);
      expect(res.body.issue[0].diagnostics).toBe('echo - - {"resourceType":"Parameters"}');
    }
    const instance = await request(app).post('/api/v2/fhir/Patient/abc/$echo');
    expect(instance.body.issue[0].diagnostics).toBe('echo Patient abc null');
    expect((await request(app).post('/api/v2/fhir/$nope')).status).toBe(404);
  });

  it('lists operations, interactions and search parameters in the CapabilityStatement', async () => {
    const res = await request(app).get('/api/v2/fhir/metadata');
    expect(res.body.fhirVersion).toBe('4.0.1');
    const rest = res.body.rest[0];
    expect(rest.operation).toEqual([{ name: 'echo', definition: expect.stringMatching(/\/api\/v2\/fhir\/OperationDefinition\/echo$/) }]);
    const patient = rest.resource.find((r: { type: string }) => r.type === 'Patient');
    expect(patient.interaction.map((i: { code: string }) => i.code)).toEqual(expect.arrayContaining(['read', 'vread', 'update', 'delete', 'create', 'search-type']));
    const names = patient.searchParam.map((p: { name: string }) => p.name);
    expect(names).toEqual(expect.arrayContaining(['family', 'given', 'name', 'birthdate', 'gender', 'identifier']));
    expect(rest.resource.length).toBeGreaterThan(140);
    const def = await request(app).get('/api/v2/fhir/OperationDefinition/echo');
    expect(def.body).toMatchObject({ resourceType: 'OperationDefinition', code: 'echo' });
  });

  it('answers 405 for a method an address does not take', async () => {
    const res = await request(app).patch('/api/v2/fhir/Patient').send({});
    expect(res.status).toBe(405);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(res.headers.allow).toBe('GET, HEAD, POST, PUT, DELETE');
    const cases: [string, string, string][] = [
      ['post', '/api/v2/fhir/Patient/p1', 'GET, HEAD, PUT, PATCH, DELETE'],
      ['delete', '/api/v2/fhir/metadata', 'GET, HEAD'],
      ['get', '/api/v2/fhir/Patient/_search', 'POST'],
      ['put', '/api/v2/fhir/Patient/p1/_history', 'GET, HEAD'],
      ['get', '/api/v2/fhir', 'POST'],
    ];
    for (const [method, url, allow] of cases) {
      const r = await (request(app) as unknown as Record<string, (u: string) => request.Test>)[method](url);
      expect([url, r.status, r.headers.allow]).toEqual([url, 405, allow]);
    }
  });
});
