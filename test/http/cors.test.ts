import request from 'supertest';
import { loadConfig } from '../../src/config.js';
import { makeTestApp, patient, type TestApp } from './test-app.js';

const VIEWER = 'http://127.0.0.1:3000';

describe('MEDGEN_CORS_ORIGINS', () => {
  let t: TestApp;
  let off: TestApp;
  beforeAll(async () => {
    t = await makeTestApp({ corsOrigins: [VIEWER], apiKeys: ['k'] });
    off = await makeTestApp();
  });
  afterAll(async () => {
    await t.close();
    await off.close();
  });

  it('answers a preflight from a listed origin before authentication, for FHIR and DICOMweb', async () => {
    for (const url of ['/fhir/Patient', '/dicomweb/studies']) {
      const res = await request(t.app)
        .options(url)
        .set('Origin', VIEWER)
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'authorization, content-type, x-unknown');
      expect(res.status).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe(VIEWER);
      expect(res.headers['access-control-allow-methods']).toContain('POST');
      expect(res.headers['access-control-allow-headers']).toBe('authorization, content-type');
      expect(res.headers.vary).toContain('Origin');
    }
  });

  it('lets a listed origin read what a create answers, Location and ETag included', async () => {
    const res = await request(t.app).post('/fhir/Patient').set('Origin', VIEWER).set('Authorization', 'Bearer k').send(patient('Cors'));
    expect(res.status).toBe(201);
    expect(res.headers['access-control-allow-origin']).toBe(VIEWER);
    expect(res.headers['access-control-expose-headers']).toMatch(/Location.*ETag.*X-Progress.*X-Request-Id/);
  });

  it('gives an origin not in the list no allow header, and a preflight from it no 204', async () => {
    const preflight = await request(t.app).options('/fhir/Patient').set('Origin', 'http://evil.test').set('Access-Control-Request-Method', 'GET');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.status).not.toBe(204);
    const get = await request(t.app).get('/fhir/metadata').set('Origin', 'http://evil.test');
    expect(get.status).toBe(200);
    expect(get.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('sends no CORS header at all when unset', async () => {
    const res = await request(off.app).get('/fhir/metadata').set('Origin', VIEWER);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await request(off.app).options('/fhir/Patient').set('Origin', VIEWER).set('Access-Control-Request-Method', 'GET');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('allows every origin with *, and refuses a value that is not an origin', () => {
    expect(loadConfig({ MEDGEN_CORS_ORIGINS: '*' }).corsOrigins).toEqual(['*']);
    expect(loadConfig({ MEDGEN_CORS_ORIGINS: ' http://a.test:8081 , https://b.test ' }).corsOrigins).toEqual(['http://a.test:8081', 'https://b.test']);
    expect(loadConfig({}).corsOrigins).toEqual([]);
    for (const bad of ['http://a.test/', 'a.test', 'ftp://a.test', 'http://a.test/viewer']) {
      expect(() => loadConfig({ MEDGEN_CORS_ORIGINS: bad })).toThrow(/MEDGEN_CORS_ORIGINS/);
    }
  });
});

describe('MEDGEN_CORS_ORIGINS=*', () => {
  it('answers any origin with *', async () => {
    const t = await makeTestApp({ corsOrigins: ['*'] });
    try {
      const res = await request(t.app).get('/fhir/metadata').set('Origin', 'http://anywhere.test');
      expect(res.headers['access-control-allow-origin']).toBe('*');
    } finally {
      await t.close();
    }
  });
});
