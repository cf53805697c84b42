import request from 'supertest';
import { isLoopbackHost, loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startServer } from '../../src/server.js';
import { makeTestApp, patient, type TestApp } from './test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp({ apiKeys: ['s3cret-key', 'second-key'] });
});
afterAll(() => t.close());

describe('MEDGEN_API_KEYS', () => {
  it('answers 401 with WWW-Authenticate without a token or with a wrong one', async () => {
    const none = await request(t.app).get('/fhir/Patient');
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(none.body.resourceType).toBe('OperationOutcome');
    const wrong = await request(t.app).get('/fhir/Patient').set('Authorization', 'Bearer s3cret-kez');
    expect(wrong.status).toBe(401);
  });

  it('accepts every configured key', async () => {
    const created = await request(t.app).post('/fhir/Patient').set('Authorization', 'Bearer s3cret-key').send(patient('Auth'));
    expect(created.status).toBe(201);
    const read = await request(t.app).get(`/fhir/Patient/${created.body.id}`).set('Authorization', 'Bearer second-key');
    expect(read.status).toBe(200);
  });

  it('protects DICOMweb too', async () => {
    expect((await request(t.app).get('/dicomweb/studies')).status).toBe(401);
    const ok = await request(t.app).get('/dicomweb/studies').set('Authorization', 'Bearer s3cret-key');
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual([]);
  });

  it('leaves /health and /fhir/metadata open', async () => {
    expect((await request(t.app).get('/health')).status).toBe(200);
    const metadata = await request(t.app).get('/fhir/metadata');
    expect(metadata.status).toBe(200);
    expect(metadata.body.resourceType).toBe('CapabilityStatement');
  });
});

describe('listening', () => {
  it('refuses a non-loopback host without keys', async () => {
    const config = loadConfig({}, { host: '0.0.0.0', port: 0, dataDir: '/tmp/medgen-never-created' });
    await expect(startServer(config, createLogger('silent'))).rejects.toThrow(/MEDGEN_API_KEYS/);
  });

  it('knows loopback addresses', () => {
    expect(['127.0.0.1', 'localhost', '::1', '[::1]', '127.1.2.3'].every(isLoopbackHost)).toBe(true);
    expect(['0.0.0.0', '10.0.0.1', '::', 'example.org'].some(isLoopbackHost)).toBe(false);
  });
});
