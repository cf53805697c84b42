import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import { loadConfig } from '../../src/config.js';
import { FileArea } from '../../src/files/file-area.js';
import { LocalFileStore } from '../../src/files/local-file-store.js';
import { createJobManager } from '../../src/jobs/create-job-manager.js';
import { createLogger } from '../../src/logger.js';
import { createApp } from '../../src/server.js';
import { openStore } from '../../src/store/open-store.js';

const bin = new URL('../../bin/medgen-data.js', import.meta.url).pathname;

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-jobs-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function open(jobConcurrency = 1) {
  const config = loadConfig({}, { dataDir: dir, jobConcurrency });
  const store = await openStore(config);
  const files = new FileArea(dir);
  const logger = createLogger('silent');
  const jobs = createJobManager({ fileStore: new LocalFileStore(config.dataDir), store, config, logger });
  const app = createApp({ store, files, config, logger, jobs });
  return { app, store, jobs, close: async () => (await jobs.close(), await store.close()) };
}

const ndjson = (n: number, broken: number[] = []) =>
  Array.from({ length: n }, (_, i) => (broken.includes(i + 1) ? '{"resourceType":' : JSON.stringify({ resourceType: 'Patient', id: `p${i + 1}`, gender: 'other' }))).join('\n');

async function waitDone(app: Express, location: string) {
  const url = new URL(location).pathname;
  for (let i = 0; i < 200; i++) {
    const res = await request(app).get(url);
    if (res.status !== 202) return res;
    expect(res.headers['x-progress']).toBeDefined();
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('job did not finish');
}

describe('asynchronous $import', () => {
  it('answers 202 with Content-Location, then a manifest with counts and an NDJSON error file', async () => {
    const s = await open();
    const res = await request(s.app).post('/fhir/$import').set('Prefer', 'respond-async').set('Content-Type', 'application/fhir+ndjson').send(ndjson(50, [7]));
    expect(res.status).toBe(202);
    const done = await waitDone(s.app, res.headers['content-location']);
    expect(done.status).toBe(200);
    expect(done.body.counts).toMatchObject({ created: 49, failed: 1 });
    expect(done.body.error).toHaveLength(1);
    const errors = await request(s.app).get(new URL(done.body.error[0].url).pathname);
    expect(errors.headers['content-type']).toMatch(/ndjson/);
    const outcome = JSON.parse(errors.text.trim().split('\n')[0]);
    expect(outcome.resourceType).toBe('OperationOutcome');
    expect(outcome.issue[0].diagnostics).toMatch(/line 7/);
    expect((await s.store.countByType()).Patient).toBe(49);
    await s.close();
  });

  it('resumes a job left running by a stopped process and ends in the same state', async () => {
    const first = await open();
    const res = await request(first.app).post('/fhir/$import').set('Prefer', 'respond-async').set('Content-Type', 'application/fhir+ndjson').send(ndjson(3000));
    const id = new URL(res.headers['content-location']).pathname.split('/').pop()!;
    await first.jobs.close();
    // A process that stops puts its job back in the queue, for any process to take up.
    expect(['queued', 'completed']).toContain((await first.store.getJob(id))?.status);
    await first.store.close();
    const second = await open();
    const done = await waitDone(second.app, res.headers['content-location']);
    expect(done.status).toBe(200);
    expect((await second.store.countByType()).Patient).toBe(3000);
    await second.close();
  });

  it('cancels with DELETE, and 404s unknown or malformed job ids', async () => {
    const s = await open();
    const res = await request(s.app).post('/fhir/$import').set('Prefer', 'respond-async').set('Content-Type', 'application/fhir+ndjson').send(ndjson(20000));
    const url = new URL(res.headers['content-location']).pathname;
    expect((await request(s.app).delete(url)).status).toBe(202);
    const after = await waitDone(s.app, res.headers['content-location']);
    expect(after.status).toBe(410);
    expect((await s.store.countByType()).Patient ?? 0).toBeLessThan(20000);
    expect((await request(s.app).get('/fhir/_jobs/00000000-0000-0000-0000-000000000000')).status).toBe(404);
    expect((await request(s.app).get('/fhir/_jobs/..%2F..%2Fetc')).status).toBe(404);
    await s.close();
  });
});

describe('the job list', () => {
  it('GET /fhir/_jobs and `medgen-data jobs` list the jobs newest first, by status; bad parameters are 400', async () => {
    const s = await open();
    const first = await request(s.app).post('/fhir/$import').set('Prefer', 'respond-async').set('Content-Type', 'application/fhir+ndjson').send(ndjson(3));
    await waitDone(s.app, first.headers['content-location']);
    const second = await request(s.app).post('/fhir/$import').set('Prefer', 'respond-async').set('Content-Type', 'application/fhir+ndjson').send(ndjson(2, [1]));
    await waitDone(s.app, second.headers['content-location']);
    const list = await request(s.app).get('/fhir/_jobs');
    expect(list.status).toBe(200);
    const paths = (...urls: string[]) => urls.map((u) => new URL(u).pathname);
    expect(paths(...list.body.jobs.map((j: { url: string }) => j.url))).toEqual(paths(second.headers['content-location'], first.headers['content-location']));
    expect(list.body.jobs[0]).toMatchObject({ kind: 'import', status: 'completed', errorCount: 1 });
    expect((await request(s.app).get('/fhir/_jobs?status=running')).body.jobs).toEqual([]);
    expect((await request(s.app).get('/fhir/_jobs?_count=1')).body.jobs).toHaveLength(1);
    for (const bad of ['status=done', 'kind=import', '_count=-1']) expect({ bad, status: (await request(s.app).get(`/fhir/_jobs?${bad}`)).status }).toEqual({ bad, status: 400 });
    expect((await request(s.app).post('/fhir/_jobs')).status).toBe(405);
    await s.close();

    const cli = spawnSync(process.execPath, [bin, 'jobs', '--data-dir', dir, '--json'], { encoding: 'utf8' });
    expect(cli.status).toBe(0);
    expect((JSON.parse(cli.stdout) as { id: string }[]).map((j) => j.id)).toEqual(list.body.jobs.map((j: { id: string }) => j.id));
    const lines = spawnSync(process.execPath, [bin, 'jobs', '--data-dir', dir, '--status', 'completed'], { encoding: 'utf8' });
    expect(lines.stdout.trim().split('\n')).toHaveLength(2);
    expect(spawnSync(process.execPath, [bin, 'jobs', '--data-dir', dir, '--status', 'nope'], { encoding: 'utf8' }).status).toBe(2);
  });
});

describe('MEDGEN_JOB_CONCURRENCY', () => {
  it('with 2, three imports submitted at once all end correctly, and one maintenance task never runs twice at once', async () => {
    const s = await open(2);
    const submit = (body: string) => request(s.app).post('/fhir/$import').set('Prefer', 'respond-async').set('Content-Type', 'application/fhir+ndjson').send(body);
    const sizes = [400, 300, 200];
    const submitted = await Promise.all(sizes.map((n, k) => submit(ndjson(n).replaceAll('"id":"p', `"id":"c${k}-p`))));
    const maintenance = await Promise.all([1, 2].map(() => request(s.app).post('/fhir/$maintenance?task=statistics')));
    for (const [k, res] of submitted.entries()) {
      const done = await waitDone(s.app, res.headers['content-location']);
      expect(done.status).toBe(200);
      expect(done.body.counts).toMatchObject({ created: sizes[k], failed: 0 });
    }
    const runs = [];
    for (const res of maintenance) {
      await waitDone(s.app, res.headers['content-location']);
      runs.push(await s.jobs.get(new URL(res.headers['content-location']).pathname.split('/').pop()!));
    }
    const completed = runs.filter((r) => r.status === 'completed');
    expect(completed.length).toBeGreaterThanOrEqual(1);
    // Refused (409, the other holds the lease) or run one after the other: never both at the same time.
    for (const r of runs.filter((run) => run.status === 'failed')) expect(r.failure?.issue[0].diagnostics).toMatch(/already running/);
    // The task's own run (inside the lease), from its result: the job around it starts earlier and ends later.
    const spans = [];
    for (const r of completed) spans.push(JSON.parse((await request(s.app).get(`/fhir/_jobs/${r.id}/result.json`)).text) as { started: string; finished: string });
    if (spans.length === 2) expect(spans[0].finished <= spans[1].started || spans[1].finished <= spans[0].started).toBe(true);
    expect((await s.store.countByType()).Patient).toBe(900);
    await s.close();
  });
});
