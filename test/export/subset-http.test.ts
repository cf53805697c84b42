/** `POST /fhir/$subset`: N patients drawn by seed, optionally by a search, exported as a slice that imports on its own. */
import { Readable } from 'node:stream';
import request from 'supertest';
import type { Resource } from 'fhir/r4.js';
import { compartmentPatients } from '../../src/export/patient-compartment.js';
import { choosePatients } from '../../src/export/subset.js';
import { createImportContext } from '../../src/import/import-context.js';
import { unitsOfNdjson } from '../../src/import/ndjson-units.js';
import { runImport } from '../../src/import/run-import.js';
import { all, closeServers, dangling, finished, logger, outputOf, populate, server } from './export-fixture.js';

afterAll(closeServers);

const parameters = (values: Record<string, string | number>) => ({
  resourceType: 'Parameters',
  parameter: Object.entries(values).map(([name, v]) => (typeof v === 'number' ? { name, valueInteger: v } : { name, valueString: v })),
});

describe('$subset', () => {
  let s: Awaited<ReturnType<typeof server>>;
  beforeAll(async () => {
    s = await server();
    await populate(s.store);
  }, 120_000);

  async function subset(values: Record<string, string | number>) {
    const res = await request(s.app).post('/fhir/$subset').send(parameters(values));
    expect(res.status).toBe(202);
    return outputOf(s.app, await finished(s.app, res.headers['content-location']));
  }

  it('the same seed draws the same patients; the slice has no dangling reference and imports strictly into an empty store', async () => {
    const first = await subset({ count: 2, seed: 5 });
    const again = await subset({ count: 2, seed: 5 });
    const ids = (byType: Map<string, Record<string, unknown>[]>) => (byType.get('Patient') ?? []).map((p) => p.id).sort();
    expect(ids(first)).toHaveLength(2);
    expect(ids(again)).toEqual(ids(first));
    const draws = new Set<string>();
    for (let seed = 0; seed < 8; seed++) draws.add(JSON.stringify(await choosePatients(s.store, { count: 2, seed })));
    expect(draws.size).toBeGreaterThan(1);
    const resources = all(first);
    for (const r of resources) expect(compartmentPatients(r as unknown as Resource).every((p) => ids(first).includes(p))).toBe(true);
    expect(dangling(resources)).toEqual([]);
    const target = await server();
    const summary = await runImport(createImportContext({ store: target.store, mode: 'strict', logger }), unitsOfNdjson(Readable.from([resources.map((r) => JSON.stringify(r)).join('\n')])));
    expect(summary.failed).toBe(0);
  }, 60_000);

  it('where: only patients with a matching resource; more than there are gives all of them', async () => {
    const condition = (await s.store.search({ resourceType: 'Condition', criteria: [], sort: [], count: 1, offset: 0, summaryCount: false })).resources[0] as Resource & { code: { coding: { code: string }[] } };
    const code = condition.code.coding[0].code;
    const withIt = await choosePatients(s.store, { count: 100, seed: 1, where: `Condition?code=${code}` });
    expect(withIt).toContain(compartmentPatients(condition)[0]);
    const byType = await subset({ count: 100, seed: 1, where: `Condition?code=${code}` });
    expect((byType.get('Patient') ?? []).map((p) => p.id).sort()).toEqual(withIt);
    for (const id of withIt) {
      const theirs = (byType.get('Condition') ?? []).filter((c) => compartmentPatients(c as unknown as Resource).includes(id));
      expect(theirs.some((c) => JSON.stringify(c.code).includes(`"${code}"`))).toBe(true);
    }
  });

  it('bad parameters are refused at once, naming the parameter', async () => {
    const refused = async (values: Record<string, string | number>, status = 400) => {
      const res = await request(s.app).post('/fhir/$subset').send(parameters(values));
      expect({ values, status: res.status }).toEqual({ values, status });
      return res.body.issue[0] as { diagnostics: string; expression?: string[] };
    };
    expect((await refused({})).expression).toEqual(['count']);
    expect((await refused({ count: 0 })).expression).toEqual(['count']);
    expect((await refused({ count: 2, seed: 'x' })).expression).toEqual(['seed']);
    expect((await refused({ count: 2, where: 'Practitioner?name=x' })).expression).toEqual(['where']);
    expect((await refused({ count: 2, where: 'Condition?shoe-size=9' })).expression).toEqual(['where']);
    expect((await refused({ count: 2, where: 'Condition?code=no-such-code' }, 422)).expression).toEqual(['where']);
    expect((await request(s.app).get('/fhir/$subset?count=2')).status).toBe(400);
  });
});
