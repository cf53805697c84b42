/** The connection settings of new and existing SQLite files (schema.ts). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase, SCHEMA_VERSION } from '../../src/store/sqlite/schema.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-schema-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('a new file gets 16 KB pages, WAL and a 64 MB checkpoint threshold', () => {
  const db = openDatabase(path.join(dir, 'new.sqlite'));
  expect(db.pragma('page_size', { simple: true })).toBe(16384);
  expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
  expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(4096);
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
  expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(16384);
  expect(db.prepare('SELECT x FROM kept').pluck().get()).toBe(7);
  expect(db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name = 'versions'").pluck().get()).toBe(1);
  db.close();
});
