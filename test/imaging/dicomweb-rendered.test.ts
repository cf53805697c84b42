/** WADO-RS rendered frames and thumbnails over HTTP, decoded with the test's own PNG reader. */
import request from 'supertest';
import type express from 'express';
import type { ImagingFixture } from './imaging-fixture.js';
import { binary, imagingApp, value, type Json } from './dicomweb-app.js';
import { readPng } from './png-reader.js';

let fx: ImagingFixture;
let app: express.Express;
let instanceUrl: string;
let seriesUrl: string;
let studyUrl: string;
let metadata: Json;

const png = async (url: string, accept?: string) => {
  const req = request(app).get(url);
  if (accept) req.set('Accept', accept);
  const res = await req.buffer(true).parse(binary);
  expect({ url, status: res.status, type: res.headers['content-type'] }).toEqual({ url, status: 200, type: 'image/png' });
  return readPng(res.body as Buffer);
};

beforeAll(async () => {
  ({ fx, app } = await imagingApp());
  const [mr] = (await request(app).get('/dicomweb/studies?ModalitiesInStudy=MR')).body as Json[];
  const study = value(mr, '0020000D') as string;
  const [series] = (await request(app).get(`/dicomweb/studies/${study}/series?SeriesNumber=1`)).body as Json[];
  const [instance] = (await request(app).get(`/dicomweb/studies/${study}/series/${value(series, '0020000E')}/instances?InstanceNumber=10`)).body as Json[];
  studyUrl = `/dicomweb/studies/${study}`;
  seriesUrl = `${studyUrl}/series/${value(series, '0020000E')}`;
  instanceUrl = `${seriesUrl}/instances/${value(instance, '00080018')}`;
  [metadata] = (await request(app).get(`${instanceUrl}/metadata`)).body as Json[];
});
afterAll(async () => fx.close());

test('an MR instance renders to a grayscale PNG of its size, windowed as its first window says', async () => {
  const image = await png(`${instanceUrl}/rendered`);
  const [rows, columns] = [value(metadata, '00280010') as number, value(metadata, '00280011') as number];
  expect([image.width, image.height, image.colorType]).toEqual([columns, rows, 0]);
  expect(new Set(image.pixels).size).toBeGreaterThan(16);

  const frame = await request(app).get(`${instanceUrl}/frames/1`).buffer(true).parse(binary);
  const body = frame.body as Buffer;
  const start = body.indexOf('\r\n\r\n') + 4;
  const raw = body.subarray(start, start + rows * columns * 2);
  const [center, width] = [value(metadata, '00281050') as number, value(metadata, '00281051') as number];
  const expected = (stored: number) => Math.round(Math.min(1, Math.max(0, (stored - (center - 0.5 - (width - 1) / 2)) / (width - 1))) * 255);
  for (let i = 0; i < rows * columns; i += 997) expect([i, image.pixels[i]]).toEqual([i, expected(raw.readUInt16LE(i * 2))]);

  const byFrame = await png(`${instanceUrl}/frames/1/rendered`, 'image/png');
  expect(Buffer.from(byFrame.pixels).equals(Buffer.from(image.pixels))).toBe(true);
  const fitted = await png(`${instanceUrl}/rendered?viewport=64,32`, '*/*');
  expect([fitted.width, fitted.height]).toEqual([32, 32]);
});

test('thumbnails at frame, instance, series and study level fit 128x128', async () => {
  for (const url of [`${instanceUrl}/frames/1/thumbnail`, `${instanceUrl}/thumbnail`, `${seriesUrl}/thumbnail`, `${studyUrl}/thumbnail`]) {
    const image = await png(url, 'image/*');
    expect({ url, size: Math.max(image.width, image.height) }).toEqual({ url, size: 128 });
    expect(new Set(image.pixels).size).toBeGreaterThan(8);
  }
});

test('what cannot be produced or named: 406 for other media types, 400 for a bad frame or viewport, 404 for none', async () => {
  for (const accept of ['image/jpeg', 'image/gif', 'application/dicom']) {
    const res = await request(app).get(`${instanceUrl}/rendered`).set('Accept', accept);
    expect({ accept, status: res.status }).toEqual({ accept, status: 406 });
  }
  expect((await request(app).get(`${instanceUrl}/frames/x/rendered`)).status).toBe(400);
  expect((await request(app).get(`${instanceUrl}/rendered?viewport=0,10`)).status).toBe(400);
  expect((await request(app).get(`${instanceUrl}/frames/2/rendered`)).status).toBe(404);
  expect((await request(app).get(`${instanceUrl}/frames/0/thumbnail`)).status).toBe(400);
  expect((await request(app).get(`${seriesUrl}/instances/1.2.3/thumbnail`)).status).toBe(404);
});

/** The PNG parts of a multipart/related answer, decoded. */
function pngParts(body: Buffer, contentType: string) {
  const boundary = /boundary=([^;]+)/.exec(contentType)?.[1] ?? '';
  const parts = body.toString('latin1').split(`--${boundary}`).slice(1, -1);
  return parts.map((p) => {
    const [head, ...rest] = p.split('\r\n\r\n');
    expect(head).toContain('Content-Type: image/png');
    return readPng(Buffer.from(rest.join('\r\n\r\n').slice(0, -2), 'latin1'));
  });
}

test('a rendered series and study: every instance as one image/png part, fitted to a viewport', async () => {
  const instances = (await request(app).get(`${seriesUrl}/instances`)).body as Json[];
  const series = await request(app).get(`${seriesUrl}/rendered`).set('Accept', 'multipart/related; type="image/png"').buffer(true).parse(binary);
  expect(series.status).toBe(200);
  expect(series.headers['content-type']).toMatch(/^multipart\/related; type="image\/png"; boundary=/);
  const images = pngParts(series.body as Buffer, series.headers['content-type']);
  expect(images).toHaveLength(instances.length);
  const tenth = await png(`${instanceUrl}/rendered`);
  expect(images.some((i) => Buffer.from(i.pixels).equals(Buffer.from(tenth.pixels)))).toBe(true);

  const study = await request(app).get(`${studyUrl}/rendered?viewport=64,64`).buffer(true).parse(binary);
  const all = pngParts(study.body as Buffer, study.headers['content-type']);
  const [summary] = (await request(app).get(`/dicomweb/studies?StudyInstanceUID=${studyUrl.split('/').pop()}`)).body as Json[];
  expect(all).toHaveLength(value(summary, '00201208') as number);
  expect(all.every((i) => i.width === 64 && i.height === 64)).toBe(true);

  expect((await request(app).get(`${seriesUrl}/rendered`).set('Accept', 'multipart/related; type="image/jpeg"')).status).toBe(406);
  expect((await request(app).get(`${studyUrl}/rendered?viewport=x`)).status).toBe(400);
  expect((await request(app).get('/dicomweb/studies/1.2.3/rendered')).status).toBe(404);
});
