/**
 * The job queue across processes, with two or more managers (each its own owner, as separate processes are)
 * on one SQLite file: claims, takeover of a dead owner's job, concurrency, cancel through another process and
 * retention. Workers here are small test functions, so each test controls exactly when a job ends.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { LocalFileStore } from '../../src/files/local-file-store.js';
import { JobManager } from '../../src/jobs/job-manager.js';
import { jobLeaseName } from '../../src/jobs/job-lease.js';
import type { JobRecord, JobWorker } from '../../src/jobs/job-types.js';
import { createLogger } from '../../src/logger.js';
import { openStore } from '../../src/store/open-store.js';
import type { ResourceStore } from '../../src/store/resource-store.js';
import { loadConfig } from '../../src/config.js';

let dir: string;
const open: { close(): Promise<void> }[] = [];
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-jobq-'));
});
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function store(): Promise<ResourceStore> {
  const s = await openStore(loadConfig({}, { dataDir: dir }));
  open.push(s);
  return s;
}

function manager(s: ResourceStore, workers: Record<string, JobWorker>, options: { concurrency?: number; leaseMs?: number; retentionDays?: number } = {}): JobManager {
  const jobs = new JobManager({ store: s, files: new LocalFileStore(dir), scratch: path.join(dir, 'scratch'), workers, logger: createLogger('silent'), leaseMs: 900, ...options });
  open.push(jobs);
  jobs.start();
  return jobs;
}

async function until<T>(what: () => Promise<T>, ok: (value: T) => boolean, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await what();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last value ${JSON.stringify(value)}`);
    await sleep(20);
  }
}

/** A worker that runs until released (or aborted), counting how many run at once. */
function gate() {
  let running = 0;
  let peak = 0;
  const started: string[] = [];
  let open = false;
  const worker: JobWorker = async (run) => {
    running++;
    peak = Math.max(peak, running);
    started.push(run.record.id);
    try {
      while (!open) {
        run.signal.throwIfAborted();
        await sleep(10);
      }
      fs.writeFileSync(path.join(run.dir, 'out.ndjson'), `${run.record.id}\n`);
      return { counts: { by: run.record.owner }, output: [{ type: 'Patient', file: 'out.ndjson' }] };
    } finally {
      running--;
    }
  };
  return { worker, started, peak: () => peak, release: () => (open = true) };
}

const text = async (stream: Readable) => {
  let out = '';
  for await (const chunk of stream) out += chunk;
  return out;
};

