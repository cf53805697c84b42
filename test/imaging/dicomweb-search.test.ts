/** QIDO-RS matching keys and the all-series, all-instances and study-instances searches; study and instance metadata. */
import request from 'supertest';
import type express from 'express';
import type { ImagingFixture } from './imaging-fixture.js';
import { binary, imagingApp, value, type Json } from './dicomweb-app.js';

let fx: ImagingFixture;
let app: express.Express;
let studies: Json[];
let mr: Json;

const get = async (url: string) => {
  const res = await request(app).get(url);
  expect({ url, status: res.status }).toEqual({ url, status: 200 });
  return res.body as Json[];
};
const uids = (body: Json[], tag = '0020000D') => body.map((d) => value(d, tag) as string).sort();

beforeAll(async () => {
  ({ fx, app } = await imagingApp());
  studies = await get('/dicomweb/studies');
  mr = studies.find((s) => (s['00080061'].Value as string[]).includes('MR'))!;
});
afterAll(async () => fx.close());

test('study keys: PatientName case-insensitive with wildcards, text keys with wildcards, by keyword or tag', async () => {
  expect(studies).toHaveLength(4);
  expect(await get('/dicomweb/studies?PatientName=n%C3%BA%C3%B1ez*')).toHaveLength(4);
  expect(await get('/dicomweb/studies?00100010=N%3F%C3%B1ez%5EAna*')).toHaveLength(4);
  expect(await get('/dicomweb/studies?PatientName=Moor*')).toEqual([]);
  expect(await get('/dicomweb/studies?PatientID=img-pat*')).toHaveLength(4);
  expect(await get('/dicomweb/studies?PatientID=img-pat')).toEqual([]);
  const accession = value(mr, '00080050') as string;
  expect(uids(await get(`/dicomweb/studies?AccessionNumber=${accession}`))).toEqual([value(mr, '0020000D')]);
  expect(uids(await get(`/dicomweb/studies?00200010=${accession}`))).toEqual([value(mr, '0020000D')]);
  const description = value(mr, '00081030') as string;
  expect(uids(await get(`/dicomweb/studies?StudyDescription=${encodeURIComponent(`*${description.slice(2, 8)}*`)}`))).toEqual([value(mr, '0020000D')]);
  expect(await get('/dicomweb/studies?ReferringPhysicianName=Smith*')).toEqual([]);
  const [a, b] = uids(studies);
  expect(uids(await get(`/dicomweb/studies?StudyInstanceUID=${a}%5C${b}`))).toEqual([a, b]);
  const none = await request(app).get('/dicomweb/studies?PatientName=N*');
  expect(none.headers.warning).toBeUndefined();
});

test('all series and all instances, with study keys and their own, paging counting matches', async () => {
  const series = await get('/dicomweb/series');
  expect(series.length).toBe(studies.reduce((n, s) => n + (value(s, '00201206') as number), 0));
  const mrSeries = await get('/dicomweb/series?Modality=MR');
  expect(mrSeries).toHaveLength(5);
  expect(new Set(mrSeries.map((s) => value(s, '0020000D')))).toEqual(new Set([value(mr, '0020000D')]));
  expect(value(mrSeries[0], '00100010')).toEqual({ Alphabetic: 'Núñez^Ana^María^Ms.' });
  expect((await get('/dicomweb/series?00080060=MR&SeriesNumber=2')).map((s) => value(s, '00200011'))).toEqual([2]);
  const day = value(mr, '00080020') as string;
  expect((await get(`/dicomweb/series?Modality=MR&PerformedProcedureStepStartDate=${day}`))).toHaveLength(5);
  expect(await get(`/dicomweb/series?Modality=MR&PerformedProcedureStepStartDate=-${Number(day) - 1}`)).toEqual([]);
  const page = await get('/dicomweb/series?Modality=MR&limit=2&offset=3');
  expect(uids(page, '0020000E')).toEqual(uids(mrSeries.slice(3, 5), '0020000E'));

  const instances = await get('/dicomweb/instances?Modality=MR&InstanceNumber=7');
  expect(instances).toHaveLength(5);
  expect(instances.every((i) => value(i, '00200013') === 7 && value(i, '00080016') === '1.2.840.10008.5.1.4.1.1.4')).toBe(true);
  const sop = value(instances[0], '00080018') as string;
  expect(uids(await get(`/dicomweb/instances?00080018=${sop}`), '00080018')).toEqual([sop]);
  expect(await get('/dicomweb/instances?SOPClassUID=1.2.840.10008.5.1.4.1.1.2')).toEqual([]);
});

