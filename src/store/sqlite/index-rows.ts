/**
 * Writes and removes the index rows of resources: search index tables and the reference index.
 * Rows are buffered per write() call and inserted just before it commits (IndexRowBuffer), inside the same
 * transaction, so the indexes never disagree with the current versions.
 * @see https://hl7.org/fhir/R4/search.html
 */
import type Database from 'better-sqlite3';
import type { IndexEntries } from '../../search/types.js';
import { INDEX_TABLES } from './schema.js';
import type { Statements } from './statements.js';

/** Gives the integer id of a (type, code) search parameter, creating it on first use. */
export type ParamIds = (type: string, code: string) => number;

/**
 * A cached ParamIds. The cache must be forgotten (`reset`) when a transaction that may have created
 * params rolls back, or it would hand out ids whose rows no longer exist.
 */
export function createParamIds(s: Statements): { pid: ParamIds; reset: () => void } {
  // A map per resource type: no key string is built for each of the ~15 index rows of a resource.
  const cache = new Map<string, Map<string, number>>();
  const pid: ParamIds = (resourceType, code) => {
    let codes = cache.get(resourceType);
    if (codes === undefined) cache.set(resourceType, (codes = new Map()));
    let id = codes.get(code);
    if (id === undefined) {
      s.insertParam.run(resourceType, code);
      id = s.pid.get(resourceType, code)!;
      codes.set(code, id);
    }
    return id;
  };
  return { pid, reset: () => cache.clear() };
}

/** The columns written per table, in statement order. */
const COLUMNS = {
  idx_token: 'rid, seq, pid, system, value',
  idx_string: 'rid, seq, pid, value',
  idx_date: 'rid, seq, pid, lo, hi',
  idx_ref: 'rid, seq, pid, target_type, target_id, url, target_rid',
  idx_number: 'rid, seq, pid, value, system, unit',
  idx_uri: 'rid, seq, pid, value',
  idx_source: 'rid, seq, sid, fragment',
  refs: 'rid, seq, path, target_type, target_id, url',
} as const;

type Table = keyof typeof COLUMNS;
type Value = string | number | null;

const WIDTH = Object.fromEntries(Object.entries(COLUMNS).map(([t, c]) => [t, c.split(',').length])) as Record<Table, number>;

/**
 * The largest multi-row INSERT, in rows: a call costs far more than a bound value, so one statement
 * carries many rows (6 columns x 512 rows stays well under SQLite's 32766 bound-parameter limit).
 */
const MAX_ROWS = 512;

/**
 * Multi-row INSERTs per table, prepared on first use. Row counts are split into powers of two, so at most
 * ten statements per table are ever prepared whatever the batch sizes.
 * `OR FAIL` spares SQLite the statement journal it keeps for a multi-row INSERT under the default ABORT
 * (a copy of every page the statement touches, so that one failing row can undo the earlier ones): a failure
 * here is a storage error that rolls the whole write() back anyway. Measured about 10% faster.
 */
export function createRowWriter(db: Database.Database): (table: Table, values: Value[]) => void {
  const cache = new Map<string, Database.Statement>();
  const statement = (table: Table, rows: number): Database.Statement => {
    const key = `${table} ${rows}`;
    let stmt = cache.get(key);
    if (!stmt) {
      const tuple = `(${new Array(WIDTH[table]).fill('?').join(', ')})`;
      stmt = db.prepare(`INSERT OR FAIL INTO ${table} (${COLUMNS[table]}) VALUES ${new Array(rows).fill(tuple).join(', ')}`);
      cache.set(key, stmt);
    }
    return stmt;
  };
  return (table, values) => {
    const width = WIDTH[table];
    let start = 0;
    let left = values.length / width;
    while (left > 0) {
      let rows = MAX_ROWS;
      while (rows > left) rows >>= 1;
      const end = start + rows * width;
      statement(table, rows).run(start === 0 && end === values.length ? values : values.slice(start, end));
      start = end;
      left -= rows;
    }
  };
}

export type RowWriter = ReturnType<typeof createRowWriter>;

/** Removes every index row of a resource (before an update rewrites them, or on delete). */
export function deleteIndexRows(s: Statements, rid: number): void {
  for (const table of INDEX_TABLES) s.deleteRows[table].run(rid);
}
