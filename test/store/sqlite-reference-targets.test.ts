/**
 * The SQLite reference index keys a row by its target's rid when the target was stored before the row was
 * written, and by the target's id otherwise (src/store/sqlite/reference-target-sql.ts): searches, includes and
 * referencesTo find both kinds, through index seeks, and a file from before (schema 7) reads the same.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Observation, Resource } from 'fhir/r4.js';
import { parseSearchQuery } from '../../src/search/parse-query.js';
import { SCHEMA_VERSION } from '../../src/store/sqlite/schema.js';
import { buildSearchSql } from '../../src/store/sqlite/search-sql.js';
import { createSqliteStore, type SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { observation, patient } from '../fixtures/store-resources.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-sqlite-targets-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const searchIds = async (store: SqliteStore, type: string, query: string) =>
  (await store.search(parseSearchQuery(type, new URLSearchParams(query), { strict: true }).query)).resources.map((r) => r.id).sort();

const rowsOf = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare("SELECT r.id, x.target_id, x.target_rid IS NOT NULL AS byRid FROM idx_ref x JOIN resources r ON r.rid = x.rid JOIN params p ON p.pid = x.pid WHERE p.code = 'subject' ORDER BY r.id").all();
  } finally {
    db.close();
  }
};

describe('reference rows by rid and by id', () => {
  let file: string;
  let store: SqliteStore;
  beforeAll(async () => {
    file = path.join(dir, 'targets.sqlite');
    store = createSqliteStore({ path: file });
    // obs-early points at pat-2 before pat-2 exists; obs-1 and obs-same-write find their targets stored.
    await store.create(observation('obs-early', 'pat-2'));
    await store.create(patient('pat-1'));
    await store.create(observation('obs-1'));
    await store.write([
      { op: 'create', resource: observation('obs-same-write', 'pat-3') },
      { op: 'create', resource: patient('pat-3') },
    ]);
    await store.create(patient('pat-2'));
  });
  afterAll(() => store.close());

  it('keys a row by rid when its target was stored by the time the row was written, else by id', () => {
    expect(rowsOf(file)).toEqual([
      { id: 'obs-1', target_id: 'pat-1', byRid: 1 },
      { id: 'obs-early', target_id: 'pat-2', byRid: 0 },
      // In the same write, the target stored after the referring resource: rows are written at the end of the call.
      { id: 'obs-same-write', target_id: 'pat-3', byRid: 1 },
    ]);
  });

  it('finds both kinds by a typed reference, an id alone, a type modifier and several values', async () => {
    expect(await searchIds(store, 'Observation', 'subject=Patient/pat-1')).toEqual(['obs-1']);
    expect(await searchIds(store, 'Observation', 'subject=Patient/pat-2')).toEqual(['obs-early']);
    expect(await searchIds(store, 'Observation', 'subject=pat-2')).toEqual(['obs-early']);
    expect(await searchIds(store, 'Observation', 'subject=pat-1')).toEqual(['obs-1']);
    expect(await searchIds(store, 'Observation', 'subject:Patient=pat-3')).toEqual(['obs-same-write']);
    expect(await searchIds(store, 'Observation', 'patient=pat-2')).toEqual(['obs-early']);
    expect(await searchIds(store, 'Observation', 'subject=Patient/pat-1,Patient/pat-2,Patient/none')).toEqual(['obs-1', 'obs-early']);
    expect(await searchIds(store, 'Observation', 'subject=Group/pat-1')).toEqual([]);
    expect(await searchIds(store, 'Observation', 'subject=nobody')).toEqual([]);
  });

  it('finds both kinds for referencesTo (what _revinclude=*, $everything and patient merges read)', async () => {
    expect((await store.referencesTo('Patient', 'pat-2')).map((r) => r.id)).toEqual(['obs-early']);
    expect((await store.referencesTo('Patient', 'pat-1')).map((r) => r.id)).toEqual(['obs-1']);
    expect((await store.referencesTo('Patient', 'pat-3')).map((r) => r.id)).toEqual(['obs-same-write']);
  });

  it('a row keyed by rid stops matching when its resource points elsewhere', async () => {
    const moved = { ...(await store.read('Observation', 'obs-1')), subject: { reference: 'Patient/pat-2' } } as Observation & { id: string };
    await store.update(moved);
    expect(await searchIds(store, 'Observation', 'subject=Patient/pat-1')).toEqual([]);
    expect(await searchIds(store, 'Observation', 'subject=Patient/pat-2')).toEqual(['obs-1', 'obs-early']);
    await store.update({ ...moved, subject: { reference: 'Patient/pat-1' } } as Observation & { id: string });
  });

  it('seeks the rid and id indexes for every target, never scanning the reference index', () => {
    const db = new Database(file, { readonly: true });
    try {
      for (const [type, query] of [['Observation', 'subject=Patient/pat-1'], ['Observation', 'subject=pat-1,Patient/pat-2'], ['Observation', 'patient=pat-1']]) {
        const { count } = buildSearchSql(parseSearchQuery(type, new URLSearchParams(query), { strict: true }).query);
        const plan = db.prepare(`EXPLAIN QUERY PLAN ${count.sql}`).all(...count.params).map((r) => (r as { detail: string }).detail);
        expect(plan.filter((d) => d.includes(' x '))).toEqual(expect.arrayContaining([expect.stringMatching(/^SEARCH x USING (COVERING )?INDEX idx_ref_target_rid \(pid=\? AND target_rid=\?\)/)]));
        expect(plan.filter((d) => /^SEARCH x USING (COVERING )?INDEX idx_ref_target_id \(pid=\? AND target_id=\?/.test(d)).length).toBeGreaterThan(0);
        expect(plan.filter((d) => /^SCAN x\b/.test(d))).toEqual([]);
      }
    } finally {
      db.close();
    }
  });
});

it('a schema 7 file gains target_rid: its rows stay found by id, rows written after it by rid', async () => {
  const file = path.join(dir, 'v7.sqlite');
  let store = createSqliteStore({ path: file });
  await store.create(patient('pat-1'));
  await store.create(observation('obs-old'));
  await store.close();
  // As release 7 left it: no target_rid column, one index by target id over every row.
  let db = new Database(file);
  db.exec(`CREATE TABLE idx_ref_v7 (rid INTEGER NOT NULL, seq INTEGER NOT NULL, pid INTEGER NOT NULL, target_type TEXT, target_id TEXT, url TEXT,
      PRIMARY KEY (rid, seq)) WITHOUT ROWID;
    INSERT INTO idx_ref_v7 SELECT rid, seq, pid, target_type, target_id, url FROM idx_ref;
    DROP TABLE idx_ref; ALTER TABLE idx_ref_v7 RENAME TO idx_ref;
    CREATE INDEX idx_ref_target ON idx_ref (pid, target_id, target_type);
    CREATE INDEX idx_ref_url ON idx_ref (pid, url) WHERE url IS NOT NULL;`);
  db.pragma('user_version = 7');
  db.close();
  store = createSqliteStore({ path: file });
  await store.create(observation('obs-new'));
  expect(await searchIds(store, 'Observation', 'subject=Patient/pat-1')).toEqual(['obs-new', 'obs-old']);
  expect((await store.referencesTo('Patient', 'pat-1')).map((r) => r.id)).toEqual(['obs-new', 'obs-old']);
  await store.close();
  db = new Database(file, { readonly: true });
  expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
  expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'idx_ref' ORDER BY name").pluck().all()).toEqual(['idx_ref_target_id', 'idx_ref_target_rid', 'idx_ref_url']);
  expect(rowsOf(file)).toEqual([
    { id: 'obs-new', target_id: 'pat-1', byRid: 1 },
    { id: 'obs-old', target_id: 'pat-1', byRid: 0 },
  ]);
  db.close();
});

it('an id-only search finds a Group target by id before it is stored and by rid after', async () => {
  const store = createSqliteStore({ path: ':memory:' });
  const group = { resourceType: 'Group', id: 'g-1', type: 'person', actual: true } as Resource;
  await store.create({ ...observation('obs-g'), subject: { reference: 'Group/g-1' } } as Observation);
  expect(await searchIds(store, 'Observation', 'subject=g-1')).toEqual(['obs-g']);
  await store.create(group);
  expect(await searchIds(store, 'Observation', 'subject=g-1')).toEqual(['obs-g']);
  await store.create({ ...observation('obs-g2'), subject: { reference: 'Group/g-1' } } as Observation);
  expect(await searchIds(store, 'Observation', 'subject=g-1')).toEqual(['obs-g', 'obs-g2']);
  await store.close();
});

it('a rolled-back write gives its rids to no reference: the next resource stored under one is not found for the old target', async () => {
  const store = createSqliteStore({ path: ':memory:' });
  await store.create(patient('pat-1'));
  // Stores Patient/ghost and points at it, then fails on the duplicate create: all of it rolls back.
  await expect(
    store.write(
      [
        { op: 'create', resource: patient('ghost') },
        { op: 'create', resource: observation('obs-ghost', 'ghost') },
        { op: 'create', resource: patient('pat-1') },
      ],
      { atomic: true },
    ),
  ).rejects.toMatchObject({ status: 409 });
  // Patient/other takes the rid Patient/ghost had; the observation below names the ghost, which is not stored.
  await store.write([
    { op: 'create', resource: patient('other') },
    { op: 'create', resource: observation('obs-late', 'ghost') },
  ]);
  expect(await searchIds(store, 'Observation', 'subject=Patient/other')).toEqual([]);
  expect(await searchIds(store, 'Observation', 'subject=Patient/ghost')).toEqual(['obs-late']);
  await store.close();
});