test('instances of a study and of a series match instance keys; malformed values are 400', async () => {
  const study = value(mr, '0020000D') as string;
  const all = await get(`/dicomweb/studies/${study}/instances`);
  expect(all).toHaveLength(100);
  expect(value(all[0], '00100020')).toBe('img-patient-1');
  const second = await get(`/dicomweb/studies/${study}/instances?SeriesNumber=2&limit=5`);
  expect(second.map((i) => value(i, '00200011'))).toEqual([2, 2, 2, 2, 2]);
  const series = value(second[0], '0020000E') as string;
  expect((await get(`/dicomweb/studies/${study}/series/${series}/instances?InstanceNumber=3`)).map((i) => value(i, '00200013'))).toEqual([3]);
  expect((await get(`/dicomweb/studies/${study}/series?SeriesNumber=4`)).map((s) => value(s, '00200011'))).toEqual([4]);

  for (const url of [
    '/dicomweb/studies?StudyDate=20241301',
    '/dicomweb/studies?StudyDate=20240101-2024',
    `/dicomweb/studies?StudyInstanceUID=1.${'2'.repeat(70)}`,
    '/dicomweb/series?SeriesInstanceUID=1.2.x',
    '/dicomweb/series?SeriesNumber=two',
    `/dicomweb/studies/${study}/instances?InstanceNumber=1a`,
  ]) {
    const res = await request(app).get(url);
    expect({ url, status: res.status, type: res.body.resourceType }).toEqual({ url, status: 400, type: 'OperationOutcome' });
  }
});

test('study and instance metadata: every instance\'s attributes, Pixel Data as a BulkDataURI', async () => {
  const study = value(mr, '0020000D') as string;
  const res = await request(app).get(`/dicomweb/studies/${study}/metadata`);
  expect([res.status, res.headers['content-type']]).toEqual([200, expect.stringMatching(/^application\/dicom\+json/)]);
  const metadata = res.body as Json[];
  expect(metadata).toHaveLength(100);
  const one = metadata[0];
  expect(value(one, '00280010')).toBeGreaterThan(0);
  const [series, sop] = [value(one, '0020000E'), value(one, '00080018')];
  expect(one['7FE00010'].BulkDataURI).toMatch(new RegExp(`/dicomweb/studies/${study}/series/${series}/instances/${sop}/frames/1$`));
  expect(one['7FE00010'].Value).toBeUndefined();
  const single = await request(app).get(`/dicomweb/studies/${study}/series/${series}/instances/${sop}/metadata`);
  // Each supertest request listens on its own port, which the BulkDataURI carries.
  const withoutHost = (body: Json[]) => JSON.parse(JSON.stringify(body).replace(/http:\/\/127\.0\.0\.1:\d+/g, ''));
  expect(withoutHost(single.body)).toEqual(withoutHost([one]));
  expect((await request(app).get(`/dicomweb/studies/${study}/series/${series}/instances/1.2.3/metadata`)).status).toBe(404);
  expect((await request(app).get('/dicomweb/studies/1.2.3/metadata')).status).toBe(404);
});

test('a page that leaves matches behind says so in a 299 Warning, as does fuzzy matching asked for', async () => {
  const study = value(mr, '0020000D') as string;
  const cut = await request(app).get(`/dicomweb/studies/${study}/instances?limit=99`);
  expect(cut.body).toHaveLength(99);
  expect(cut.headers.warning).toMatch(/^299 medgen-data "There are additional results that can be requested"$/);
  const whole = await request(app).get(`/dicomweb/studies/${study}/instances?limit=100`);
  expect(whole.body).toHaveLength(100);
  expect(whole.headers.warning).toBeUndefined();
  const fuzzy = await request(app).get('/dicomweb/studies?PatientName=N*&fuzzymatching=true');
  expect(fuzzy.headers.warning).toContain('Only literal matching has been performed');
});

test('frames: one part per frame asked, 400 for what is no frame list, 404 for a frame the instance lacks', async () => {
  const study = value(mr, '0020000D') as string;
  const [instance] = await get(`/dicomweb/studies/${study}/instances?InstanceNumber=1&limit=1`);
  const url = `/dicomweb/studies/${study}/series/${value(instance, '0020000E')}/instances/${value(instance, '00080018')}/frames`;
  const one = await request(app).get(`${url}/1`).buffer(true).parse(binary);
  const twice = await request(app).get(`${url}/1,1`).buffer(true).parse(binary);
  const parts = (res: typeof one) => (res.body as Buffer).toString('latin1').split(`--${/boundary=(\S+)/.exec(res.headers['content-type'])?.[1]}`).length - 2;
  expect([one.status, parts(one), twice.status, parts(twice)]).toEqual([200, 1, 200, 2]);
  expect((twice.body as Buffer).length).toBeGreaterThan(1.9 * (one.body as Buffer).length);
  for (const bad of ['x', '0', '1,', '1;2']) expect({ bad, status: (await request(app).get(`${url}/${bad}`)).status }).toEqual({ bad, status: 400 });
  expect((await request(app).get(`${url}/1,2`)).status).toBe(404);
});
