/** The SQLite search translation as a pure function: bound parameters only, and the R4 prefix table. */
import type { Criterion, SearchQuery } from '../../src/search/types.js';
import { dateCondition, numberCondition, type RangeCondition } from '../../src/store/range-conditions.js';
import { escapeLike, prefixEnd } from '../../src/store/sqlite/search-predicates.js';
import { buildSearchSql } from '../../src/store/sqlite/search-sql.js';

const q = (criteria: Criterion[], extra: Partial<SearchQuery> = {}): SearchQuery =>
  ({ resourceType: 'Patient', criteria, sort: [], count: 10, offset: 0, summaryCount: false, ...extra });

/** Evaluates a RangeCondition against an interval, the way SQL would. */
function holds(cond: RangeCondition, row: { lo?: number; hi?: number; value?: number }): boolean {
  if ('all' in cond) return cond.all.every((c) => holds(c, row));
  if ('any' in cond) return cond.any.some((c) => holds(c, row));
  const v = row[cond.field]!;
  return { '<': v < cond.value, '<=': v <= cond.value, '>': v > cond.value, '>=': v >= cond.value, '=': v === cond.value }[cond.op];
}

describe('buildSearchSql', () => {
  const hostile = "x' OR '1'='1";

  it('binds every value, code and type; none appears in the SQL text', () => {
    const { page, count } = buildSearchSql(
      q(
        [
          { param: `family${hostile}`, type: 'string', predicates: [{ kind: 'string', value: hostile, match: 'contains' }] },
          { param: 'identifier', type: 'token', predicates: [{ kind: 'token', system: hostile, value: hostile }] },
          { param: '_id', type: '_id', predicates: [{ kind: 'token', value: hostile }] },
        ],
        { resourceType: `Patient${hostile}`, sort: [{ param: hostile, type: 'string', descending: true }] },
      ),
    );
    for (const stmt of [page, count]) {
      expect(stmt.sql).not.toContain(hostile);
      expect(stmt.sql).not.toContain("'1'");
      expect(stmt.sql.split('?').length - 1).toBe(stmt.params.length);
    }
    expect(page.params).toContain(`%${hostile}%`);
    expect(page.params).toContain(`Patient${hostile}`);
    expect(page.params).toContain(`family${hostile}`);
    expect(page.params.slice(-2)).toEqual([10, 0]);
  });

  it('ANDs criteria and ORs the predicates of one criterion', () => {
    const { count } = buildSearchSql(
      q([
        { param: 'gender', type: 'token', predicates: [{ kind: 'token', value: 'male' }, { kind: 'token', value: 'female' }] },
        { param: 'birthdate', type: 'date', predicates: [{ kind: 'missing', missing: false }] },
      ]),
    );
    expect(count.sql.match(/r\.rid IN \(/g)).toHaveLength(1);
    expect(count.sql.match(/ AND \(EXISTS \(SELECT 1 FROM idx_date x WHERE x\.rid = r\.rid/g)).toHaveLength(1);
    expect(count.sql).toMatch(/\(x\.value = \?\) OR \(x\.value = \?\)/);
    expect(count.sql).toMatch(/WHERE \+r\.type = \?/);
  });

  it('starts from the most selective criterion', () => {
    const { count } = buildSearchSql(
      q([
        { param: 'status', type: 'token', predicates: [{ kind: 'token', value: 'final' }] },
        { param: 'subject', type: 'reference', predicates: [{ kind: 'reference', type: 'Patient', id: '1' }] },
      ]),
    );
    expect(count.sql).toMatch(/r\.rid IN \(SELECT x\.rid FROM idx_ref x/);
    expect(count.sql).toMatch(/EXISTS \(SELECT 1 FROM idx_token x WHERE x\.rid = r\.rid/);
    const byId = buildSearchSql(q([{ param: '_id', type: '_id', predicates: [{ kind: 'token', value: 'a' }] }]));
    expect(byId.count.sql).toMatch(/WHERE r\.type = \?/);
  });

  it('turns :not and :missing=true into NOT EXISTS, which never drive', () => {
    const { count } = buildSearchSql(
      q([
        { param: 'gender', type: 'token', predicates: [{ kind: 'token', value: 'male', not: true }] },
        { param: 'birthdate', type: 'date', predicates: [{ kind: 'missing', missing: true }] },
      ]),
    );
    expect(count.sql.match(/NOT EXISTS \(/g)).toHaveLength(2);
    expect(count.sql).not.toMatch(/r\.rid IN/);
    expect(count.sql).toMatch(/WHERE r\.type = \?/);
  });

  it('rejects a predicate that does not fit the parameter type', () => {
    expect(() => buildSearchSql(q([{ param: 'gender', type: 'token', predicates: [{ kind: 'string', value: 'x', match: 'exact' }] }]))).toThrow(/does not fit/);
    expect(() => buildSearchSql(q([{ param: 'x', type: 'composite' as never, predicates: [{ kind: 'missing', missing: true }] }]))).toThrow(/not supported/);
  });

  it('uses no LIMIT bound for an unbounded count and a default order ending in id', () => {
    const { page } = buildSearchSql(q([], { count: Number.POSITIVE_INFINITY }));
    expect(page.params.slice(-2)).toEqual([-1, 0]);
    expect(page.sql).toMatch(/ORDER BY r\.last_updated ASC NULLS LAST, r\.id ASC LIMIT/);
  });
});

describe('LIKE and prefix helpers', () => {
  it('escapes LIKE wildcards and the escape character', () => {
    expect(escapeLike('50%_a\\b')).toBe('50\\%\\_a\\\\b');
  });

  it('prefixEnd is the least string above every string with the prefix', () => {
    expect(prefixEnd('smi')).toBe('smj');
    expect(prefixEnd('')).toBeNull();
    expect(prefixEnd('a\u{10FFFF}')).toBe('b');
    expect('smi\u{10FFFF}' < prefixEnd('smi')!).toBe(true);
  });
});

describe('range conditions (R4 prefix table)', () => {
  const day = { lo: 100, hi: 200 };
  const cases: [string, { lo: number; hi: number }, boolean][] = [
    ['eq', { lo: 120, hi: 150 }, true], ['eq', { lo: 90, hi: 150 }, false],
    ['ne', { lo: 90, hi: 150 }, true], ['ne', { lo: 100, hi: 200 }, false],
    ['gt', { lo: 150, hi: 250 }, true], ['gt', { lo: 150, hi: 200 }, false],
    ['lt', { lo: 50, hi: 150 }, true], ['lt', { lo: 100, hi: 150 }, false],
    ['ge', { lo: 100, hi: 150 }, true], ['ge', { lo: 50, hi: 150 }, false],
    ['le', { lo: 150, hi: 200 }, true], ['le', { lo: 150, hi: 250 }, false],
    ['sa', { lo: 200, hi: 300 }, true], ['sa', { lo: 199, hi: 300 }, false],
    ['eb', { lo: 0, hi: 100 }, true], ['eb', { lo: 0, hi: 101 }, false],
  ];
  it.each(cases)('date %s against %j', (prefix, row, expected) => {
    expect(holds(dateCondition(prefix as never, day.lo, day.hi), row)).toBe(expected);
  });

  it('date ap widens by a tenth of the distance to now', () => {
    const now = 10_000;
    expect(holds(dateCondition('ap', 0, 1000, now), { lo: 1900, hi: 2000 })).toBe(true);
    expect(holds(dateCondition('ap', 0, 1000, now), { lo: 3000, hi: 3100 })).toBe(false);
  });

  it('numbers: eq within the precision range, gt/lt/ge/le against the exact value, ap ±10%', () => {
    expect(holds(numberCondition('eq', 99.5, 100.5), { value: 100.4 })).toBe(true);
    expect(holds(numberCondition('eq', 99.5, 100.5), { value: 100.5 })).toBe(false);
    expect(holds(numberCondition('eq', 3, 3), { value: 3 })).toBe(true);
    expect(holds(numberCondition('ne', 3, 3), { value: 3 })).toBe(false);
    expect(holds(numberCondition('gt', 99.5, 100.5), { value: 100.2 })).toBe(true);
    expect(holds(numberCondition('lt', 99.5, 100.5), { value: 100 })).toBe(false);
    expect(holds(numberCondition('le', 99.5, 100.5), { value: 100 })).toBe(true);
    expect(holds(numberCondition('ge', 99.5, 100.5), { value: 99.9 })).toBe(false);
    expect(holds(numberCondition('ap', 99.5, 100.5), { value: 109 })).toBe(true);
    expect(holds(numberCondition('ap', 99.5, 100.5), { value: 111 })).toBe(false);
  });
});
