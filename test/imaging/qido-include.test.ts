/** QIDO-RS includefield: attributes beyond the defaults, from the stored files, only those of the query's level. */
import request from 'supertest';
import type express from 'express';
import type { ImagingFixture } from './imaging-fixture.js';
import { imagingApp, value, type Json } from './dicomweb-app.js';

let fx: ImagingFixture;
let app: express.Express;
let mrStudy: string;

const get = async (url: string) => {
  const res = await request(app).get(url);
  expect({ url, status: res.status }).toEqual({ url, status: 200 });
  return { body: res.body as Json[], warning: res.headers.warning as string | undefined };
};

beforeAll(async () => {
  ({ fx, app } = await imagingApp());
  const { body } = await get('/dicomweb/studies?ModalitiesInStudy=MR');
  mrStudy = value(body[0], '0020000D') as string;
});
afterAll(async () => fx.close());

test('instances: a named attribute by keyword or tag comes from the file; all brings every attribute but bulk data', async () => {
  const url = `/dicomweb/studies/${mrStudy}/instances?InstanceNumber=1`;
  const { body: plain } = await get(url);
  expect(plain[0]['00280010']).toBeUndefined();
  const { body: named } = await get(`${url}&includefield=Rows,00280011&includefield=PixelSpacing`);
  expect(named.map((d) => [d['00280010']?.Value, d['00280011']?.Value, d['00280030']?.vr])).toEqual(named.map(() => [[256], [256], 'DS']));
  const { body: all } = await get(`${url}&includefield=all`);
  expect(all[0]['00180087']).toMatchObject({ vr: 'DS' });
  expect(all[0]['7FE00010']).toBeUndefined();
  const [metadata] = (await request(app).get(`/dicomweb/studies/${mrStudy}/series/${value(all[0], '0020000E')}/instances/${value(all[0], '00080018')}/metadata`)).body as Json[];
  expect(all[0]['00280010']).toEqual(metadata['00280010']);
});

test('series and studies take only their own level\'s attributes, and name the rest in the Warning', async () => {
  const { body: series, warning } = await get(`/dicomweb/studies/${mrStudy}/series?includefield=Manufacturer&includefield=Rows`);
  expect(series.every((s) => typeof value(s, '00080070') === 'string')).toBe(true);
  expect(series.every((s) => s['00280010'] === undefined)).toBe(true);
  expect(warning).toMatch(/^299 medgen-data ".*not included: Rows"/);

  const { body: studies } = await get(`/dicomweb/studies?StudyInstanceUID=${mrStudy}&includefield=all`);
  expect(studies[0]['00081032']).toMatchObject({ vr: 'SQ' });
  expect(studies[0]['00080070']).toBeUndefined();
  expect(studies[0]['00280010']).toBeUndefined();
});

test('an includefield that names no attribute is a 400 naming it', async () => {
  const res = await request(app).get('/dicomweb/studies?includefield=NotAKeyword');
  expect(res.status).toBe(400);
  expect(JSON.stringify(res.body)).toContain('NotAKeyword');
});
