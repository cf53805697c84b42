/**
 * The outbox of the embedded store (ResourceStore.changes): the `versions` rows themselves, by `seq`. A version
 * row is written in the transaction that writes the resource, and seq follows commit order exactly
 * (version-seq.ts), so reading `seq > since` in order never skips a change that commits later: every later
 * commit has a higher number. Rows from before `seq` existed have 0 and are not changes anyone can ask for.
 * The page and the counter are read in one read transaction, so `through` is the counter as of the page.
 * @see https://www.sqlite.org/isolation.html
 */
import type Database from 'better-sqlite3';
import { assertChangeArgs } from '../change-args.js';
import type { ChangeEvent, ChangePage, ChangeQuery } from '../resource-store.js';

interface ChangeRow {
  seq: number;
  type: string;
  id: string;
  version: number;
  last_updated: number;
  deleted: number;
  json: string | null;
}

const SELECT = `SELECT v.seq, r.type, r.id, v.version, v.last_updated, v.deleted, v.json
  FROM versions v INDEXED BY versions_seq JOIN resources r ON r.rid = v.rid WHERE v.seq > 0 AND v.seq > ?`;

const toEvent = (row: ChangeRow): ChangeEvent => ({
  seq: row.seq,
  resourceType: row.type,
  id: row.id,
  versionId: String(row.version),
  lastUpdated: new Date(row.last_updated).toISOString(),
  deleted: row.deleted === 1,
  json: row.json,
});

export function createChangeFeed(db: Database.Database) {
  const counter = db.prepare<[], number>('SELECT value FROM version_seq').pluck();
  const byTypes = new Map<number, Database.Statement>();
  const statement = (types: number) => {
    let s = byTypes.get(types);
    if (s === undefined) {
      const filter = types === 0 ? '' : ` AND r.type IN (${Array(types).fill('?').join(', ')})`;
      s = db.prepare(`${SELECT}${filter} ORDER BY v.seq LIMIT ?`);
      byTypes.set(types, s);
    }
    return s;
  };
  const page = db.transaction((since: number, query: ChangeQuery): ChangePage => {
    const types = query.types ?? [];
    const rows = statement(types.length).all(since, ...types, query.limit) as ChangeRow[];
    const last = counter.get() ?? 0;
    const through = rows.length === query.limit ? rows[rows.length - 1].seq : Math.max(since, last);
    return { changes: rows.map(toEvent), through };
  });
  return {
    changes(since: number, query: ChangeQuery): ChangePage {
      assertChangeArgs(since, query);
      return page.deferred(since, query);
    },
    lastChange(): number {
      return counter.get() ?? 0;
    },
  };
}
