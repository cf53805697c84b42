/**
 * The real dicomweb-client (as OHIF uses it) against a listening server, through a Node XMLHttpRequest:
 * searches with matching keys, metadata, frames, rendered and thumbnail, as the client itself asks for them.
 */
import type { AddressInfo } from 'node:net';
import type http from 'node:http';
import { createRequire } from 'node:module';
import { NodeXMLHttpRequest } from '../xml-http-request.js';
import type { ImagingFixture } from './imaging-fixture.js';
import { imagingApp, value, type Json } from './dicomweb-app.js';
import { readPng } from './png-reader.js';

// Its CommonJS build, as for dcmjs: the ES build is a .js file in a package without "type": "module".
const { api } = createRequire(import.meta.url)('dicomweb-client') as typeof import('dicomweb-client');

interface Client {
  searchForStudies(o?: object): Promise<Json[]>;
  searchForSeries(o?: object): Promise<Json[]>;
  searchForInstances(o?: object): Promise<Json[]>;
  retrieveStudyMetadata(o: object): Promise<Json[]>;
  retrieveSeriesMetadata(o: object): Promise<Json[]>;
  retrieveInstanceMetadata(o: object): Promise<Json[]>;
  retrieveInstanceFrames(o: object): Promise<ArrayBuffer[]>;
  retrieveInstanceRendered(o: object): Promise<ArrayBuffer | ArrayBuffer[]>;
  retrieveInstanceThumbnail(o: object): Promise<ArrayBuffer | ArrayBuffer[]>;
}

let fx: ImagingFixture;
let server: http.Server;
let client: Client;

beforeAll(async () => {
  const built = await imagingApp();
  fx = built.fx;
  (globalThis as { XMLHttpRequest?: unknown }).XMLHttpRequest = NodeXMLHttpRequest;
  server = built.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  client = new api.DICOMwebClient({ url: `http://127.0.0.1:${port}/dicomweb`, verbose: false, singlepart: false }) as unknown as Client;
});
afterAll(async () => {
  delete (globalThis as { XMLHttpRequest?: unknown }).XMLHttpRequest;
  await new Promise((resolve) => server.close(resolve));
  await fx.close();
});

const one = (body: ArrayBuffer | ArrayBuffer[]) => Buffer.from(Array.isArray(body) ? body[0] : body);

test('searches with the keys a study list sends, then metadata, frames, rendered and thumbnail', async () => {
  const studies = await client.searchForStudies({ queryParams: { PatientName: 'núñez*', ModalitiesInStudy: 'MR', limit: 25, offset: 0, includefield: '00081030,00080060', fuzzymatching: false } });
  expect(studies).toHaveLength(1);
  const studyInstanceUID = value(studies[0], '0020000D') as string;
  expect(await client.searchForStudies({ queryParams: { PatientName: 'Moor*' } })).toEqual([]);
  expect(await client.searchForStudies({ queryParams: { StudyDate: `${value(studies[0], '00080020')}-` } })).toEqual(expect.arrayContaining([expect.objectContaining({ '0020000D': studies[0]['0020000D'] })]));

  const series = await client.searchForSeries({ studyInstanceUID, queryParams: { SeriesNumber: 3 } });
  expect(series.map((s) => value(s, '00200011'))).toEqual([3]);
  expect(await client.searchForSeries({ queryParams: { Modality: 'MR' } })).toHaveLength(5);
  const seriesInstanceUID = value(series[0], '0020000E') as string;
  const instances = await client.searchForInstances({ studyInstanceUID, seriesInstanceUID, queryParams: { InstanceNumber: 4 } });
  expect(instances.map((i) => value(i, '00200013'))).toEqual([4]);
  expect(await client.searchForInstances({ studyInstanceUID })).toHaveLength(100);
  expect(await client.searchForInstances({ queryParams: { Modality: 'MR', InstanceNumber: 4 } })).toHaveLength(5);
  const sopInstanceUID = value(instances[0], '00080018') as string;

  expect(await client.retrieveStudyMetadata({ studyInstanceUID })).toHaveLength(100);
  expect(await client.retrieveSeriesMetadata({ studyInstanceUID, seriesInstanceUID })).toHaveLength(20);
  const [metadata] = await client.retrieveInstanceMetadata({ studyInstanceUID, seriesInstanceUID, sopInstanceUID });
  const [rows, columns] = [value(metadata, '00280010') as number, value(metadata, '00280011') as number];
  const [frame] = await client.retrieveInstanceFrames({ studyInstanceUID, seriesInstanceUID, sopInstanceUID, frameNumbers: [1] });
  expect(frame.byteLength).toBe(rows * columns * 2);

  const rendered = readPng(one(await client.retrieveInstanceRendered({ studyInstanceUID, seriesInstanceUID, sopInstanceUID, mediaTypes: [{ mediaType: 'image/png' }] })));
  expect([rendered.width, rendered.height, new Set(rendered.pixels).size > 16]).toEqual([columns, rows, true]);
  const thumbnail = readPng(one(await client.retrieveInstanceThumbnail({ studyInstanceUID, seriesInstanceUID, sopInstanceUID, mediaTypes: [{ mediaType: 'image/png' }] })));
  expect(Math.max(thumbnail.width, thumbnail.height)).toBe(128);
  await expect(client.retrieveInstanceRendered({ studyInstanceUID, seriesInstanceUID, sopInstanceUID, mediaTypes: [{ mediaType: 'image/jpeg' }] })).rejects.toMatchObject({ status: 406 });
});
