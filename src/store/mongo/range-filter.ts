/**
 * Renders the store-neutral range conditions (src/store/range-conditions.ts, shared with the SQLite store so
 * both answer prefixes alike) as MongoDB query conditions.
 * @see https://hl7.org/fhir/R4/search.html#prefix
 * @see https://www.mongodb.com/docs/manual/reference/operator/query-comparison/
 */
import type { Comparison, RangeCondition } from '../range-conditions.js';

const OPERATORS: Record<Comparison, string> = { '<': '$lt', '<=': '$lte', '>': '$gt', '>=': '$gte', '=': '$eq' };

/** Where each side of a condition lives: a field name, and a shift of the compared value. */
export type RangeFields = Partial<Record<'lo' | 'hi' | 'value', { field: string; shift?: number }>>;

/** Index entries inside `$elemMatch`: `{lo, hi}` for dates, `v` for numbers. */
export const ENTRY_FIELDS: RangeFields = { lo: { field: 'lo' }, hi: { field: 'hi' }, value: { field: 'v' } };

/**
 * An instant in whole ms stored in `field` is the interval [t, t + 1): its `hi op x` is `t op x - 1`,
 * exact for every comparison and every x (the ap margin makes x fractional).
 */
export const instantFields = (field: string): RangeFields => ({ lo: { field }, hi: { field, shift: -1 } });

/** The MongoDB condition for a range condition over the given fields. */
export function rangeFilter(cond: RangeCondition, fields: RangeFields): Record<string, unknown> {
  if ('all' in cond) return cond.all.length === 1 ? rangeFilter(cond.all[0], fields) : { $and: cond.all.map((c) => rangeFilter(c, fields)) };
  if ('any' in cond) return cond.any.length === 1 ? rangeFilter(cond.any[0], fields) : { $or: cond.any.map((c) => rangeFilter(c, fields)) };
  const target = fields[cond.field];
  if (!target) throw new Error(`no field for ${cond.field}`);
  return { [target.field]: { [OPERATORS[cond.op]]: cond.value + (target.shift ?? 0) } };
}
