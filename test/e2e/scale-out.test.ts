/**
 * Two server processes as replicas behind a load balancer would run: different data folders, one MongoDB
 * database (FerretDB in CI) and one S3 bucket (SeaweedFS in CI), no shared folder. A job submitted to one is
 * answered by the other, and finished by it when the first is killed mid-run; a backup made through one is
 * listed, verified and restored through others; DICOM files one writes the other serves.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Patient } from 'fhir/r4.js';
import { openStore } from '../../src/store/open-store.js';
import { loadConfig } from '../../src/config.js';
import { type TestFn, skipped } from '../external-tool.js';
import { seedResources } from '../imaging/imaging-fixture.js';
import { serverUri } from '../store/server-uri.js';
import { type ServeProcess, serveProcess } from './serve-process.js';

const s3Url = process.env.MEDGEN_TEST_S3_URL;
const it_: TestFn = !serverUri
  ? skipped('MONGODB_URI not set; tools/ferretdb/start.sh starts a MongoDB wire-protocol server and sets it')
  : !s3Url
    ? skipped('MEDGEN_TEST_S3_URL not set; tools/seaweedfs/start.sh starts an S3 server and sets it')
    : test;

const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const dbName = `medgen_scale_${run}`;
const servers: ServeProcess[] = [];
const dirs: string[] = [];

/** The environment of one replica: its own data folder, the shared database and bucket. */
function replicaEnv(db = dbName): Record<string, string> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-replica-'));
  dirs.push(dataDir);
  return { MONGODB_URI: serverUri ?? '', MONGODB_DB: db, MEDGEN_DATA_DIR: dataDir, MEDGEN_FILES_URL: `${s3Url}/${run}`, MEDGEN_JOB_LEASE_MS: '3000' };
}

function replica(db = dbName): ServeProcess {
  const server = serveProcess(replicaEnv(db));
  servers.push(server);
  return server;
}

/** The bodies of a multipart/related answer, in order. */
async function parts(res: Response): Promise<Buffer[]> {
  const boundary = /boundary="?([^";]+)"?/.exec(res.headers.get('content-type') ?? '')?.[1];
  if (!boundary) throw new Error(`not multipart: ${res.headers.get('content-type')}`);
  const body = Buffer.from(await res.arrayBuffer());
  const delimiter = Buffer.from(`--${boundary}`);
  const out: Buffer[] = [];
  for (let at = body.indexOf(delimiter); at >= 0; ) {
    const next = body.indexOf(delimiter, at + delimiter.length);
    if (next < 0) break;
    const part = body.subarray(at + delimiter.length, next - 2);
    out.push(part.subarray(part.indexOf('\r\n\r\n') + 4));
    at = next;
  }
  return out;
}

/** Follows a job at `jobUrl` until it ends; its final answer. */
async function finished(jobUrl: string, ms = 240_000): Promise<Awaited<ReturnType<typeof status>>> {
  const deadline = Date.now() + ms;
  for (;;) {
    const answer = await status(jobUrl);
    if (answer.status !== 202 || Date.now() > deadline) return answer;
    await sleep(250);
  }
}

