import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import { SYNC_LIMIT } from '../../operations/generate.js';
import { loadConfig } from '../../src/config.js';
import { FileArea } from '../../src/files/file-area.js';
import { LocalFileStore } from '../../src/files/local-file-store.js';
import { createJobManager } from '../../src/jobs/create-job-manager.js';
import { createLogger } from '../../src/logger.js';
import { createApp } from '../../src/server.js';
import { openStore } from '../../src/store/open-store.js';
import type { ResourceStore } from '../../src/store/resource-store.js';
import { skipped } from '../external-tool.js';
import { buildStandIns, standInUnavailable } from './stand-in-synthea.js';

let dir: string;
let app: Express;
let store: ResourceStore;
let close: () => Promise<void>;
beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-generate-job-'));
  const config = loadConfig({}, { dataDir: dir });
  store = await openStore(config);
  const files = new FileArea(dir);
  const logger = createLogger('silent');
  const jobs = createJobManager({ fileStore: new LocalFileStore(config.dataDir), store, config, logger });
  app = createApp({ store, files, config, logger, jobs });
  close = async () => (await jobs.close(), await store.close());
});
afterEach(async () => {
  await close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const generate = (parameter: object[], prefer?: string) => {
  const req = request(app).post('/fhir/$generate');
  return (prefer ? req.set('Prefer', prefer) : req).send({ resourceType: 'Parameters', parameter });
};
const value = (body: { parameter: { name: string; valueInteger?: number }[] }, name: string) => body.parameter.find((p) => p.name === name)?.valueInteger;

async function waitDone(location: string) {
  const url = new URL(location).pathname;
  for (let i = 0; i < 600; i++) {
    const res = await request(app).get(url);
    if (res.status !== 202) return res;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('job did not finish');
}

describe('$generate beyond one answer', () => {
  it('import=true for a small count stores the patients and answers the import counts', async () => {
    const res = await generate([{ name: 'count', valueInteger: 2 }, { name: 'seed', valueInteger: 3 }, { name: 'import', valueBoolean: true }]);
    expect(res.status).toBe(200);
    expect(value(res.body, 'patients')).toBe(2);
    expect(value(res.body, 'failed')).toBe(0);
    expect(value(res.body, 'created')).toBeGreaterThan(50);
    expect(res.body.parameter.some((p: { name: string }) => p.name === 'bundle')).toBe(false);
    expect((await store.countByType()).Patient).toBe(2);
  });

  it(`a count over ${SYNC_LIMIT} runs as a job whose manifest lists every file it wrote`, async () => {
    const res = await generate([{ name: 'count', valueInteger: SYNC_LIMIT + 1 }, { name: 'yearsOfHistory', valueInteger: 1 }, { name: 'maxAge', valueInteger: 30 }]);
    expect(res.status).toBe(202);
    const done = await waitDone(res.headers['content-location']);
    expect(done.status).toBe(200);
    expect(done.body.counts).toMatchObject({ engine: 'builtin', patients: SYNC_LIMIT + 1 });
    expect(done.body.output).toHaveLength(SYNC_LIMIT + 3);
    const first = await request(app).get(new URL(done.body.output[0].url).pathname);
    expect(JSON.parse(first.text)).toMatchObject({ resourceType: 'Bundle', type: 'batch' });
    expect((await store.countByType()).Patient ?? 0).toBe(0);
  });

  it('a job with import=true imports what it generated, with no failures', async () => {
    const res = await generate([{ name: 'count', valueInteger: 3 }, { name: 'seed', valueInteger: 8 }, { name: 'import', valueBoolean: true }], 'respond-async');
    expect(res.status).toBe(202);
    const done = await waitDone(res.headers['content-location']);
    expect(done.body.counts.imported).toMatchObject({ failed: 0 });
    expect(done.body.counts.imported.byType.Patient.created).toBe(3);
    expect(done.body.error).toEqual([]);
    expect((await store.countByType()).Patient).toBe(3);
  });

  it('engine=synthea without Synthea answers 501 naming what is missing; bad parameters still 400', async () => {
    const saved = { SYNTHEA_JAR: process.env.SYNTHEA_JAR, SYNTHEA_HOME: process.env.SYNTHEA_HOME };
    delete process.env.SYNTHEA_JAR;
    process.env.SYNTHEA_HOME = path.join(os.tmpdir(), 'medgen-no-synthea-here');
    try {
      const res = await generate([{ name: 'engine', valueCode: 'synthea' }]);
      expect(res.status).toBe(501);
      expect(res.body.issue[0].diagnostics ?? res.body.issue[0].details?.text).toMatch(/Synthea is not installed/);
      expect((await generate([{ name: 'engine', valueCode: 'synthea' }, { name: 'count', valueInteger: 0 }])).status).toBe(400);
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  const unavailable = standInUnavailable();
  (unavailable ? skipped(unavailable) : it)('engine=synthea runs Synthea as a job and imports its output', async () => {
    const jars = buildStandIns();
    const saved = process.env.SYNTHEA_JAR;
    process.env.SYNTHEA_JAR = jars.good;
    try {
      const res = await generate([{ name: 'engine', valueCode: 'synthea' }, { name: 'count', valueInteger: 2 }, { name: 'import', valueBoolean: true }]);
      expect(res.status).toBe(202);
      const done = await waitDone(res.headers['content-location']);
      expect(done.status).toBe(200);
      expect(done.body.counts).toMatchObject({ engine: 'synthea', files: 4, imported: { failed: 0 } });
      expect(done.body.output.map((o: { url: string }) => path.basename(o.url))).toEqual(expect.arrayContaining(['hospitalInformation1700000000000.json']));
      expect(await store.countByType()).toMatchObject({ Patient: 2, Organization: 1, Practitioner: 1 });
    } finally {
      if (saved === undefined) delete process.env.SYNTHEA_JAR;
      else process.env.SYNTHEA_JAR = saved;
      fs.rmSync(jars.dir, { recursive: true, force: true });
    }
  });
});
