/**
 * Lineage of an import, over HTTP on both stores: every stored resource's meta.source names the job, the file
 * and the entry or line; every created version is a versioned target of a Provenance naming the file's
 * SHA-256 (computed here); `_source` (exact, and `:below` for a file or a job) and `_revinclude=Provenance:target`
 * find them; `$lineage` tells a Patient's story; a second import changes nothing, lineage included.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import type { Bundle, Parameters, ParametersParameter, Provenance } from 'fhir/r4.js';
import { importFiles } from '../../src/import/import-files.js';
import { createLogger } from '../../src/logger.js';
import type { ResourceStore, StoredResource } from '../../src/store/resource-store.js';
import { closeServers, server } from '../export/export-fixture.js';
import { patientBundle, patientId, supportBatch } from '../import/synthea-like.js';
import { serverUri } from '../store/server-uri.js';

afterAll(closeServers, 60_000);

const SKIPPED = 'import lineage on a MongoDB store skipped: MONGODB_URI is not set';
const backends: [string, string | undefined][] = [['SQLite', undefined]];
if (serverUri) backends.push(['MongoDB', serverUri]);
else test(SKIPPED, () => console.warn(`${SKIPPED} (set MONGODB_URI for npm test to run it against a server)`));

const JOB = 'job-lineage-1';
const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** The input folder: a support batch, two patient transactions, and NDJSON whose lines reference a patient imported after it. */
function writeInput(dir: string): Record<string, string> {
  const input = path.join(dir, 'input');
  fs.mkdirSync(input);
  const observation = (n: number) => ({
    resourceType: 'Observation',
    id: `nd-${n}`,
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '8302-2' }] },
    subject: { reference: `Patient/${patientId(1)}` },
    valueQuantity: { value: 160 + n, unit: 'cm', system: 'http://unitsofmeasure.org', code: 'cm' },
  });
  const files: Record<string, string> = {
    'hospitalInformation1.json': JSON.stringify(supportBatch()),
    'patient 1.json': JSON.stringify(patientBundle(1)),
    'patient-2.json': JSON.stringify(patientBundle(2)),
    'Observation.ndjson': [observation(1), observation(2)].map((o) => JSON.stringify(o)).join('\n'),
  };
  const hashes: Record<string, string> = {};
  for (const [name, text] of Object.entries(files)) {
    fs.writeFileSync(path.join(input, name), text);
    hashes[name] = sha256(path.join(input, name));
  }
  return hashes;
}

async function all(store: ResourceStore): Promise<StoredResource[]> {
  const out: StoredResource[] = [];
  for (const type of Object.keys(await store.countByType()).sort()) for await (const r of store.stream(type)) out.push(r);
  return out;
}

const part = (p: ParametersParameter, name: string) => p.part?.find((x) => x.name === name);

