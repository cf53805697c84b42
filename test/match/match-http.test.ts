/**
 * `POST Patient/$match` over HTTP on every store: a searchset of the likeliest records best first, each with
 * search.score and match-grade; onlyCertainMatches, count, a bare Patient body, the query's own record left
 * out; 400 OperationOutcomes naming the parameter for a body that is not a Patient, unknown parameters and
 * bad values; the OperationDefinition and the CapabilityStatement entry.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { Bundle, OperationOutcome, Patient } from 'fhir/r4.js';
import type { Express } from 'express';
import { loadConfig } from '../../src/config.js';
import { FileArea } from '../../src/files/file-area.js';
import { LocalFileStore } from '../../src/files/local-file-store.js';
import { createJobManager } from '../../src/jobs/create-job-manager.js';
import { createLogger } from '../../src/logger.js';
import { MATCH_GRADE_URL } from '../../src/match/match-grade.js';
import { createApp } from '../../src/server.js';
import { duplicateOf, person } from './corrupted-patients.js';
import { load, matchBackends, population } from './match-stores.js';

const FHIR_JSON = 'application/fhir+json';
const params = (...parameter: object[]) => ({ resourceType: 'Parameters', parameter });
const withoutId = (p: Patient): Patient => ({ ...p, id: undefined });

describe.each(matchBackends('Patient/$match'))('Patient/$match on %s', (_, open) => {
  let app: Express;
  const closers: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    const { store, close } = await open();
    await load(store, population());
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-match-http-'));
    const config = loadConfig({}, { dataDir });
    const logger = createLogger('silent');
    const jobs = createJobManager({ fileStore: new LocalFileStore(dataDir), store, config, logger });
    app = createApp({ store, files: new FileArea(dataDir), config, logger, jobs });
    closers.push(async () => {
      await jobs.close();
      await close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });
  }, 60_000);
  afterAll(async () => {
    for (const c of closers) await c();
  });

  const match = (body: unknown, query = '') => request(app).post(`/fhir/Patient/$match${query}`).set('Content-Type', FHIR_JSON).send(body as object);
  const entriesOf = (body: Bundle) => (body.entry ?? []).filter((e) => e.search?.mode === 'match');
  const gradeOf = (e: NonNullable<Bundle['entry']>[number]) => e.search?.extension?.find((x) => x.url === MATCH_GRADE_URL)?.valueCode;

  it('answers a searchset of the person\'s records best first, each certain, scored and graded; the twin is not certain', async () => {
    const query = withoutId(duplicateOf(person('p1'), 'q', ['typo:family', 'new-phone']));
    const res = await match(params({ name: 'resource', resource: query }));
    expect(res.status).toBe(200);
    const bundle = res.body as Bundle;
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: entriesOf(bundle).length });
    const entries = entriesOf(bundle);
    expect(entries.slice(0, 3).map((e) => e.resource!.id).sort()).toEqual(['d1', 'd2', 'p1']);
    for (const e of entries.slice(0, 3)) expect(gradeOf(e)).toBe('certain');
    const scores = entries.map((e) => e.search!.score!);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    for (const e of entries) {
      expect(e.search!.score).toBeGreaterThanOrEqual(0);
      expect(e.search!.score).toBeLessThanOrEqual(1);
      expect(['certain', 'probable', 'possible']).toContain(gradeOf(e));
      expect(e.fullUrl).toMatch(new RegExp(`/fhir/Patient/${e.resource!.id}$`));
    }
    const twin = entries.find((e) => e.resource!.id === 't1');
    if (twin) expect(gradeOf(twin)).not.toBe('certain');
  });

  it('ranks the one record of a stranger first, and onlyCertainMatches answers just it', async () => {
    const s = (await request(app).get('/fhir/Patient/s42').set('Accept', FHIR_JSON)).body as Patient;
    const query = withoutId({ ...s, name: [{ family: s.name![0].family!.replace(/.$/, 'x'), given: s.name![0].given }] });
    const all = await match(params({ name: 'resource', resource: query }));
    expect(entriesOf(all.body)[0].resource!.id).toBe('s42');
    const only = await match(params({ name: 'resource', resource: query }, { name: 'onlyCertainMatches', valueBoolean: true }));
    expect(only.status).toBe(200);
    expect(entriesOf(only.body).map((e) => [e.resource!.id, gradeOf(e)])).toEqual([['s42', 'certain']]);
  });

  it('onlyCertainMatches answers none when several records are certain, saying why', async () => {
    const res = await match(params({ name: 'resource', resource: withoutId(person('x')) }, { name: 'onlyCertainMatches', valueBoolean: true }));
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(0);
    const note = (res.body as Bundle).entry!.find((e) => e.search?.mode === 'outcome')!.resource as OperationOutcome;
    expect(note.issue[0].diagnostics).toMatch(/3 stored patients are certain matches/);
  });

  it('count limits the answer; a bare Patient body and URL parameters work too; the query\'s own record is not its match', async () => {
    const one = await match(params({ name: 'resource', resource: withoutId(person('x')) }, { name: 'count', valueInteger: 1 }));
    expect(entriesOf(one.body)).toHaveLength(1);
    const bare = await match(withoutId(person('x')), '?count=2&onlyCertainMatches=false');
    expect(bare.status).toBe(200);
    expect(entriesOf(bare.body)).toHaveLength(2);
    const self = await match(params({ name: 'resource', resource: person('p1') }));
    expect(entriesOf(self.body).map((e) => e.resource!.id)).not.toContain('p1');
    expect(entriesOf(self.body).map((e) => e.resource!.id)).toEqual(expect.arrayContaining(['d1', 'd2']));
  });

  it.each([
    ['a body that is not Parameters or a Patient', { resourceType: 'Observation', status: 'final', code: {} }, '', 'resource'],
    ['a resource parameter that is not a Patient', params({ name: 'resource', resource: { resourceType: 'Observation' } }), '', 'resource'],
    ['no resource parameter', params({ name: 'count', valueInteger: 2 }), '', 'resource'],
    ['an unknown parameter', params({ name: 'resource', resource: person('x') }, { name: 'threshold', valueDecimal: 0.5 }), '', 'threshold'],
    ['an unknown URL parameter', params({ name: 'resource', resource: person('x') }), '?_count=3', '_count'],
    ['a count of 0', params({ name: 'resource', resource: person('x') }, { name: 'count', valueInteger: 0 }), '', 'count'],
    ['a count that is no number', params({ name: 'resource', resource: person('x') }), '?count=many', 'count'],
    ['onlyCertainMatches that is no boolean', params({ name: 'resource', resource: person('x') }, { name: 'onlyCertainMatches', valueString: 'maybe' }), '', 'onlyCertainMatches'],
  ])('400 for %s, naming it', async (_label, body, query, expression) => {
    const res = await match(body, query);
    expect(res.status).toBe(400);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(res.body.issue[0].expression).toEqual([expression]);
  });

  it('400 for GET and for a Patient instance; the OperationDefinition and the CapabilityStatement name the operation', async () => {
    expect((await request(app).get('/fhir/Patient/$match')).status).toBe(400);
    const instance = await request(app).post('/fhir/Patient/p1/$match').set('Content-Type', FHIR_JSON).send(params({ name: 'resource', resource: person('x') }));
    expect(instance.status).toBe(400);
    expect(instance.body.resourceType).toBe('OperationOutcome');
    const definition = await request(app).get('/fhir/OperationDefinition/match');
    expect(definition.body).toMatchObject({ resourceType: 'OperationDefinition', code: 'match', resource: ['Patient'], type: true, instance: false });
    const metadata = await request(app).get('/fhir/metadata');
    const ops = (metadata.body.rest[0].operation ?? []) as { name: string }[];
    expect(ops.map((o) => o.name)).toContain('match');
  });
});
