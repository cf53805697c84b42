/**
 * Bulk Data `$export` over HTTP on a generated population: system, Patient and Group levels, `_type`, `_since`
 * with deletions, `_typeFilter`, `_elements`, the manifest, file serving, DELETE, and the refusals at kick-off.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import request from 'supertest';
import type { Express } from 'express';
import type { Resource } from 'fhir/r4.js';
import { compartmentPatients } from '../../src/export/patient-compartment.js';
import { createImportContext } from '../../src/import/import-context.js';
import { unitsOfNdjson } from '../../src/import/ndjson-units.js';
import { runImport } from '../../src/import/run-import.js';
import { serverUri } from '../store/server-uri.js';
import { all, closeServers, dangling, finished, keyOf, logger, outputOf, populate, server, type Json, type Manifest } from './export-fixture.js';

afterAll(closeServers, 60_000);

const SKIPPED = '$export on a MongoDB store skipped: MONGODB_URI is not set';
const backends: [string, string | undefined][] = [['SQLite', undefined]];
if (serverUri) backends.push(['MongoDB', serverUri]);
else test(SKIPPED, () => console.warn(`${SKIPPED} (set MONGODB_URI for npm test to run it against a server)`));

async function kickOff(app: Express, url: string) {
  return request(app).get(url).set('Prefer', 'respond-async').set('Accept', 'application/fhir+json');
}

async function exported(app: Express, url: string): Promise<{ manifest: Manifest; byType: Map<string, Json[]>; location: string }> {
  const res = await kickOff(app, url);
  expect(res.status).toBe(202);
  const manifest = await finished(app, res.headers['content-location']);
  return { manifest, byType: await outputOf(app, manifest), location: res.headers['content-location'] };
}

describe.each(backends)('$export on %s', (_, uri) => {
  let s: Awaited<ReturnType<typeof server>>;
  beforeAll(async () => {
    s = await server(uri);
    await populate(s.store);
  }, 120_000);

  it('system level: every stored resource exactly once, with its meta; the manifest names the request and its snapshot', async () => {
    const before = new Date().toISOString();
    const { manifest, byType } = await exported(s.app, '/fhir/$export?_outputFormat=application/fhir%2Bndjson');
    expect(manifest.transactionTime >= before).toBe(true);
    expect(manifest.request).toMatch(/\/fhir\/\$export\?_outputFormat=application%2Ffhir%2Bndjson$/);
    expect(manifest.deleted).toBeUndefined();
    const counts = await s.store.countByType();
    expect(Object.fromEntries([...byType].map(([t, rs]) => [t, rs.length]))).toEqual(counts);
    const resources = all(byType);
    expect(new Set(resources.map(keyOf)).size).toBe(resources.length);
    for (const r of resources) expect(r.meta).toMatchObject({ versionId: expect.any(String), lastUpdated: expect.any(String) });
    const patient = byType.get('Patient')![0];
    expect(patient).toEqual(await s.store.read('Patient', String(patient.id)));
  });

  it('_type limits the types; _typeFilter and _elements select and cut', async () => {
    const { byType } = await exported(s.app, '/fhir/$export?_type=Patient,Encounter');
    expect([...byType.keys()].sort()).toEqual(['Encounter', 'Patient']);
    const females = await s.store.search({ resourceType: 'Patient', criteria: [], sort: [], count: 100, offset: 0, summaryCount: false });
    const wanted = females.resources.filter((p) => (p as { gender?: string }).gender === 'female').map((p) => p.id).sort();
    const filtered = await exported(s.app, '/fhir/$export?_type=Patient&_typeFilter=Patient%3Fgender%3Dfemale&_elements=birthDate');
    expect((filtered.byType.get('Patient') ?? []).map((p) => p.id).sort()).toEqual(wanted);
    for (const p of filtered.byType.get('Patient') ?? []) {
      expect(p.name).toBeUndefined();
      expect(p.birthDate).toBeDefined();
      expect(JSON.stringify((p.meta as Json).tag)).toContain('SUBSETTED');
    }
  });

  it('Group level: the members\' compartments and what they reference, no other patient, re-importable into an empty store', async () => {
    const patients = (await s.store.search({ resourceType: 'Patient', criteria: [], sort: [], count: 100, offset: 0, summaryCount: false })).resources.map((p) => p.id);
    const members = patients.slice(0, 2);
    await s.store.update({ resourceType: 'Group', id: 'slice', type: 'person', actual: true, member: members.map((id) => ({ entity: { reference: `Patient/${id}` } })) } as Resource & { id: string });
    const { byType } = await exported(s.app, '/fhir/Group/slice/$export');
    const resources = all(byType);
    expect((byType.get('Patient') ?? []).map((p) => p.id).sort()).toEqual([...members].sort());
    for (const r of resources) expect(compartmentPatients(r as unknown as Resource).every((p) => members.includes(p))).toBe(true);
    expect(byType.get('Practitioner')?.length).toBeGreaterThan(0);
    expect(dangling(resources)).toEqual([]);
    const target = await server(uri);
    const ndjson = resources.map((r) => JSON.stringify(r)).join('\n');
    // Without lineage, so the target holds exactly what was exported (no Provenance of its own import).
    const summary = await runImport(createImportContext({ store: target.store, mode: 'strict', logger, lineage: false }), unitsOfNdjson(Readable.from([ndjson])));
    expect(summary.failed).toBe(0);
    expect(Object.values(await target.store.countByType()).reduce((a, b) => a + b, 0)).toBe(resources.length);
  }, 60_000);

  it('Patient level: every patient\'s compartment, closed over references', async () => {
    const { byType } = await exported(s.app, '/fhir/Patient/$export');
    const resources = all(byType);
    expect(byType.get('Patient')?.length).toBe((await s.store.countByType()).Patient);
    expect(dangling(resources)).toEqual([]);
  });

  it('files are served gzipped when asked; DELETE removes a finished export and its files', async () => {
    const { manifest, location } = await exported(s.app, '/fhir/$export?_type=Patient');
    const file = new URL(manifest.output[0].url).pathname;
    const zipped = await request(s.app).get(file).set('Accept-Encoding', 'gzip');
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['content-type']).toBe('application/fhir+ndjson');
    const status = new URL(location).pathname;
    expect((await request(s.app).delete(status)).status).toBe(202);
    expect((await request(s.app).get(status)).status).toBe(404);
    expect((await request(s.app).get(file)).status).toBe(404);
    expect(fs.existsSync(path.join(s.dir, 'jobs', status.split('/').pop()!))).toBe(false);
  });

  // Last of the tests that read the population: its delete leaves references to the deleted Encounter dangling.
  it('_since the last transactionTime: exactly the changes since, deletions listed as DELETE entries', async () => {
    const first = await exported(s.app, '/fhir/$export');
    const patients = first.byType.get('Patient')!;
    const changed = patients.slice(0, 3).map((p) => ({ ...(p as unknown as Resource & { id: string }), active: false }));
    for (const p of changed) await s.store.update(p);
    const gone = first.byType.get('Encounter')![0];
    await s.store.delete('Encounter', String(gone.id));
    const since = await exported(s.app, `/fhir/$export?_since=${encodeURIComponent(first.manifest.transactionTime)}`);
    expect(all(since.byType).map(keyOf).sort()).toEqual(changed.map((p) => `Patient/${p.id}`).sort());
    expect(since.manifest.deleted).toHaveLength(1);
    const deletions = await request(s.app).get(new URL(since.manifest.deleted![0].url).pathname);
    const bundle = JSON.parse(String(deletions.text).trim()) as { type: string; entry: { request: { method: string; url: string } }[] };
    expect(bundle.type).toBe('transaction');
    expect(bundle.entry.map((e) => e.request)).toEqual([{ method: 'DELETE', url: `Encounter/${gone.id}` }]);
  }, 120_000);

  it('bad kick-offs are refused at once with an OperationOutcome that names the parameter', async () => {
    const exportJobs = async () => ((await request(s.app).get('/fhir/_jobs?_count=1000')).body.jobs as { kind: string }[]).filter((j) => j.kind === 'export').length;
    const before = await exportJobs();
    const refused = async (url: string, status = 400, prefer = true) => {
      const res = prefer ? await kickOff(s.app, url) : await request(s.app).get(url);
      expect({ url, status: res.status }).toEqual({ url, status });
      expect(res.body.resourceType).toBe('OperationOutcome');
      return res.body.issue[0] as { diagnostics: string; expression?: string[] };
    };
    expect((await refused('/fhir/$export?_type=Patient,Nonsense')).expression).toEqual(['_type']);
    expect((await refused('/fhir/$export?_since=yesterday')).expression).toEqual(['_since']);
    expect((await refused('/fhir/$export?_since=2024-01-01')).expression).toEqual(['_since']);
    expect((await refused('/fhir/$export?_typeFilter=Patient%3Fshoe-size%3D9')).expression).toEqual(['_typeFilter']);
    expect((await refused('/fhir/$export?_typeFilter=Patient%3F_sort%3Dname')).expression).toEqual(['_typeFilter']);
    expect((await refused('/fhir/$export?_type=Patient&_typeFilter=Observation%3Fcode%3D1')).expression).toEqual(['_typeFilter']);
    expect((await refused('/fhir/$export?_outputFormat=text/csv')).expression).toEqual(['_outputFormat']);
    expect((await refused('/fhir/$export?includeAssociatedData=x')).expression).toEqual(['includeAssociatedData']);
    expect((await refused('/fhir/Group/nobody/$export', 404)).diagnostics).toMatch(/Group\/nobody/);
    expect((await refused('/fhir/Observation/$export')).diagnostics).toMatch(/Patient, or on a Group/);
    expect((await refused('/fhir/$export', 400, false)).expression).toEqual(['Prefer']);
    expect(await exportJobs()).toBe(before);
  });
});