describe.each(backends)('import lineage on %s', (_, uri) => {
  let s: Awaited<ReturnType<typeof server>>;
  let hashes: Record<string, string>;
  const logger = createLogger('silent');
  beforeAll(async () => {
    s = await server(uri);
    hashes = writeInput(s.dir);
    const summary = await importFiles(s.store, [path.join(s.dir, 'input')], { mode: 'strict', logger, lineage: { jobId: JOB, parameters: { mode: 'strict' } } });
    expect(summary.failed).toBe(0);
  }, 120_000);

  const get = (url: string) => request(s.app).get(url).set('Accept', 'application/fhir+json');

  it('stamps every stored resource with the job, its file and its entry or line', async () => {
    const resources = (await all(s.store)).filter((r) => r.resourceType !== 'Provenance');
    expect(resources).toHaveLength(2 + 4 * 2 + 2);
    for (const r of resources) {
      expect({ r: `${r.resourceType}/${r.id}`, source: r.meta.source }).toEqual({ r: `${r.resourceType}/${r.id}`, source: expect.stringMatching(new RegExp(`^urn:medgen:job:${JOB}/[^#]+#(entry|line)-\\d+$`)) });
    }
    const byKey = new Map(resources.map((r) => [`${r.resourceType}/${r.id}`, r.meta.source]));
    expect(byKey.get(`Patient/${patientId(1)}`)).toBe(`urn:medgen:job:${JOB}/patient%201.json#entry-0`);
    expect(byKey.get(`Patient/${patientId(2)}`)).toBe(`urn:medgen:job:${JOB}/patient-2.json#entry-0`);
    expect(byKey.get('Observation/nd-2')).toBe(`urn:medgen:job:${JOB}/Observation.ndjson#line-2`);
    expect(byKey.get('Practitioner/pr-1')).toBe(`urn:medgen:job:${JOB}/hospitalInformation1.json#entry-1`);
  });

  it('covers every created version with a Provenance naming the job, the activity and the file with its SHA-256', async () => {
    const stored = await all(s.store);
    const provenance = stored.filter((r) => r.resourceType === 'Provenance') as (Provenance & StoredResource)[];
    const covered = new Map<string, Provenance>();
    for (const p of provenance) for (const t of p.target) covered.set(t.reference!, p);
    for (const r of stored.filter((x) => x.resourceType !== 'Provenance')) {
      const p = covered.get(`${r.resourceType}/${r.id}/_history/${r.meta.versionId}`);
      expect({ r: r.id, covered: p !== undefined }).toEqual({ r: r.id, covered: true });
      const file = decodeURIComponent(r.meta.source!.split('/')[1].split('#')[0]);
      expect(p!.meta?.source).toBe(`urn:medgen:job:${JOB}/${encodeURIComponent(file)}`);
      expect(p!.entity?.[0].what).toEqual({ display: file, identifier: { system: 'urn:medgen-data:sha256', value: hashes[file] } });
      expect(p!.activity?.coding?.[0].code).toBe('CREATE');
      expect(p!.agent[0].who?.identifier?.value).toBe(JOB);
    }
  });

  it('_source finds one entry, and with :below a file\'s resources (up to the fragment) and a job\'s', async () => {
    const ids = async (url: string) => ((await get(url)).body as Bundle).entry?.map((e) => e.resource!.id).sort() ?? [];
    const file = encodeURIComponent(`urn:medgen:job:${JOB}/patient%201.json#`);
    expect(await ids(`/fhir/Patient?_source:below=${file}`)).toEqual([patientId(1)]);
    expect(await ids(`/fhir/Observation?_source:below=${file}`)).toEqual(['obs-1']);
    expect(await ids(`/fhir/Patient?_source=${encodeURIComponent(`urn:medgen:job:${JOB}/patient%201.json`)}`)).toEqual([]);
    expect(await ids(`/fhir/Patient?_source=${encodeURIComponent(`urn:medgen:job:${JOB}/patient%201.json#entry-0`)}`)).toEqual([patientId(1)]);
    expect(await ids(`/fhir/Patient?_source=${encodeURIComponent(`urn:medgen:job:${JOB}/patient%201.json#entry-1`)}`)).toEqual([]);
    expect(await ids(`/fhir/Patient?_source:below=${encodeURIComponent(`urn:medgen:job:${JOB}`)}`)).toEqual([patientId(1), patientId(2)].sort());
    expect(await ids(`/fhir/Observation?_source:below=${encodeURIComponent(`urn:medgen:job:${JOB}/Observation.ndjson#`)}`)).toEqual(['nd-1', 'nd-2']);
  }, 60_000);

  it('_revinclude=Provenance:target brings in the Provenance of a version', async () => {
    const res = await get(`/fhir/Patient?_id=${patientId(2)}&_revinclude=Provenance:target`);
    expect(res.status).toBe(200);
    const entries = (res.body as Bundle).entry ?? [];
    expect(entries.map((e) => [e.resource!.resourceType, e.search?.mode])).toEqual([['Patient', 'match'], ['Provenance', 'include']]);
    expect((entries[1].resource as Provenance).target.map((t) => t.reference)).toContain(`Patient/${patientId(2)}/_history/1`);
  });

  it('$lineage of a Patient names the import job and the file with its SHA-256', async () => {
    const res = await get(`/fhir/$lineage?target=Patient/${patientId(1)}`);
    expect(res.status).toBe(200);
    const body = res.body as Parameters;
    expect(body.parameter?.[0]).toEqual({ name: 'target', valueReference: { reference: `Patient/${patientId(1)}` } });
    const versions = body.parameter!.filter((p) => p.name === 'version');
    expect(versions).toHaveLength(1);
    const [v] = versions;
    expect(part(v, 'versionId')?.valueId).toBe('1');
    expect(part(v, 'source')?.valueUri).toBe(`urn:medgen:job:${JOB}/patient%201.json#entry-0`);
    expect(part(v, 'job')?.valueString).toBe(JOB);
    expect(part(v, 'file')?.valueString).toBe('patient 1.json');
    expect(part(v, 'sha256')?.valueString).toBe(sha256(path.join(s.dir, 'input', 'patient 1.json')));
    expect(part(v, 'position')?.valueString).toBe('entry-0');
    expect(part(v, 'activity')?.valueCoding?.code).toBe('CREATE');
    expect(part(v, 'parameters')?.valueString).toBe('{"mode":"strict"}');
    expect(part(v, 'provenance')?.valueReference?.reference).toMatch(/^Provenance\//);
  });

  it('importing the same files again changes nothing: no new version, no new Provenance, the first lineage kept', async () => {
    const before = await all(s.store);
    const again = await importFiles(s.store, [path.join(s.dir, 'input')], { mode: 'strict', logger, lineage: { jobId: 'job-lineage-2' } });
    expect([again.created, again.updated, again.failed]).toEqual([0, 0, 0]);
    expect(await all(s.store)).toEqual(before);
  }, 60_000);
});

describe('lineage switches and HTTP imports', () => {
  let s: Awaited<ReturnType<typeof server>>;
  beforeAll(async () => {
    s = await server();
  });

  it('an import job stamps its id and request-body, and its Provenance names the spooled body\'s SHA-256', async () => {
    const body = [{ resourceType: 'Patient', id: 'job-p1' }, { resourceType: 'Patient', id: 'job-p2' }].map((r) => JSON.stringify(r)).join('\n');
    const res = await request(s.app).post('/fhir/$import').set('Content-Type', 'application/fhir+ndjson').set('Prefer', 'respond-async').send(body);
    expect(res.status).toBe(202);
    const jobId = res.headers['content-location'].split('/').at(-1)!;
    for (let i = 0; i < 200 && (await request(s.app).get(`/fhir/_jobs/${jobId}`)).status === 202; i++) await new Promise((r) => setTimeout(r, 50));
    const p = await s.store.read('Patient', 'job-p2');
    expect(p.meta.source).toBe(`urn:medgen:job:${jobId}/request-body#line-2`);
    const lineage = (await request(s.app).get('/fhir/$lineage?target=Patient/job-p2')).body as Parameters;
    const v = lineage.parameter!.find((x) => x.name === 'version')!;
    expect(part(v, 'job')?.valueString).toBe(jobId);
    expect(part(v, 'file')?.valueString).toBe('request-body');
    expect(part(v, 'sha256')?.valueString).toBe(createHash('sha256').update(body).digest('hex'));
  }, 30_000);

  it('a synchronous $import of a Bundle is its request\'s job, with the body\'s SHA-256', async () => {
    const text = JSON.stringify({ resourceType: 'Bundle', type: 'transaction', entry: [{ fullUrl: `urn:uuid:${patientId(7)}`, resource: { resourceType: 'Patient', id: patientId(7) }, request: { method: 'POST', url: 'Patient' } }] });
    const res = await request(s.app).post('/fhir/$import').set('Content-Type', 'application/fhir+json').set('X-Request-Id', 'sync-import-1').send(text);
    expect(res.status).toBe(200);
    expect((await s.store.read('Patient', patientId(7))).meta.source).toBe('urn:medgen:job:request-sync-import-1/request-body#entry-0');
    const v = ((await request(s.app).get(`/fhir/$lineage?target=Patient/${patientId(7)}`)).body as Parameters).parameter!.find((x) => x.name === 'version')!;
    expect(part(v, 'sha256')?.valueString).toBe(createHash('sha256').update(text).digest('hex'));
  });

  it('lineage: false imports without meta.source or Provenance', async () => {
    fs.mkdirSync(path.join(s.dir, 'off'));
    fs.writeFileSync(path.join(s.dir, 'off', 'p.json'), JSON.stringify({ resourceType: 'Patient', id: 'off-1' }));
    const before = (await s.store.countByType()).Provenance ?? 0;
    await importFiles(s.store, [path.join(s.dir, 'off')], { mode: 'strict', logger: createLogger('silent'), lineage: false });
    expect((await s.store.read('Patient', 'off-1')).meta.source).toBeUndefined();
    expect((await s.store.countByType()).Provenance ?? 0).toBe(before);
  });

  it('MEDGEN_LINEAGE=off does the same for every import; a CLI import otherwise gets a cli-<run id> job', async () => {
    fs.mkdirSync(path.join(s.dir, 'env'));
    fs.writeFileSync(path.join(s.dir, 'env', 'q.json'), JSON.stringify({ resourceType: 'Patient', id: 'env-1' }));
    fs.writeFileSync(path.join(s.dir, 'env', 'r.json'), JSON.stringify({ resourceType: 'Patient', id: 'env-2' }));
    process.env.MEDGEN_LINEAGE = 'off';
    try {
      await importFiles(s.store, [path.join(s.dir, 'env', 'q.json')], { mode: 'strict', logger: createLogger('silent') });
    } finally {
      delete process.env.MEDGEN_LINEAGE;
    }
    expect((await s.store.read('Patient', 'env-1')).meta.source).toBeUndefined();
    await importFiles(s.store, [path.join(s.dir, 'env', 'r.json')], { mode: 'strict', logger: createLogger('silent') });
    expect((await s.store.read('Patient', 'env-2')).meta.source).toMatch(/^urn:medgen:job:cli-[0-9a-z]{16}\/r\.json$/);
  });
});
