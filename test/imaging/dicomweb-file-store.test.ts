/**
 * DICOMweb over a file store that is not the data folder: $enhance-imaging writes the DICOM files to S3, and
 * WADO-RS, metadata, frames, thumbnails and QIDO-RS includefield answer from there while the data directory
 * holds no DICOM folder at all, which proves nothing writes or reads DICOM around the FileStore. Runs when
 * MEDGEN_TEST_S3_URL names a bucket (tools/seaweedfs/start.sh starts a server and sets it, with the AWS_*
 * variables the SDK reads), under a prefix of its own; skipped otherwise.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type express from 'express';
import request from 'supertest';
import { readAll } from '../../src/files/file-store.js';
import { openFileStore } from '../../src/files/open-file-store.js';
import { type TestFn, skipped } from '../external-tool.js';
import { binary, imagingApp, parts, value, type Json } from './dicomweb-app.js';
import type { ImagingFixture } from './imaging-fixture.js';

const s3Url = process.env.MEDGEN_TEST_S3_URL;
const s3Test: TestFn = s3Url ? test : skipped('MEDGEN_TEST_S3_URL not set; tools/seaweedfs/start.sh starts an S3 server and sets it');

let fx: ImagingFixture | undefined;
let app: express.Express;
let mrStudy: string;

beforeAll(async () => {
  if (!s3Url) return;
  const url = `${s3Url.replace(/\/+$/, '')}/dicomweb-${randomUUID()}`;
  ({ fx, app } = await imagingApp((dir) => openFileStore(url, dir)));
  const studies = (await request(app).get('/dicomweb/studies?ModalitiesInStudy=MR')).body as Json[];
  mrStudy = value(studies[0], '0020000D') as string;
}, 120_000);

afterAll(async () => {
  await fx?.fileStore.deletePrefix('');
  await fx?.close();
});

s3Test('$enhance-imaging wrote every file to the bucket and none to the data directory', async () => {
  const keys: string[] = [];
  for await (const { key } of fx!.fileStore.list('dicom/')) keys.push(key);
  expect(keys).toHaveLength(114);
  expect(fs.existsSync(path.join(fx!.dir, 'dicom'))).toBe(false);
});

s3Test('WADO-RS of a study streams exactly the stored objects', async () => {
  const stored: Buffer[] = [];
  for await (const { key } of fx!.fileStore.list(`dicom/${mrStudy}/`)) stored.push((await readAll(fx!.fileStore, key))!);
  const res = await request(app).get(`/dicomweb/studies/${mrStudy}`).buffer(true).parse(binary);
  expect(res.status).toBe(200);
  const got = parts(res.body, res.headers['content-type']);
  expect(got).toHaveLength(100);
  const matched = got.map((part) => stored.findIndex((bytes) => bytes.equals(part)));
  expect(matched.filter((i) => i < 0)).toEqual([]);
  expect(new Set(matched).size).toBe(100);
});

s3Test('study metadata names each instance under its own series, and its frame and thumbnail are served', async () => {
  const metadata = (await request(app).get(`/dicomweb/studies/${mrStudy}/metadata`)).body as Json[];
  expect(metadata).toHaveLength(100);
  for (const ds of metadata) {
    expect(ds['7FE00010'].BulkDataURI).toMatch(new RegExp(`/studies/${mrStudy}/series/${value(ds, '0020000E')}/instances/${value(ds, '00080018')}/frames/1$`));
  }
  const instanceUrl = `/dicomweb/studies/${mrStudy}/series/${value(metadata[0], '0020000E')}/instances/${value(metadata[0], '00080018')}`;
  const frame = await request(app).get(`${instanceUrl}/frames/1`).buffer(true).parse(binary);
  expect([frame.status, parts(frame.body, frame.headers['content-type'])[0].length]).toEqual([200, 256 * 256 * 2]);
  const thumbnail = await request(app).get(`${instanceUrl}/thumbnail`).buffer(true).parse(binary);
  expect([thumbnail.status, thumbnail.headers['content-type']]).toEqual([200, 'image/png']);
});

s3Test('QIDO-RS includefield takes its attributes from the stored objects', async () => {
  const instances = (await request(app).get(`/dicomweb/studies/${mrStudy}/instances?InstanceNumber=1&includefield=Rows`)).body as Json[];
  expect(instances.map((ds) => value(ds, '00280010'))).toEqual(instances.map(() => 256));
  const series = (await request(app).get(`/dicomweb/studies/${mrStudy}/series?includefield=Manufacturer`)).body as Json[];
  expect(series.every((s) => typeof value(s, '00080070') === 'string')).toBe(true);
  const [study] = (await request(app).get(`/dicomweb/studies?StudyInstanceUID=${mrStudy}&includefield=all`)).body as Json[];
  expect(study['00081032']).toMatchObject({ vr: 'SQ' });
});