describe('jobs in the store', () => {
  it('a job submitted to one process is answered by another: status, list, files', async () => {
    const g = gate();
    const a = manager(await store(), { work: g.worker });
    const b = manager(await store(), {});
    const job = await a.submit('work', { n: 1 }, { stream: Readable.from(['input bytes']), name: 'input.txt' });
    expect((await b.get(job.id)).kind).toBe('work');
    await until(() => b.get(job.id), (r) => r.status === 'running');
    g.release();
    const done = await until(() => b.get(job.id), (r) => r.status === 'completed');
    expect(done.counts).toEqual({ by: a.owner });
    expect(await text(await b.openFile(job.id, 'out.ndjson'))).toBe(`${job.id}\n`);
    expect((await b.list({ limit: 10 })).map((r) => r.id)).toEqual([job.id]);
    expect(fs.readFileSync(path.join(dir, 'jobs', job.id, 'input.txt'), 'utf8')).toBe('input bytes');
    await expect(b.openFile(job.id, 'input.txt')).rejects.toMatchObject({ status: 404 });
  });

  it("a running job whose owner stopped renewing is taken over once its lease expires, and finished", async () => {
    const s = await store();
    const created = new Date().toISOString();
    const record: JobRecord = { id: '6f1e2d3c-0000-4000-8000-000000000001', kind: 'work', status: 'running', params: {}, created, started: created, progress: { done: 3 }, output: [], errorCount: 0, owner: 'dead-process', attempts: 1 };
    await s.putJob(record);
    expect(await s.acquireLock(jobLeaseName(record.id), 'dead-process', 700)).toBe(true);
    const g = gate();
    g.release();
    const b = manager(s, { work: g.worker });
    await sleep(300);
    expect(g.started).toEqual([]);
    const done = await until(() => b.get(record.id), (r) => r.status === 'completed');
    expect(done).toMatchObject({ attempts: 2, counts: { by: b.owner } });
    expect(done.owner).toBeUndefined();
  });

  it('a job cancelled while its dead owner still held the lease is not run by the process that takes it over', async () => {
    const s = await store();
    const created = new Date().toISOString();
    const record: JobRecord = { id: '6f1e2d3c-0000-4000-8000-000000000002', kind: 'work', status: 'running', params: {}, created, progress: { done: 0 }, output: [], errorCount: 0, owner: 'dead-process' };
    await s.putJob(record);
    expect(await s.acquireLock(jobLeaseName(record.id), 'dead-process', 700)).toBe(true);
    const g = gate();
    g.release();
    const b = manager(s, { work: g.worker });
    expect((await b.cancel(record.id)).status).toBe('running');
    const done = await until(() => b.get(record.id), (r) => r.status !== 'running');
    expect(done.status).toBe('cancelled');
    expect(g.started).toEqual([]);
  });

  it('runs at most `concurrency` jobs at once per process, and all of them end', async () => {
    const g = gate();
    const a = manager(await store(), { work: g.worker }, { concurrency: 2 });
    const ids = await Promise.all([1, 2, 3].map(async (n) => (await a.submit('work', { n })).id));
    await until(async () => g.started.length, (n) => n === 2);
    await sleep(300);
    expect(g.started).toHaveLength(2);
    g.release();
    for (const id of ids) await until(() => a.get(id), (r) => r.status === 'completed');
    expect(g.peak()).toBe(2);
  });

  it('jobs start in the order they were submitted, even within one millisecond', async () => {
    const g = gate();
    g.release();
    const a = manager(await store(), { work: g.worker });
    const ids: string[] = [];
    for (let n = 0; n < 6; n++) ids.push((await a.submit('work', { n })).id);
    for (const id of ids) await until(() => a.get(id), (r) => r.status === 'completed');
    expect(g.started).toEqual(ids);
  });

  it('each pending job runs in exactly one of several processes', async () => {
    const g = gate();
    g.release();
    const managers = await Promise.all([1, 2, 3].map(async () => manager(await store(), { work: g.worker }, { concurrency: 2 })));
    const ids = await Promise.all(Array.from({ length: 8 }, async (_, n) => (await managers[n % 3].submit('work', { n })).id));
    for (const id of ids) await until(() => managers[0].get(id), (r) => r.status === 'completed');
    expect([...g.started].sort()).toEqual([...ids].sort());
  });

  it('cancel through another process stops the run at its next renewal; a queued job is cancelled at once', async () => {
    const g = gate();
    const a = manager(await store(), { work: g.worker });
    const b = manager(await store(), {});
    const [running, queued] = [await a.submit('work', {}), await a.submit('work', {})];
    await until(async () => g.started.length, (n) => n === 1);
    await until(() => b.get(running.id), (r) => r.status === 'running');
    expect((await b.cancel(queued.id)).status).toBe('cancelled');
    expect((await b.cancel(running.id)).status).toBe('running');
    const stopped = await until(() => b.get(running.id), (r) => r.status !== 'running', 5000);
    expect(stopped.status).toBe('cancelled');
    await sleep(200);
    expect(g.started).toEqual([running.id]);
    expect((await b.get(queued.id)).status).toBe('cancelled');
    // A cancelled job leaves none of its files behind.
    expect(fs.existsSync(path.join(dir, 'jobs', running.id))).toBe(false);
  });

  it('a closing process puts its job back in the queue, and another takes it up at once', async () => {
    const g = gate();
    const a = manager(await store(), { work: g.worker });
    const job = await a.submit('work', {});
    await until(async () => g.started.length, (n) => n === 1);
    const b = manager(await store(), { work: g.worker }, { leaseMs: 60_000 });
    await a.close();
    g.release();
    const done = await until(() => b.get(job.id), (r) => r.status === 'completed', 5000);
    expect(done).toMatchObject({ attempts: 2, counts: { by: b.owner } });
  });

  it('finished jobs past the retention period are removed with their files; recent ones and pending ones stay', async () => {
    const s = await store();
    const old = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const base = { kind: 'work', params: {}, progress: { done: 0 }, output: [], errorCount: 0 };
    await s.putJob({ ...base, id: '6f1e2d3c-0000-4000-8000-00000000000a', status: 'completed', created: old, finished: old } as JobRecord);
    await s.putJob({ ...base, id: '6f1e2d3c-0000-4000-8000-00000000000b', status: 'completed', created: old, finished: new Date().toISOString() } as JobRecord);
    fs.mkdirSync(path.join(dir, 'jobs', '6f1e2d3c-0000-4000-8000-00000000000a'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'jobs', '6f1e2d3c-0000-4000-8000-00000000000a', 'out.ndjson'), 'x');
    manager(s, {}, { retentionDays: 2 });
    await until(() => s.getJob('6f1e2d3c-0000-4000-8000-00000000000a'), (r) => r === null);
    expect(fs.existsSync(path.join(dir, 'jobs', '6f1e2d3c-0000-4000-8000-00000000000a'))).toBe(false);
    expect(await s.getJob('6f1e2d3c-0000-4000-8000-00000000000b')).not.toBeNull();
  });

  it('a failing worker fails its job with an OperationOutcome; unknown ids are 404', async () => {
    const a = manager(await store(), {
      boom: async () => {
        throw new Error('disk on fire');
      },
    });
    const job = await a.submit('boom', {});
    const failed = await until(() => a.get(job.id), (r) => r.status === 'failed');
    expect(failed.failure?.issue[0].diagnostics).toMatch(/disk on fire/);
    await expect(a.get('6f1e2d3c-0000-4000-8000-0000000000ff')).rejects.toMatchObject({ status: 404 });
    await expect(a.get('../../etc')).rejects.toMatchObject({ status: 404 });
  });
});