afterAll(async () => {
  for (const s of servers) if (s.child.exitCode === null) s.child.kill('SIGKILL');
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const PATIENTS = 1500;
const patient = (i: number): Patient => ({ resourceType: 'Patient', id: `so-${i}`, gender: i % 2 ? 'female' : 'male', name: [{ family: `Family${i}`, given: ['Ann'] }], birthDate: '1970-01-01' });

async function status(url: string): Promise<{ status: number; body: unknown; progress: string | null }> {
  const res = await fetch(url);
  return { status: res.status, body: res.status === 200 ? await res.json() : await res.text(), progress: res.headers.get('x-progress') };
}

describe('two server processes on one MongoDB database and one S3 bucket', () => {
  it_('an async $import sent to one is answered by the other, which finishes it when the first is killed mid-run', async () => {
    const [a, b] = [replica(), replica()];
    const [urlA, urlB] = await Promise.all([a.url, b.url]);
    const body = Array.from({ length: PATIENTS }, (_, i) => JSON.stringify(patient(i))).join('\n');
    const submitted = await fetch(`${urlA}/fhir/$import`, { method: 'POST', headers: { Prefer: 'respond-async', 'Content-Type': 'application/fhir+ndjson' }, body });
    expect(submitted.status).toBe(202);
    const jobPath = new URL(submitted.headers.get('content-location')!).pathname;
    // The second process answers for a job it does not own: 202 with progress, never 404.
    for (const deadline = Date.now() + 120_000; ; ) {
      const seen = await status(`${urlB}${jobPath}`);
      expect(seen.status).toBe(202);
      if (/^[1-9]\d* /.test(seen.progress ?? '')) break;
      if (Date.now() > deadline) throw new Error(`the job never made progress: ${seen.progress}; ${a.output().slice(-3000)}`);
      await sleep(50);
    }
    a.child.kill('SIGKILL');
    await a.exited;
    const done = await finished(`${urlB}${jobPath}`);
    expect({ status: done.status, log: done.status === 200 ? '' : b.output().slice(-3000) }).toEqual({ status: 200, log: '' });
    const manifest = done.body as { counts: Record<string, number>; error: unknown[] };
    expect(manifest.error).toEqual([]);
    expect(manifest.counts.failed).toBe(0);

    // The end state equals an uninterrupted import's: every patient once, as sent, in its first version.
    const store = await openStore(loadConfig({}, { mongodbUri: serverUri, mongodbDb: dbName }));
    try {
      expect((await store.countByType()).Patient).toBe(PATIENTS);
      let n = 0;
      for await (const stored of store.stream('Patient')) {
        const { meta, ...content } = stored as Patient;
        expect(meta?.versionId).toBe('1');
        expect(content).toEqual(patient(Number(content.id!.slice(3))));
        n++;
      }
      expect(n).toBe(PATIENTS);
      const job = (await store.listJobs({ limit: 10 }))[0] as unknown as { attempts: number };
      expect(job.attempts).toBe(2);
    } finally {
      await store.close();
    }
  }, 300_000);

  it_('a backup made through one process is listed and verified by another and restored through a third', async () => {
    // A database of its own, so the backup is small and the test quick on FerretDB.
    const db = `${dbName}_backup`;
    const [a, b] = [replica(db), replica(db)];
    const [urlA, urlB] = await Promise.all([a.url, b.url]);
    await fetch(`${urlA}/fhir/Patient/so-keep`, { method: 'PUT', headers: { 'Content-Type': 'application/fhir+json' }, body: JSON.stringify({ resourceType: 'Patient', id: 'so-keep', gender: 'other' }) });
    const submitted = await fetch(`${urlA}/fhir/$backup?type=full`, { method: 'POST' });
    expect(submitted.status).toBe(202);
    const jobPath = new URL(submitted.headers.get('content-location')!).pathname;
    const done = await finished(`${urlB}${jobPath}`);
    expect(done.status).toBe(200);
    const resultUrl = (done.body as { output: { url: string }[] }).output[0].url;
    const result = (await (await fetch(`${urlB}${new URL(resultUrl).pathname}`)).json()) as { result: { id: string } };
    const id = result.result.id;
    expect(id).toMatch(/-full$/);

    // Run without blocking: a synchronous spawn would stall fetch's pooled connections past the servers' keep-alive.
    const cli = (...args: string[]) => promisify(execFile)(process.execPath, [path.resolve('bin/medgen-data.js'), 'backup', ...args, '--json'], { encoding: 'utf8', env: { ...process.env, ...replicaEnv(db) } });
    const listed = await cli('--list');
    expect((JSON.parse(listed.stdout) as { id: string }[]).map((r) => r.id)).toContain(id);
    const verified = await cli('--verify', id);
    expect(JSON.parse(verified.stdout)).toMatchObject({ id, ok: true, problems: [] });

    expect((await fetch(`${urlA}/fhir/Patient/so-keep`, { method: 'DELETE' })).status).toBeLessThan(300);
    expect((await fetch(`${urlB}/fhir/Patient/so-keep`)).status).toBe(410);
    const restore = await fetch(`${urlB}/fhir/$restore?backup=${id}&replace=true`, { method: 'POST' });
    expect(restore.status).toBe(202);
    const restored = await finished(`${urlA}${new URL(restore.headers.get('content-location')!).pathname}`);
    expect(restored.status).toBe(200);
    expect((await fetch(`${urlA}/fhir/Patient/so-keep`)).status).toBe(200);
  }, 300_000);

  it_('$enhance-imaging through one process; WADO-RS of the study through the other returns the same bytes', async () => {
    const [a, b] = [replica(), replica()];
    const [urlA, urlB] = await Promise.all([a.url, b.url]);
    for (const resource of seedResources) {
      const put = await fetch(`${urlA}/fhir/${resource.resourceType}/${resource.id}`, { method: 'PUT', headers: { 'Content-Type': 'application/fhir+json' }, body: JSON.stringify(resource) });
      expect(put.status).toBeLessThan(300);
    }
    const enhanced = await fetch(`${urlA}/fhir/Patient/${seedResources[0].id}/$enhance-imaging`, { method: 'POST' });
    expect(enhanced.status).toBe(200);
    const studies = (await (await fetch(`${urlB}/fhir/ImagingStudy?patient=${seedResources[0].id}`)).json()) as { entry: { resource: { identifier: { value: string }[]; numberOfInstances: number } }[] };
    expect(studies.entry.length).toBeGreaterThan(0);
    const study = studies.entry[0].resource;
    const uid = study.identifier[0].value.replace('urn:oid:', '');
    const accept = { Accept: 'multipart/related; type="application/dicom"' };
    const [fromA, fromB] = await Promise.all([fetch(`${urlA}/dicomweb/studies/${uid}`, { headers: accept }), fetch(`${urlB}/dicomweb/studies/${uid}`, { headers: accept })]);
    expect([fromA.status, fromB.status]).toEqual([200, 200]);
    const [partsA, partsB] = await Promise.all([parts(fromA), parts(fromB)]);
    expect(partsB).toHaveLength(study.numberOfInstances);
    expect(partsB.map((p) => p.subarray(128, 132).toString())).toEqual(partsB.map(() => 'DICM'));
    expect(partsB.every((p, i) => p.equals(partsA[i]))).toBe(true);
  }, 300_000);

  it_('a server whose file store cannot be used stops at start with one line saying why', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ MEDGEN_FILES_URL: 's3://medgen-no-such-bucket/x' }, /bucket medgen-no-such-bucket does not exist/],
      [{ AWS_SECRET_ACCESS_KEY: 'wrong-secret' }, /refused the credentials/],
      [{ AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9' }, /Cannot reach the S3 endpoint http:\/\/127\.0\.0\.1:9/],
    ];
    for (const [env, message] of cases) {
      const server = serveProcess({ ...replicaEnv(), ...env });
      servers.push(server);
      expect(await server.exited).not.toBe(0);
      expect(server.output()).toMatch(message);
    }
  }, 120_000);
});
