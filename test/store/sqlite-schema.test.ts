/** The connection settings and upgrades of new and existing SQLite files (schema.ts), and the commit-order numbers of versions (version-seq.ts). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Observation } from 'fhir/r4.js';
import { parseSearchQuery } from '../../src/search/parse-query.js';
import type { HistoryStreamOptions } from '../../src/store/resource-store.js';
import { openDatabase, SCHEMA_VERSION } from '../../src/store/sqlite/schema.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { collect } from './contract-helpers.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-schema-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('a new file gets 16 KB pages, WAL and the writer\'s 256 MB fallback checkpoint threshold', () => {
  const db = openDatabase(path.join(dir, 'new.sqlite'));
  expect(db.pragma('page_size', { simple: true })).toBe(16384);
  expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
  expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(16384);
  expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
  db.close();
});

test('a file created with 4 KB pages keeps them, checkpoints at the same byte size, and gains the schema', () => {
  const file = path.join(dir, 'old.sqlite');
  const old = new Database(file);
  old.pragma('page_size = 4096');
  old.pragma('journal_mode = WAL');
  old.exec('CREATE TABLE kept (x INTEGER)');
  old.exec('INSERT INTO kept VALUES (7)');
  old.close();
  const db = openDatabase(file);
  expect(db.pragma('page_size', { simple: true })).toBe(4096);
  expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(65536);
  expect(db.prepare('SELECT x FROM kept').pluck().get()).toBe(7);
  expect(db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name = 'versions'").pluck().get()).toBe(1);
  db.close();
});

test('a version 2 file gains versions.seq: what it held precedes every mark, what is written after follows', async () => {
  const file = path.join(dir, 'v2.sqlite');
  const old = new Database(file);
  old.exec(`CREATE TABLE resources (rid INTEGER PRIMARY KEY, type TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL,
    last_updated INTEGER NOT NULL, deleted INTEGER NOT NULL, UNIQUE (type, id));
  CREATE TABLE versions (rid INTEGER NOT NULL, version INTEGER NOT NULL, last_updated INTEGER NOT NULL, deleted INTEGER NOT NULL, json TEXT,
    PRIMARY KEY (rid, version));`);
  const json = JSON.stringify({ resourceType: 'Patient', id: 'old', meta: { versionId: '1', lastUpdated: '2024-01-01T00:00:00.000Z' } });
  old.prepare('INSERT INTO resources VALUES (1, ?, ?, 1, ?, 0)').run('Patient', 'old', Date.parse('2024-01-01'));
  old.prepare('INSERT INTO versions VALUES (1, 1, ?, 0, ?)').run(Date.parse('2024-01-01'), json);
  old.pragma('user_version = 2');
  old.close();
  const store = createSqliteStore({ path: file });
  const ids = async (options: HistoryStreamOptions) => (await collect(store.streamHistory('Patient', options))).map((v) => `${v.id}/${v.versionId}`);
  const first = await store.markHistory();
  await store.create({ resourceType: 'Patient', id: 'new' });
  expect(await ids({ through: first })).toEqual(['old/1']);
  expect(await ids({ after: first })).toEqual(['new/1']);
  await store.close();
  const db = new Database(file);
  expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
  expect(db.prepare('SELECT version, seq FROM versions ORDER BY rid').all()).toEqual([{ version: 1, seq: 0 }, { version: 1, seq: 1 }]);
  db.close();
});

test('versions.seq numbers every stored version once, in commit order; a write that rolls back numbers nothing', async () => {
  const file = path.join(dir, 'seq.sqlite');
  const store = createSqliteStore({ path: file });
  await store.write([{ op: 'create', resource: { resourceType: 'Patient', id: 'a' } }, { op: 'create', resource: { resourceType: 'Patient', id: 'b' } }]);
  await expect(store.write([{ op: 'put', resource: { resourceType: 'Patient', id: 'c' } }, { op: 'create', resource: { resourceType: 'Patient', id: 'a' } }], { atomic: true })).rejects.toMatchObject({ status: 409 });
  await store.delete('Patient', 'a');
  await store.write([{ op: 'put', resource: { resourceType: 'Patient', id: 'd' } }], { atomic: true, system: { key: 'k', doc: 1 } });
  const json = JSON.stringify({ resourceType: 'Patient', id: 'r', meta: { versionId: '1', lastUpdated: '2020-01-01T00:00:00.000Z' } });
  await store.restoreVersions([{ resourceType: 'Patient', id: 'r', versionId: '1', lastUpdated: '2020-01-01T00:00:00.000Z', deleted: false, json }]);
  await store.close();
  const db = new Database(file);
  const rows = db.prepare('SELECT r.id, v.version, v.seq FROM versions v JOIN resources r ON r.rid = v.rid ORDER BY v.seq').all();
  expect(rows).toEqual([
    { id: 'a', version: 1, seq: 1 },
    { id: 'b', version: 1, seq: 2 },
    { id: 'a', version: 2, seq: 3 },
    { id: 'd', version: 1, seq: 4 },
    { id: 'r', version: 1, seq: 5 },
  ]);
  expect(db.prepare('SELECT value FROM version_seq').pluck().get()).toBe(5);
  db.close();
});

describe('_source rows: a base stored once in sources, the fragment in idx_source', () => {
  const source = (n: number) => `urn:medgen:job:j1/f.json#entry-${n}`;
  const sourceRows = (db: Database.Database) =>
    db.prepare('SELECT r.type, s.value AS base, x.fragment FROM idx_source x JOIN sources s ON s.sid = x.sid JOIN resources r ON r.rid = x.rid ORDER BY r.type').all();
  const uriSourceRows = (db: Database.Database) => db.prepare("SELECT count(*) FROM idx_uri x JOIN params p ON p.pid = x.pid WHERE p.code = '_source'").pluck().get();

  async function storeWithSources(file: string): Promise<void> {
    const store = createSqliteStore({ path: file });
    await store.create({ resourceType: 'Patient', id: 'p', meta: { source: source(0) } });
    await store.create({ resourceType: 'Observation', id: 'o', status: 'final', code: { text: 'x' }, meta: { source: source(1) } } as Observation);
    await store.close();
  }

  /** Turns the file's _source rows into idx_uri rows as an older release kept them: under one pid per type (version 6) or one for all (7 and 8). */
  function asRelease(file: string, version: 6 | 8): void {
    const db = new Database(file);
    db.exec(`INSERT INTO params (type, code) SELECT DISTINCT ${version === 6 ? 'r.type' : "'*'"}, '_source' FROM idx_source x JOIN resources r ON r.rid = x.rid;
      INSERT INTO idx_uri (rid, seq, pid, value)
        SELECT x.rid, x.seq, p.pid, s.value || COALESCE('#' || x.fragment, '') FROM idx_source x JOIN sources s ON s.sid = x.sid JOIN resources r ON r.rid = x.rid
        JOIN params p ON p.code = '_source' AND p.type = ${version === 6 ? 'r.type' : "'*'"};
      DELETE FROM idx_source; DELETE FROM sources; DROP INDEX idx_source_value; DROP TABLE idx_source; DROP TABLE sources;`);
    db.pragma(`user_version = ${version}`);
    db.close();
  }

  test('a new file writes them so', async () => {
    const file = path.join(dir, 'sources.sqlite');
    await storeWithSources(file);
    const db = new Database(file, { readonly: true });
    expect(sourceRows(db)).toEqual([
      { type: 'Observation', base: 'urn:medgen:job:j1/f.json', fragment: 'entry-1' },
      { type: 'Patient', base: 'urn:medgen:job:j1/f.json', fragment: 'entry-0' },
    ]);
    expect(db.prepare('SELECT count(*) FROM sources').pluck().get()).toBe(1);
    expect(uriSourceRows(db)).toBe(0);
    db.close();
  });

  test.each([6, 8] as const)('a version %i file, which kept them in idx_uri, has them moved at its first open', async (version) => {
    const file = path.join(dir, `v${version}.sqlite`);
    await storeWithSources(file);
    asRelease(file, version);
    let db = new Database(file, { readonly: true });
    expect(uriSourceRows(db)).toBe(2);
    expect(db.prepare("SELECT count(*) FROM params WHERE code = '_source'").pluck().get()).toBe(version === 6 ? 2 : 1);
    db.close();
    const store = createSqliteStore({ path: file });
    const found = async (type: string, value: string, modifier = '') =>
      (await store.search(parseSearchQuery(type, new URLSearchParams({ [`_source${modifier}`]: value }), { strict: true }).query)).resources.map((r) => r.id);
    expect(await found('Patient', source(0))).toEqual(['p']);
    expect(await found('Observation', source(1))).toEqual(['o']);
    // A type's search finds its own resources only, though all types' rows share the base.
    expect(await found('Patient', source(1))).toEqual([]);
    expect(await found('Observation', 'urn:medgen:job:j1', ':below')).toEqual(['o']);
    await store.close();
    db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(sourceRows(db)).toHaveLength(2);
    expect(uriSourceRows(db)).toBe(0);
    expect(db.prepare("SELECT count(*) FROM params WHERE code = '_source'").pluck().get()).toBe(0);
    db.close();
  });
});
