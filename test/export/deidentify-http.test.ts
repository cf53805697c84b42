/**
 * `_deidentify` on `$export` and `$subset` over HTTP: refused at kick-off without a key or with an unknown
 * profile; a de-identified export or subset has nothing identifying of the store in it (this test's own scan and
 * the `--check` scan agree), no dangling reference, intervals kept under `shifted` and years alone under
 * `safe-harbor`, deletions under pseudonyms, and imports strictly into an empty store.
 */
import { Readable } from 'node:stream';
import request from 'supertest';
import type { Express } from 'express';
import { checkOutput } from '../../src/deidentify/check-output.js';
import { createDeidentifier } from '../../src/deidentify/deidentifier.js';
import { createImportContext } from '../../src/import/import-context.js';
import { unitsOfNdjson } from '../../src/import/ndjson-units.js';
import { runImport } from '../../src/import/run-import.js';
import { datesFinerThanYears, intervalsCompared, leaks, sourceStrings, storedAndDangling, stringValues } from '../deidentify/leak-scan.js';
import { all, closeServers, dangling, finished, logger, outputOf, populate, server, type Json, type Manifest } from './export-fixture.js';

afterAll(closeServers, 60_000);

const KEY = 'http-test-key';

const parameters = (values: Record<string, string | number>) => ({
  resourceType: 'Parameters',
  parameter: Object.entries(values).map(([name, v]) => (typeof v === 'number' ? { name, valueInteger: v } : { name, valueString: v })),
});

async function kickOff(app: Express, url: string, body?: Record<string, string | number>) {
  const req = body === undefined ? request(app).get(url) : request(app).post(url).send(parameters(body));
  return req.set('Prefer', 'respond-async').set('Accept', 'application/fhir+json');
}

async function exported(app: Express, url: string, body?: Record<string, string | number>): Promise<{ manifest: Manifest; resources: Json[] }> {
  const res = await kickOff(app, url, body);
  expect(res.status).toBe(202);
  const manifest = await finished(app, res.headers['content-location']);
  return { manifest, resources: all(await outputOf(app, manifest)) };
}

/** Imports NDJSON lines strictly into an empty store: the failures. */
async function importedFailures(resources: Json[]): Promise<number> {
  const target = await server();
  const summary = await runImport(createImportContext({ store: target.store, mode: 'strict', logger }), unitsOfNdjson(Readable.from([resources.map((r) => JSON.stringify(r)).join('\n')])));
  return summary.failed;
}

describe('de-identified $export and $subset', () => {
  let s: Awaited<ReturnType<typeof server>>;
  let sources: Json[];
  beforeAll(async () => {
    s = await server(undefined, { deidKey: KEY });
    await populate(s.store);
    sources = (await storedAndDangling(s.store)).resources;
  }, 120_000);

  it('are refused at kick-off, naming the parameter, without a key or with an unknown profile', async () => {
    const keyless = await server();
    const refused = async (app: Express, url: string, expression: string, body?: Record<string, string | number>) => {
      const res = await kickOff(app, url, body);
      expect({ url, status: res.status, expression: res.body.issue?.[0]?.expression }).toEqual({ url, status: 400, expression: [expression] });
      return String(res.body.issue[0].diagnostics);
    };
    expect(await refused(keyless.app, '/fhir/$export?_deidentify=safe-harbor', '_deidentify')).toMatch(/MEDGEN_DEID_KEY/);
    expect(await refused(keyless.app, '/fhir/Patient/$export?_deidentify=shifted', '_deidentify')).toMatch(/MEDGEN_DEID_KEY/);
    expect(await refused(s.app, '/fhir/$export?_deidentify=hipaa', '_deidentify')).toMatch(/one of safe-harbor, shifted/);
    expect(await refused(s.app, '/fhir/$export?_deidentify=shifted&_deidentify=safe-harbor', '_deidentify')).toMatch(/more than once/);
    expect(await refused(keyless.app, '/fhir/$subset', 'deidentify', { count: 2, deidentify: 'shifted' })).toMatch(/MEDGEN_DEID_KEY/);
    expect(await refused(s.app, '/fhir/$subset', '_deidentify', { count: 2, _deidentify: 'nope' })).toMatch(/one of safe-harbor, shifted/);
  });

  it('a shifted system export: every resource once, nothing identifying by either scan, intervals kept, no dangling reference, a strict import', async () => {
    const { resources } = await exported(s.app, '/fhir/$export?_deidentify=shifted');
    const counts: Record<string, number> = {};
    for (const r of resources) counts[String(r.resourceType)] = (counts[String(r.resourceType)] ?? 0) + 1;
    expect(counts).toEqual(await s.store.countByType());
    const text = resources.map((r) => JSON.stringify(r)).join('\n');
    expect(leaks(sourceStrings(sources), stringValues(text))).toEqual([]);
    expect(checkOutput(sources, [{ file: 'export', text }], { birthDates: false }).count).toBe(0);
    const compared = intervalsCompared(sources, resources, createDeidentifier({ profile: 'shifted', key: KEY }));
    expect(compared.changed).toEqual([]);
    expect(compared.kept + compared.aggregated).toBe(4);
    expect(dangling(resources)).toEqual([]);
    expect(await importedFailures(resources)).toBe(0);
  }, 60_000);

  it('a safe-harbor subset: years alone, closed over references, a strict import; the same key, the same pseudonyms', async () => {
    const { resources } = await exported(s.app, '/fhir/$subset', { count: 2, seed: 3, deidentify: 'safe-harbor' });
    expect(resources.filter((r) => r.resourceType === 'Patient')).toHaveLength(2);
    const values = stringValues(resources.map((r) => JSON.stringify(r)).join('\n'));
    expect(leaks(sourceStrings(sources), values)).toEqual([]);
    expect(datesFinerThanYears(values)).toEqual([]);
    expect(dangling(resources)).toEqual([]);
    expect(await importedFailures(resources)).toBe(0);
    const again = await exported(s.app, '/fhir/$subset', { count: 2, seed: 3, _deidentify: 'safe-harbor' });
    expect(again.resources.map((r) => r.id).sort()).toEqual(resources.map((r) => r.id).sort());
  }, 60_000);

  it('with _since, the deletions name the pseudonyms the ids had', async () => {
    const since = new Date().toISOString();
    const observation = (await s.store.search({ resourceType: 'Observation', criteria: [], sort: [], count: 1, offset: 0, summaryCount: false })).resources[0];
    await request(s.app).delete(`/fhir/Observation/${observation.id}`).expect(200);
    const { manifest } = await exported(s.app, `/fhir/$export?_since=${encodeURIComponent(since)}&_deidentify=safe-harbor`);
    const file = await request(s.app).get(new URL(manifest.deleted![0].url).pathname).buffer(true).parse((r, done) => {
      let body = '';
      r.on('data', (c: Buffer) => (body += c.toString('utf8')));
      r.on('end', () => done(null, body));
    });
    const bundle = JSON.parse(String(file.body).trim()) as { entry: { request: { url: string } }[] };
    expect(bundle.entry.map((e) => e.request.url)).toEqual([`Observation/${createDeidentifier({ profile: 'safe-harbor', key: KEY }).pseudonymId('Observation', observation.id)}`]);
  });
});
