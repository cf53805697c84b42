/**
 * SQL for single search predicates, evaluated against one index-table row aliased `x`.
 * Every value is pushed to `params` and bound; nothing from a query is ever spliced into the SQL text.
 * @see https://hl7.org/fhir/R4/search.html
 */
import type { Predicate } from '../../search/types.js';
import { dateCondition, numberCondition, type RangeCondition } from '../range-conditions.js';
import { targetBranches, type Branch } from './reference-target-sql.js';

export type SqlValue = string | number | null;

/** Renders a store-neutral range condition with the given column expressions. */
export function rangeSql(cond: RangeCondition, columns: Partial<Record<'lo' | 'hi' | 'value', string>>, params: SqlValue[]): string {
  if ('all' in cond) return `(${cond.all.map((c) => rangeSql(c, columns, params)).join(' AND ')})`;
  if ('any' in cond) return `(${cond.any.map((c) => rangeSql(c, columns, params)).join(' OR ')})`;
  const column = columns[cond.field];
  if (!column) throw new Error(`No column for ${cond.field}`);
  params.push(cond.value);
  return `${column} ${cond.op} ?`;
}

/** Escapes LIKE wildcards so `%` and `_` in a value match themselves (with `ESCAPE '\'`). */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The least string greater than every string that starts with `prefix` in SQLite's BINARY order (UTF-8 bytes,
 * which is code point order), or null when there is none. A range `>= prefix AND < end` uses the value index,
 * where LIKE 'prefix%' would not (LIKE is case-insensitive by default).
 */
export function prefixEnd(prefix: string): string | null {
  const cps = Array.from(prefix);
  while (cps.length) {
    const last = cps.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) {
      const next = last + 1 === 0xd800 ? 0xe000 : last + 1;
      return cps.join('') + String.fromCodePoint(next);
    }
  }
  return null;
}

export function startsWith(column: string, prefix: string, params: SqlValue[]): string {
  const end = prefixEnd(prefix);
  params.push(prefix);
  if (end === null) return `${column} >= ?`;
  params.push(end);
  return `(${column} >= ? AND ${column} < ?)`;
}

/** The conditions, any of which a reference predicate puts on an index row `x` (reference-target-sql.ts). */
export function referenceBranches(p: Extract<Predicate, { kind: 'reference' }>): Branch[] {
  if (p.id !== undefined) return targetBranches(p.type, p.id);
  if (p.url !== undefined) return [{ sql: 'x.url = ?', values: [p.url] }];
  if (p.type !== undefined) return [{ sql: 'x.target_type = ?', values: [p.type] }];
  return [{ sql: '1', values: [] }];
}

/** The condition one predicate puts on an index row `x` (missing and token :not are handled by the caller). */
export function predicateSql(p: Predicate, params: SqlValue[], now: number): string {
  const parts: string[] = [];
  const bound = (sql: string, value: SqlValue): void => {
    parts.push(sql);
    params.push(value);
  };
  switch (p.kind) {
    case 'token':
      if (p.system === null) parts.push('x.system IS NULL');
      else if (p.system !== undefined) bound('x.system = ?', p.system);
      if (p.value !== undefined) bound('x.value = ?', p.value);
      break;
    case 'string':
      if (p.match === 'exact') bound('x.value = ?', p.value);
      else if (p.match === 'prefix') parts.push(startsWith('x.value', p.value, params));
      else bound("x.value LIKE ? ESCAPE '\\'", `%${escapeLike(p.value)}%`);
      break;
    case 'date':
      parts.push(rangeSql(dateCondition(p.prefix, p.lo, p.hi, now), { lo: 'x.lo', hi: 'x.hi' }, params));
      break;
    case 'number':
      parts.push(rangeSql(numberCondition(p.prefix, p.lo, p.hi), { value: 'x.value' }, params));
      if (p.system === null) parts.push('x.system IS NULL');
      else if (p.system !== undefined) bound('x.system = ?', p.system);
      if (p.unit !== undefined) bound('x.unit = ?', p.unit);
      break;
    case 'reference':
      throw new Error('reference predicates are branches (referenceBranches)');
    case 'uri':
      if (p.match === 'exact') bound('x.value = ?', p.value);
      else if (p.match === 'below') parts.push(startsWith('x.value', p.value, params));
      else bound('(length(x.value) > 0 AND substr(?, 1, length(x.value)) = x.value)', p.value);
      break;
    case 'missing':
      throw new Error('missing is a criterion-level predicate');
  }
  return parts.length ? parts.join(' AND ') : '1';
}
