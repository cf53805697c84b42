import request from 'supertest';
import { localizeDicomwebEndpoint } from '../../src/imaging/endpoint-address.js';
import { dicomwebEndpoint } from '../../src/imaging/endpoint-resource.js';
import { makeTestApp, type TestApp } from '../http/test-app.js';

describe('the DICOMweb Endpoint as the client reaches the server', () => {
  it('readdresses our Endpoint, alone or in a Bundle, and leaves other resources as they are', () => {
    const stale = dicomwebEndpoint('http://127.0.0.1:8080/dicomweb');
    expect(localizeDicomwebEndpoint(stale, 'http://viewer.test/dicomweb').address).toBe('http://viewer.test/dicomweb');
    expect(stale.address).toBe('http://127.0.0.1:8080/dicomweb');
    const other = { resourceType: 'Endpoint', id: 'pacs', address: 'http://pacs.test/wado' };
    const bundle = { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: other }, { resource: stale }] };
    const local = localizeDicomwebEndpoint(bundle, 'http://viewer.test/dicomweb');
    expect(local.entry.map((e) => e.resource.address)).toEqual(['http://pacs.test/wado', 'http://viewer.test/dicomweb']);
    expect(localizeDicomwebEndpoint(other, 'http://viewer.test/dicomweb')).toBe(other);
  });

  describe('over HTTP', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await makeTestApp();
      await t.store.update(dicomwebEndpoint('http://127.0.0.1:8080/dicomweb'));
    });
    afterAll(() => t.close());

    it('read and search answer the address beside the FHIR base the request came to, not the one stored', async () => {
      const read = await request(t.app).get('/fhir/Endpoint/medgen-dicomweb').set('Host', 'imaging.example.test:9443');
      expect(read.status).toBe(200);
      expect(read.body.address).toBe('http://imaging.example.test:9443/dicomweb');
      const search = await request(t.app).get('/fhir/Endpoint?_id=medgen-dicomweb').set('Host', 'localhost:3001');
      expect(search.body.entry[0].resource.address).toBe('http://localhost:3001/dicomweb');
    });
  });
});
