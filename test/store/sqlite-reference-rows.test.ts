/**
 * The SQLite reference index stores in `refs` only the references no search parameter row already names
 * (src/store/sqlite/index-row-buffer.ts, reference-reads.ts); files written before that hold every reference
 * there, and must read the same.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Resource } from 'fhir/r4.js';
import { createSqliteStore, type SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { encounter, observation, patient } from '../fixtures/store-resources.js';

const immunization = { resourceType: 'Immunization', id: 'imm-1', patient: { reference: 'Patient/pat-1' }, encounter: { reference: 'Encounter/enc-1' } } as Resource;

describe('SQLite reference rows', () => {
  let dir: string;
  let file: string;
  let store: SqliteStore;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-sqlite-refs-'));
    file = path.join(dir, 'refs.sqlite');
    store = createSqliteStore({ path: file });
    await store.write([patient('pat-1'), encounter('enc-1'), observation('obs-1'), immunization].map((resource) => ({ op: 'create' as const, resource })));
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const refsRows = () => {
    const db = new Database(file, { readonly: true });
    try {
      return db.prepare('SELECT target_type, target_id FROM refs ORDER BY target_type').all();
    } finally {
      db.close();
    }
  };

  it('keeps only the references no search parameter indexes', async () => {
    // Observation.subject/encounter and Immunization.patient have parameters; Immunization.encounter has none.
    expect(refsRows()).toEqual([{ target_type: 'Encounter', target_id: 'enc-1' }]);
    expect((await store.referencesTo('Encounter', 'enc-1')).map((r) => `${r.resourceType}/${r.id}`)).toEqual(['Immunization/imm-1', 'Observation/obs-1']);
  });

  it('reads a file that lists every reference in refs without listing any twice', async () => {
    const db = new Database(file);
    db.prepare(
      `INSERT INTO refs (rid, seq, path, target_type, target_id, url)
       SELECT rid, 10, 'Observation.subject', 'Patient', 'pat-1', NULL FROM resources WHERE type = 'Observation' AND id = 'obs-1'`,
    ).run();
    db.close();
    expect(await store.referencesTo('Patient', 'pat-1')).toEqual([
      { resourceType: 'Encounter', id: 'enc-1', path: expect.stringMatching(/^Encounter\.subject/) },
      { resourceType: 'Immunization', id: 'imm-1', path: expect.stringMatching(/^Immunization\.patient/) },
      { resourceType: 'Observation', id: 'obs-1', path: expect.stringMatching(/^Observation\.subject/) },
    ]);
  });
});
