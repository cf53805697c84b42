/**
 * The SQLite store queues index rows during a write() call and inserts them before the commit
 * (src/store/sqlite/index-row-buffer.ts). These cases stress what the queue could get wrong: a resource
 * written twice or deleted within one call, rollbacks with rows queued, multi-row statements split
 * across chunk sizes, and an indexer whose output is checked row by row.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Identifier, Patient } from 'fhir/r4.js';
import type { WriteOp } from '../../src/store/resource-store.js';
import { createSqliteStore, type SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { MRN, observation, patient } from '../fixtures/store-resources.js';
import { criterion, expectOutcome, idSet, query } from './contract-helpers.js';

const put = (resource: Patient): WriteOp => ({ op: 'put', resource: resource as Patient & { id: string } });
const mrn = (id: string, value: string): Patient => patient(id, { identifier: [{ system: MRN, value }] });

describe('SQLite store: index rows queued per write() call', () => {
  let dir: string;
  let store: SqliteStore;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-sqlite-buffer-'));
    store = createSqliteStore({ path: path.join(dir, 'buffer.sqlite') });
  });
  afterAll(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => store.clear());

  it('a resource written twice in one call keeps only the rows of its last version', async () => {
    const results = await store.write([put(mrn('pat-1', 'first')), put(mrn('pat-2', 'other')), put(mrn('pat-1', 'second'))]);
    expect(results.map((r) => r.status)).toEqual(['created', 'created', 'updated']);
    expect(await store.findByIdentifier('Patient', MRN, 'first')).toEqual([]);
    expect(await store.findByIdentifier('Patient', MRN, 'second')).toEqual(['pat-1']);
    expect(await store.findByIdentifier('Patient', MRN, 'other')).toEqual(['pat-2']);
  });

  it('a resource created and deleted in one call leaves no index rows', async () => {
    await store.write([put(mrn('pat-1', 'gone')), { op: 'create', resource: observation('obs-1') }, { op: 'delete', resourceType: 'Patient', id: 'pat-1' }]);
    expect(await store.findByIdentifier('Patient', MRN, 'gone')).toEqual([]);
    expect(await idSet(store, query('Observation', [criterion('subject', 'reference', { kind: 'reference', type: 'Patient', id: 'pat-1' })]))).toEqual(['obs-1']);
    expect(await store.referencesFrom('Patient', 'pat-1')).toEqual([]);
  });

  it('an atomic call that fails after rows were queued writes none of them, and the next call is clean', async () => {
    await store.create(patient('pat-9'));
    await expectOutcome(store.write([put(mrn('pat-1', 'queued')), { op: 'create', resource: patient('pat-9') }], { atomic: true }), 409);
    expect(await store.findByIdentifier('Patient', MRN, 'queued')).toEqual([]);
    await store.write([put(mrn('pat-2', 'after'))]);
    expect(await store.findByIdentifier('Patient', MRN, 'after')).toEqual(['pat-2']);
    expect(await store.findByIdentifier('Patient', MRN, 'queued')).toEqual([]);
  });

  it('a non-atomic call keeps the rows of the ops that succeeded', async () => {
    await store.create(patient('pat-9'));
    const results = await store.write([put(mrn('pat-1', 'kept')), { op: 'create', resource: patient('pat-9') }, put(mrn('pat-2', 'kept'))]);
    expect(results.map((r) => r.status)).toEqual(['created', 'failed', 'created']);
    expect(await store.findByIdentifier('Patient', MRN, 'kept')).toEqual(['pat-1', 'pat-2']);
  });

  it('row counts that span several multi-row statements are all inserted', async () => {
    // 1,000 identifiers: statements of 512 + 256 + 128 + 64 + 32 + 8 rows.
    const identifier: Identifier[] = Array.from({ length: 1000 }, (_, i) => ({ system: MRN, value: `v-${i}` }));
    const many = Array.from({ length: 40 }, (_, i) => put(mrn(`small-${i}`, `s-${i}`)));
    await store.write([put(patient('big', { identifier })), ...many]);
    for (const i of [0, 511, 512, 767, 999]) expect(await store.findByIdentifier('Patient', MRN, `v-${i}`)).toEqual(['big']);
    expect(await store.findByIdentifier('Patient', MRN, 's-39')).toEqual(['small-39']);
    await store.update({ ...patient('big'), identifier: identifier.slice(0, 1) } as Patient & { id: string });
    expect(await store.findByIdentifier('Patient', MRN, 'v-999')).toEqual([]);
    expect(await store.findByIdentifier('Patient', MRN, 'v-0')).toEqual(['big']);
  });

  it('a write() larger than the queue limit flushes on the way and indexes every resource', async () => {
    const ops = Array.from({ length: 9000 }, (_, i) => put(mrn(`p-${i}`, `m-${i}`)));
    await store.write(ops, { atomic: true });
    for (const i of [0, 4321, 8999]) expect(await store.findByIdentifier('Patient', MRN, `m-${i}`)).toEqual([`p-${i}`]);
    expect(await store.countByType()).toEqual({ Patient: 9000 });
  });
});
