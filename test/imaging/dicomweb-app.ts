/** An app with the FHIR router (and $enhance-imaging) at /fhir and DICOMweb at /dicomweb over a real SQLite store. */
import express from 'express';
import request from 'supertest';
import { createEnhanceImagingOperation } from '../../operations/enhance-imaging.js';
import { createDataManagementRouter } from '../../routes/create-router.js';
import { createDicomwebRouter } from '../../routes/dicomweb-router.js';
import { loadConfig } from '../../src/config.js';
import type { FileStore } from '../../src/files/file-store.js';
import { createLogger } from '../../src/logger.js';
import { makeImagingFixture, PATIENT_ID, type ImagingFixture } from './imaging-fixture.js';

export type Json = Record<string, { vr: string; Value?: unknown[]; BulkDataURI?: string }>;

export const value = (ds: Json, tag: string) => ds[tag]?.Value?.[0];

/**
 * The fixture's patient with its imaging generated (DX chest, MR brain, DX forearm, US obstetric), its DICOM
 * files in the data directory unless `fileStoreOf` gives another store.
 */
export async function imagingApp(fileStoreOf?: (dir: string) => FileStore): Promise<{ fx: ImagingFixture; app: express.Express }> {
  const fx = await makeImagingFixture(fileStoreOf);
  const logger = createLogger('silent');
  const app = express();
  app.use('/fhir', createDataManagementRouter({ store: fx.store, files: fx.files, logger, config: loadConfig({}, { dataDir: fx.dir }), operations: [createEnhanceImagingOperation(fx.fileStore)] }));
  app.use('/dicomweb', createDicomwebRouter({ store: fx.store, fileStore: fx.fileStore, logger }));
  const res = await request(app).post(`/fhir/Patient/${PATIENT_ID}/$enhance-imaging`).send({});
  if (res.status !== 200) throw new Error(`$enhance-imaging answered ${res.status}`);
  return { fx, app };
}

/** Collects a binary body into a Buffer (supertest's parser hook). */
export function binary(res: request.Response, done: (err: Error | null, body: Buffer) => void) {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}

/** The parts of a multipart/related body, split on the boundary from its Content-Type. */
export function parts(body: Buffer, contentType: string): Buffer[] {
  const boundary = /boundary=([^;]+)/.exec(contentType)![1];
  const out: Buffer[] = [];
  let at = body.indexOf(`--${boundary}\r\n`);
  while (at >= 0) {
    const start = body.indexOf('\r\n\r\n', at) + 4;
    const next = body.indexOf(`\r\n--${boundary}`, start);
    out.push(body.subarray(start, next));
    at = body.indexOf(`--${boundary}\r\n`, next);
  }
  return out;
}
