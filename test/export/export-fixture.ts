/** A server with a generated population, and how a test runs a Bulk Data export against it and reads the files. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import { MongoClient } from 'mongodb';
import { type ConfigOverrides, loadConfig } from '../../src/config.js';
import { FileArea } from '../../src/files/file-area.js';
import { LocalFileStore } from '../../src/files/local-file-store.js';
import { generatePopulation } from '../../src/generate/population.js';
import { unitsOfDocument } from '../../src/import/bundle-units.js';
import { createImportContext } from '../../src/import/import-context.js';
import { runImport } from '../../src/import/run-import.js';
import { createJobManager } from '../../src/jobs/create-job-manager.js';
import { createLogger } from '../../src/logger.js';
import { createApp } from '../../src/server.js';
import { referenceLinks } from '../../src/search/reference-links.js';
import { openStore } from '../../src/store/open-store.js';
import type { ResourceStore } from '../../src/store/resource-store.js';

export type Json = Record<string, unknown>;
export type Manifest = { transactionTime: string; request: string; output: { type: string; url: string; count: number }[]; deleted?: { type: string; url: string; count: number }[]; error: unknown[] };

export const logger = createLogger('silent');
const dirs: string[] = [];
const closers: (() => Promise<void>)[] = [];

/** Closes every server the file's tests opened (call from afterAll). */
export async function closeServers(): Promise<void> {
  for (const close of closers.splice(0)) await close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

let databases = 0;

/**
 * A server over a fresh store: SQLite in a new data folder, or a new database of the MongoDB server `mongodbUri`
 * names; `overrides` for the rest of its configuration (a de-identification key).
 */
export async function server(mongodbUri?: string, overrides: ConfigOverrides = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-export-'));
  dirs.push(dir);
  const mongodbDb = `medgen_export_${process.pid}_${++databases}`;
  const config = loadConfig({}, { ...overrides, dataDir: dir, mongodbUri, mongodbDb });
  const store = await openStore(config);
  const jobs = createJobManager({ fileStore: new LocalFileStore(config.dataDir), store, config, logger });
  const app = createApp({ store, files: new FileArea(dir), config, logger, jobs });
  closers.push(async () => {
    await jobs.close();
    await store.close();
    if (mongodbUri) {
      const client = await new MongoClient(mongodbUri).connect();
      await client.db(mongodbDb).dropDatabase().finally(() => client.close());
    }
  });
  return { app, store, dir };
}

/** Four generated patients with their hospitals and practitioners, imported strictly. */
export async function populate(store: ResourceStore): Promise<void> {
  const population = generatePopulation({ count: 4, seed: 11, yearsOfHistory: 3 });
  const documents = [population.hospitalInformation, population.practitionerInformation, ...population.patients];
  const summary = await runImport(createImportContext({ store, mode: 'strict', logger }), documents.flatMap((d) => [...unitsOfDocument(structuredClone(d))]));
  if (summary.failed !== 0) throw new Error(`the population did not import: ${summary.failed} failures`);
}

/** Polls the status URL until the job is done; the manifest. */
export async function finished(app: Express, location: string): Promise<Manifest> {
  const url = new URL(location).pathname;
  for (let i = 0; i < 300; i++) {
    const res = await request(app).get(url);
    if (res.status === 200) return res.body as Manifest;
    expect(res.status).toBe(202);
    expect(res.headers['x-progress']).toBeDefined();
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('export did not finish');
}

/** The resources of each output file of a finished job, checked against the manifest's counts. */
export async function outputOf(app: Express, manifest: Manifest): Promise<Map<string, Json[]>> {
  const byType = new Map<string, Json[]>();
  for (const file of manifest.output) {
    const body = await request(app).get(new URL(file.url).pathname).buffer(true).parse((r, done) => {
      let text = '';
      r.on('data', (c: Buffer) => (text += c.toString('utf8')));
      r.on('end', () => done(null, text));
    });
    expect(body.status).toBe(200);
    const lines = (body.body as string).split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Json);
    expect(lines).toHaveLength(file.count);
    byType.set(file.type, lines);
  }
  return byType;
}

export const all = (byType: Map<string, Json[]>) => [...byType.values()].flat();
export const keyOf = (r: Json) => `${String(r.resourceType)}/${String(r.id)}`;

/** References (`Type/id`) that no resource of the set answers. */
export function dangling(resources: Json[]): string[] {
  const present = new Set(resources.map(keyOf));
  return resources.flatMap((r) => referenceLinks(r).filter((l) => l.targetType !== null && !present.has(`${l.targetType}/${l.targetId}`)).map((l) => `${keyOf(r)} -> ${l.targetType}/${l.targetId}`));
}
