/**
 * Every fixed statement of the store, prepared once per connection (preparing is the costly part of a
 * better-sqlite3 call). Search statements are generated per query shape and cached by the store.
 */
import type Database from 'better-sqlite3';
import { targetConditions } from './reference-target-sql.js';

/** The current-version row of a resource. */
export interface CurrentRow {
  rid: number;
  version: number;
  deleted: number;
}

/** One version with its resource's type and id. */
export interface VersionRow {
  type: string;
  id: string;
  version: number;
  last_updated: number;
  deleted: number;
  json: string | null;
}

type Id = [string, string];
export const VERSION_COLUMNS = 'r.type, r.id, v.version, v.last_updated, v.deleted, v.json';

export function prepareStatements(db: Database.Database) {
  const deleteFrom = (table: string) => db.prepare<[number]>(`DELETE FROM ${table} WHERE rid = ?`);
  return {
    current: db.prepare<Id, CurrentRow>('SELECT rid, version, deleted FROM resources WHERE type = ? AND id = ?'),
    json: db.prepare<[number, number], string>('SELECT json FROM versions WHERE rid = ? AND version = ?').pluck(),
    insertResource: db.prepare<[string, string, number, number, number]>(
      'INSERT INTO resources (type, id, version, last_updated, deleted) VALUES (?, ?, ?, ?, ?)',
    ),
    updateResource: db.prepare<[number, number, number, number]>('UPDATE resources SET version = ?, last_updated = ?, deleted = ? WHERE rid = ?'),
    insertVersion: db.prepare<[number, number, number, number, string | null, number]>(
      'INSERT INTO versions (rid, version, last_updated, deleted, json, seq) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    /** The last `seq` given (version-seq.ts), with the counter's series: a history mark. */
    lastSeq: db.prepare<[], { series: string; value: number }>('SELECT series, value FROM version_seq'),
    versionExists: db.prepare<[number, number], number>('SELECT 1 FROM versions WHERE rid = ? AND version = ?').pluck(),
    version: db.prepare<[string, string, number], VersionRow>(
      `SELECT ${VERSION_COLUMNS} FROM resources r JOIN versions v ON v.rid = r.rid WHERE r.type = ? AND r.id = ? AND v.version = ?`,
    ),
    history: db.prepare<Id, VersionRow>(
      `SELECT ${VERSION_COLUMNS} FROM resources r JOIN versions v ON v.rid = r.rid WHERE r.type = ? AND r.id = ? ORDER BY v.version DESC`,
    ),
    pid: db.prepare<Id, number>('SELECT pid FROM params WHERE type = ? AND code = ?').pluck(),
    insertParam: db.prepare<Id>('INSERT OR IGNORE INTO params (type, code) VALUES (?, ?)'),
    /** The number of a `_source` value's part before its fragment (source-index.ts), given on first use. */
    insertSource: db.prepare<[string]>('INSERT OR IGNORE INTO sources (value) VALUES (?)'),
    sid: db.prepare<[string], number>('SELECT sid FROM sources WHERE value = ?').pluck(),
    deleteRows: {
      idx_token: deleteFrom('idx_token'),
      idx_string: deleteFrom('idx_string'),
      idx_date: deleteFrom('idx_date'),
      idx_ref: deleteFrom('idx_ref'),
      idx_number: deleteFrom('idx_number'),
      idx_uri: deleteFrom('idx_uri'),
      idx_source: deleteFrom('idx_source'),
      refs: deleteFrom('refs'),
    },
    identifier: db.prepare<[string, string, string, string | null, string | null], string>(
      `SELECT DISTINCT r.id FROM idx_token x JOIN resources r ON r.rid = x.rid
       WHERE x.pid = (SELECT pid FROM params WHERE type = ? AND code = 'identifier') AND r.type = ? AND x.value = ?
         AND (? IS NULL OR x.system = ?) ORDER BY r.id`,
    ).pluck(),
    /**
     * The live current resources with an index row naming the target: a search parameter's (idx_ref, by rid or
     * by id (reference-target-sql.ts), whose indexes lead with pid, so every pid is probed) or another
     * reference's (refs). Takes (type, id) three times.
     */
    referencingResources: db.prepare<[string, string, string, string, string, string], { rid: number; type: string; id: string; version: number }>(
      `SELECT r.rid, r.type, r.id, r.version FROM resources r WHERE r.rid IN (
         SELECT x.rid FROM idx_ref x WHERE x.pid IN (SELECT pid FROM params) AND ${targetConditions(true)[0]}
         UNION SELECT x.rid FROM idx_ref x WHERE x.pid IN (SELECT pid FROM params) AND ${targetConditions(true)[1]}
         UNION SELECT x.rid FROM refs x WHERE x.target_type = ? AND x.target_id = ?)
       AND r.deleted = 0 ORDER BY r.type, r.id`,
    ),
    countByType: db.prepare<[], { type: string; n: number }>('SELECT type, COUNT(*) AS n FROM resources WHERE deleted = 0 GROUP BY type ORDER BY type'),
    streamChunk: db.prepare<[string, string, number, number], { id: string; json: string }>(
      `SELECT r.id, v.json FROM resources r JOIN versions v ON v.rid = r.rid AND v.version = r.version
       WHERE r.type = ? AND r.id > ? AND r.deleted = 0 AND r.last_updated >= ? ORDER BY r.id LIMIT ?`,
    ),
    historyChunk: db.prepare<[string, string, number, number, number, number], VersionRow>(
      `SELECT ${VERSION_COLUMNS} FROM resources r JOIN versions v ON v.rid = r.rid
       WHERE r.type = ? AND (r.id, v.version) > (?, ?) AND v.seq > ? AND v.seq <= ? ORDER BY r.id, v.version LIMIT ?`,
    ),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
