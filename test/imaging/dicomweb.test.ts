/**
 * DICOMweb and $enhance-imaging over HTTP: a real app with the FHIR router (plus the operation) at /fhir
 * and the DICOMweb router at /dicomweb over a real SQLite store.
 */
import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { createEnhanceImagingOperation } from '../../operations/enhance-imaging.js';
import { createDataManagementRouter } from '../../routes/create-router.js';
import { createDicomwebRouter } from '../../routes/dicomweb-router.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { makeImagingFixture, PATIENT_ID, type ImagingFixture } from './imaging-fixture.js';
import { parts } from './dicomweb-app.js';

type Json = Record<string, { vr: string; Value?: unknown[] }>;

/** Collects a binary body into a Buffer (supertest's parser hook). */
function binary(res: request.Response, done: (err: Error | null, body: Buffer) => void) {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}

const value = (ds: Json, tag: string) => ds[tag]?.Value?.[0];

describe('DICOMweb and $enhance-imaging over HTTP', () => {
  let fx: ImagingFixture;
  let app: express.Express;
  let studyUid: string;
  let seriesUid: string;

  beforeAll(async () => {
    fx = await makeImagingFixture();
    const logger = createLogger('silent');
    app = express();
    app.use('/fhir', createDataManagementRouter({ store: fx.store, files: fx.files, logger, config: loadConfig({}, { dataDir: fx.dir }), operations: [createEnhanceImagingOperation(fx.fileStore)] }));
    app.use('/dicomweb', createDicomwebRouter({ store: fx.store, fileStore: fx.fileStore, logger }));
  });
  afterAll(async () => fx.close());

  test('Patient/{unknown}/$enhance-imaging is a 404 OperationOutcome', async () => {
    const res = await request(app).post('/fhir/Patient/nobody/$enhance-imaging').send({});
    expect(res.status).toBe(404);
    expect(res.body.resourceType).toBe('OperationOutcome');
  });

  test('Patient/{id}/$enhance-imaging answers the counts and points the Endpoint at /dicomweb', async () => {
    const res = await request(app).post(`/fhir/Patient/${PATIENT_ID}/$enhance-imaging`).send({});
    expect(res.status).toBe(200);
    const counts = Object.fromEntries(res.body.parameter.map((p: { name: string; valueInteger?: number; valueDecimal?: number }) => [p.name, p.valueInteger ?? p.valueDecimal]));
    expect(counts).toMatchObject({ patients: 1, created: 4, instances: 114, filesWritten: 114 });
    const endpoint = await request(app).get('/fhir/Endpoint/medgen-dicomweb');
    expect(endpoint.body.address).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/dicomweb$/);
    const again = await request(app).post('/fhir/%24enhance-imaging').send({});
    expect(again.body.parameter.find((p: { name: string }) => p.name === 'filesWritten').valueInteger).toBe(0);
  });

  test('QIDO-RS finds studies by PatientID and by StudyInstanceUID, then series and instances', async () => {
    const byPatient = await request(app).get(`/dicomweb/studies?PatientID=${PATIENT_ID}`);
    expect(byPatient.status).toBe(200);
    expect(byPatient.headers['content-type']).toMatch(/^application\/dicom\+json/);
    const found = byPatient.body as Json[];
    expect(found).toHaveLength(4);
    const mr = found.find((s) => (s['00080061'].Value as string[]).includes('MR'))!;
    expect(value(mr, '00100010')).toEqual({ Alphabetic: 'Núñez^Ana^María^Ms.' });
    expect(value(mr, '00201208')).toBe(100);
    // An attribute without a value has no Value (PS3.18 F.2.5): ReferringPhysicianName is empty here.
    expect(mr['00080090']).toEqual({ vr: 'PN' });
    studyUid = value(mr, '0020000D') as string;
    expect((await request(app).get('/dicomweb/studies?PatientID=someone-else')).body).toEqual([]);
    const byUid = await request(app).get(`/dicomweb/studies?StudyInstanceUID=${studyUid}`);
    expect(byUid.body.map((s: Json) => value(s, '0020000D'))).toEqual([studyUid]);
    const series = (await request(app).get(`/dicomweb/studies/${studyUid}/series`)).body as Json[];
    expect(series.map((s) => value(s, '00080060'))).toEqual(['MR', 'MR', 'MR', 'MR', 'MR']);
    seriesUid = value(series[0], '0020000E') as string;
    const instances = (await request(app).get(`/dicomweb/studies/${studyUid}/series/${seriesUid}/instances`)).body as Json[];
    expect(instances).toHaveLength(20);
    expect(value(instances[0], '00080016')).toBe('1.2.840.10008.5.1.4.1.1.4');
  });

  test('QIDO-RS filters studies by StudyDate (dates and ranges) and ModalitiesInStudy, and names keys it ignores', async () => {
    const all = (await request(app).get(`/dicomweb/studies?PatientID=${PATIENT_ID}`)).body as Json[];
    const uidsOf = (body: Json[]) => body.map((s) => value(s, '0020000D') as string).sort();
    const mr = all.find((s) => (s['00080061'].Value as string[]).includes('MR'))!;
    const day = value(mr, '00080020') as string;
    const dayBefore = new Date(Date.parse(`${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6)}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
    const onDay = (await request(app).get(`/dicomweb/studies?PatientID=${PATIENT_ID}&StudyDate=${day}`)).body as Json[];
    expect(onDay.map((s) => value(s, '00080020'))).toEqual(onDay.map(() => day));
    expect(uidsOf(onDay)).toContain(value(mr, '0020000D'));
    const before = (await request(app).get(`/dicomweb/studies?PatientID=${PATIENT_ID}&StudyDate=-${dayBefore}`)).body as Json[];
    const from = (await request(app).get(`/dicomweb/studies?PatientID=${PATIENT_ID}&00080020=${day}-`)).body as Json[];
    expect(uidsOf([...before, ...from])).toEqual(uidsOf(all));

    const modalities = (s: Json) => s['00080061'].Value as string[];
    const mrOnly = (await request(app).get(`/dicomweb/studies?ModalitiesInStudy=MR`)).body as Json[];
    expect(mrOnly.length).toBeGreaterThan(0);
    expect(mrOnly.every((s) => modalities(s).includes('MR'))).toBe(true);
    const codes = [...new Set(all.flatMap(modalities))];
    const any = (await request(app).get(`/dicomweb/studies?ModalitiesInStudy=${codes.join(',')}`)).body as Json[];
    expect(uidsOf(any)).toEqual(uidsOf(all));
    expect((await request(app).get('/dicomweb/studies?ModalitiesInStudy=XA')).body).toEqual([]);

    const ignored = await request(app).get(`/dicomweb/studies?PatientID=${PATIENT_ID}&IssuerOfPatientID=X&includefield=00081030`);
    expect(ignored.status).toBe(200);
    expect(ignored.headers.warning).toMatch(/^299 .*not supported.*IssuerOfPatientID/);
    expect(ignored.headers.warning).not.toMatch(/includefield/);
    const bad = await request(app).get('/dicomweb/studies?StudyDate=2020-13-01');
    expect([bad.status, bad.body.resourceType, bad.body.issue[0].expression]).toEqual([400, 'OperationOutcome', ['StudyDate']]);
  });

  test('WADO-RS returns exactly the stored bytes for an instance and a series', async () => {
    const dir = path.join(fx.dir, 'dicom', studyUid, seriesUid);
    const names = fs.readdirSync(dir).sort();
    const sop = names[0].replace(/\.dcm$/, '');
    const one = await request(app).get(`/dicomweb/studies/${studyUid}/series/${seriesUid}/instances/${sop}`).buffer(true).parse(binary);
    expect(one.status).toBe(200);
    expect(one.headers['content-type']).toMatch(/^multipart\/related; type="application\/dicom"; boundary=/);
    const [part] = parts(one.body, one.headers['content-type']);
    expect(part.equals(fs.readFileSync(path.join(dir, names[0])))).toBe(true);
    const all = await request(app).get(`/dicomweb/studies/${studyUid}/series/${seriesUid}`).buffer(true).parse(binary);
    const got = parts(all.body, all.headers['content-type']);
    expect(got).toHaveLength(20);
    got.forEach((p, i) => expect(p.equals(fs.readFileSync(path.join(dir, names[i])))).toBe(true));
    const study = await request(app).get(`/dicomweb/studies/${studyUid}`).buffer(true).parse(binary);
    expect(parts(study.body, study.headers['content-type'])).toHaveLength(100);
    const metadata = await request(app).get(`/dicomweb/studies/${studyUid}/series/${seriesUid}/metadata`);
    expect(metadata.body).toHaveLength(20);
    expect(metadata.body[0]['7FE00010'].BulkDataURI).toMatch(/\/frames\/1$/);
  });

  test('bad input: a UID that is not a UID is 400, path tricks never leave the DICOM folder, unknown is 404', async () => {
    fs.writeFileSync(path.join(fx.dir, 'medgen-secret.dcm'), 'secret');
    for (const url of [
      '/dicomweb/studies/not-a-uid',
      '/dicomweb/studies/..%2F..%2Fetc/series',
      `/dicomweb/studies/${studyUid}/series/..%2F..`,
      `/dicomweb/studies/${studyUid}/series/${seriesUid}/instances/..%2F..%2F..%2Fmedgen-secret`,
      '/dicomweb/studies?StudyInstanceUID=1.2.3;DROP',
    ]) {
      const res = await request(app).get(url);
      expect({ url, status: res.status, type: res.body.resourceType }).toEqual({ url, status: 400, type: 'OperationOutcome' });
    }
    const missing = await request(app).get('/dicomweb/studies/1.2.3.4/series');
    expect(missing.status).toBe(404);
    expect(missing.body.resourceType).toBe('OperationOutcome');
    expect((await request(app).get('/dicomweb/studies/1.2.3.4')).status).toBe(404);
  });
});
