/**
 * Writes and removes the index rows of one resource: search index tables and the reference index.
 * Called inside the write transaction, so the indexes never disagree with the current versions.
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
  const cache = new Map<string, number>();
  const pid: ParamIds = (type, code) => {
    const key = `${type} ${code}`;
    let id = cache.get(key);
    if (id === undefined) {
      s.insertParam.run(type, code);
      id = s.pid.get(type, code)!;
      cache.set(key, id);
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
  idx_ref: 'rid, seq, pid, target_type, target_id, url',
  idx_number: 'rid, seq, pid, value, system, unit',
  idx_uri: 'rid, seq, pid, value',
  refs: 'rid, seq, path, target_type, target_id, url',
} as const;

type Value = string | number | null;

const MAX_ROWS = 64;

/**
 * Multi-row INSERTs, one statement per table and row count, prepared on first use: a resource's rows of one
 * table go in one call, which measured about a third faster than a call per row.
 */
export function createRowWriter(db: Database.Database): (table: keyof typeof COLUMNS, values: Value[], rows: number) => void {
  const cache = new Map<string, Database.Statement>();
  return (table, values, rows) => {
    if (rows === 0) return;
    const key = `${table} ${rows}`;
    let stmt = cache.get(key);
    if (!stmt) {
      const width = COLUMNS[table].split(',').length;
      const tuple = `(${new Array(width).fill('?').join(', ')})`;
      stmt = db.prepare(`INSERT INTO ${table} (${COLUMNS[table]}) VALUES ${new Array(rows).fill(tuple).join(', ')}`);
      cache.set(key, stmt);
    }
    stmt.run(values);
  };
}

export type RowWriter = ReturnType<typeof createRowWriter>;

/** Inserts the rows of a resource; `seq` numbers them per table, so repeated values need no care. */
export function insertIndexRows(write: RowWriter, pid: ParamIds, type: string, rid: number, e: IndexEntries): void {
  const put = <T>(table: keyof typeof COLUMNS, list: T[], row: (t: T) => Value[]): void => {
    // Chunks keep statements under SQLite's bound-parameter limit and the statement cache small.
    for (let start = 0; start < list.length; start += MAX_ROWS) {
      const end = Math.min(list.length, start + MAX_ROWS);
      const values: Value[] = [];
      for (let i = start; i < end; i++) values.push(rid, i, ...row(list[i]));
      write(table, values, end - start);
    }
  };
  put('idx_token', e.tokens, (t) => [pid(type, t.code), t.system ?? null, t.value]);
  put('idx_string', e.strings, (t) => [pid(type, t.code), t.value]);
  put('idx_date', e.dates, (t) => [pid(type, t.code), t.lo, t.hi]);
  put('idx_ref', e.references, (t) => [pid(type, t.code), t.type ?? null, t.id ?? null, t.url ?? null]);
  put('idx_number', e.numbers, (t) => [pid(type, t.code), t.value, t.system ?? null, t.unit ?? null]);
  put('idx_uri', e.uris, (t) => [pid(type, t.code), t.value]);
  put('refs', e.links, (t) => [t.path, t.targetType ?? null, t.targetId ?? null, t.url ?? null]);
}

/** Removes every index row of a resource (before an update rewrites them, or on delete). */
export function deleteIndexRows(s: Statements, rid: number): void {
  for (const table of INDEX_TABLES) s.deleteRows[table].run(rid);
}
