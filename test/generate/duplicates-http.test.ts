import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import type { Bundle, Parameters, ParametersParameter, Patient } from 'fhir/r4.js';
import { loadConfig } from '../../src/config.js';
import { FileArea } from '../../src/files/file-area.js';
import { LocalFileStore } from '../../src/files/local-file-store.js';
import { GROUND_TRUTH_HEADER } from '../../src/generate/duplicate-ground-truth.js';
import { createJobManager } from '../../src/jobs/create-job-manager.js';
import { createLogger } from '../../src/logger.js';
import { createApp } from '../../src/server.js';
import { openStore } from '../../src/store/open-store.js';
import type { ResourceStore } from '../../src/store/resource-store.js';

let dir: string;
let app: Express;
let store: ResourceStore;
let close: () => Promise<void>;
beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-duplicates-http-'));
  const config = loadConfig({}, { dataDir: dir });
  store = await openStore(config);
  const logger = createLogger('silent');
  const jobs = createJobManager({ fileStore: new LocalFileStore(config.dataDir), store, config, logger });
  app = createApp({ store, files: new FileArea(dir), config, logger, jobs });
  close = async () => (await jobs.close(), await store.close());
});
afterEach(async () => {
  await close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const generate = (parameter: ParametersParameter[], prefer?: string) => {
  const req = request(app).post('/fhir/$generate');
  return (prefer ? req.set('Prefer', prefer) : req).send({ resourceType: 'Parameters', parameter });
};
const part = (p: ParametersParameter, name: string) => p.part!.find((x) => x.name === name);

async function waitDone(location: string) {
  const url = new URL(location).pathname;
  for (let i = 0; i < 600; i++) {
    const res = await request(app).get(url);
    if (res.status !== 202) return res;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('job did not finish');
}

describe('$generate with duplicates', () => {
  it('answers the ground truth as pair parts naming Patients of the answer', async () => {
    const res = await generate([{ name: 'count', valueInteger: 50 }, { name: 'seed', valueInteger: 5 }, { name: 'yearsOfHistory', valueInteger: 1 }, { name: 'duplicates', valueDecimal: 0.2 }]);
    expect(res.status).toBe(200);
    const body = res.body as Parameters;
    const ids = new Set(body.parameter!.filter((p) => p.name === 'bundle').flatMap((p) => (p.resource as Bundle).entry!.filter((e) => e.resource!.resourceType === 'Patient').map((e) => (e.resource as Patient).id)));
    const pairs = body.parameter!.filter((p) => p.name === 'pair');
    expect(pairs.filter((p) => part(p, 'relation')!.valueCode === 'duplicate')).toHaveLength(10);
    expect(pairs.filter((p) => part(p, 'relation')!.valueCode === 'twin')).toHaveLength(1);
    expect(ids.size).toBe(50 + 10 + 1);
    for (const p of pairs) {
      expect(ids.has(part(p, 'left')!.valueId)).toBe(true);
      expect(ids.has(part(p, 'right')!.valueId)).toBe(true);
      if (part(p, 'relation')!.valueCode === 'duplicate') expect(part(p, 'kinds')!.valueString).toMatch(/^[a-z:-]+(;[a-z:-]+)*$/);
    }
  });

  it('refuses a bad rate, or duplicates with the Synthea engine, with a 400 OperationOutcome and no job', async () => {
    for (const extra of [[{ name: 'duplicates', valueString: '2' }], [{ name: 'duplicates', valueString: 'many' }], [{ name: 'duplicates', valueDecimal: 0.1 }, { name: 'engine', valueCode: 'synthea' }]]) {
      const res = await generate([{ name: 'count', valueInteger: 5 }, ...extra]);
      expect(res.status).toBe(400);
      expect(res.body.resourceType).toBe('OperationOutcome');
      expect(res.body.issue[0].expression).toEqual(['duplicates']);
    }
    expect((await request(app).get('/fhir/_jobs')).body.jobs).toEqual([]);
  });

  it('a job lists duplicates.csv (text/csv) in its manifest beside the bundles, and imports only the bundles', async () => {
    const res = await generate([{ name: 'count', valueInteger: 10 }, { name: 'seed', valueInteger: 2 }, { name: 'yearsOfHistory', valueInteger: 1 }, { name: 'duplicates', valueDecimal: 0.5 }, { name: 'import', valueBoolean: true }], 'respond-async');
    expect(res.status).toBe(202);
    const done = await waitDone(res.headers['content-location']);
    expect(done.status).toBe(200);
    expect(done.body.counts).toMatchObject({ patients: 10, duplicates: 5, twins: 0, imported: { failed: 0 } });
    const truth = done.body.output.filter((o: { type: string }) => o.type === 'ground-truth');
    expect(truth).toHaveLength(1);
    expect(done.body.output.filter((o: { type: string }) => o.type === 'Bundle')).toHaveLength(2 + 10 + 5);
    const file = await request(app).get(new URL(truth[0].url).pathname);
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toMatch(/^text\/csv/);
    const lines = file.text.trim().split('\n');
    expect(lines[0]).toBe(GROUND_TRUTH_HEADER);
    expect(lines).toHaveLength(6);
    expect((await store.countByType()).Patient).toBe(15);
    for (const line of lines.slice(1)) expect((await store.read('Patient', line.split(',')[1])).resourceType).toBe('Patient');
  });
});
