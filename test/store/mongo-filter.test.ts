/**
 * The MongoDB search translation as pure data (SearchQuery → filter and page options), and run through mingo:
 * client text stays a value, operators and field paths are only the store's own.
 */
import { Query } from 'mingo';
import type { SearchQuery } from '../../src/search/types.js';
import { searchFilter } from '../../src/store/mongo/search-filter.js';
import { searchPage } from '../../src/store/mongo/search-page.js';
import { toResourceDoc } from '../../src/store/mongo/documents.js';
import type { IndexEntries } from '../../src/search/types.js';

const OPERATORS = new Set(['$and', '$or', '$nor', '$elemMatch', '$regex', '$in', '$ne', '$eq', '$lt', '$lte', '$gt', '$gte']);
const FIELDS = new Set(['type', 'deleted', 'id', 'lu', '_id', 'c', 's', 'v', 'lo', 'hi', 't', 'i', 'u',
  'idx.tok', 'idx.str', 'idx.dt', 'idx.ref', 'idx.num', 'idx.uri']);
const HOSTILE = ['{"$ne": null}', '$where', 'this.a == 1', '.*', 'a.b', '$gt', '^(a+)+$', '__proto__'];

const query = (criteria: SearchQuery['criteria'], extra: Partial<SearchQuery> = {}): SearchQuery =>
  ({ resourceType: 'Patient', criteria, sort: [], count: 20, offset: 0, summaryCount: false, ...extra });

/** Every key of the filter, at any depth, with the path leading to it. */
function keys(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => keys(v, out));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      keys(v, out);
    }
  }
  return out;
}

function entries(partial: Partial<IndexEntries>): IndexEntries {
  return { tokens: [], strings: [], dates: [], references: [], numbers: [], uris: [], links: [], ...partial };
}

function doc(id: string, partial: Partial<IndexEntries>, lastUpdated = '2024-01-01T00:00:00.000Z') {
  return toResourceDoc('Patient', id, 1, lastUpdated, { resourceType: 'Patient', id, meta: { versionId: '1', lastUpdated } }, entries(partial), 'w');
}

const docs = [
  doc('a', { tokens: [{ code: 'gender', system: null, value: 'female' }], strings: [{ code: 'name', value: 'smith' }] }),
  doc('b', { tokens: [{ code: 'gender', system: null, value: '$where' }], strings: [{ code: 'name', value: 'a.b' }] }),
  doc('c', { strings: [{ code: 'name', value: 'jones' }], uris: [{ code: 'url', value: 'http://x.org/fhir' }] }),
];
const run = (q: SearchQuery) => new Query(searchFilter(q)).find(docs).all().map((d) => (d as { id: string }).id).sort();

describe('mongo search filter: client values never become operators', () => {
  test.each(HOSTILE)('%s stays a value in every predicate kind', (value) => {
    const filter = searchFilter(query([
      { param: 'gender', type: 'token', predicates: [{ kind: 'token', value, system: value }, { kind: 'token', value, not: true }] },
      { param: 'name', type: 'string', predicates: (['exact', 'prefix', 'contains'] as const).map((match) => ({ kind: 'string', value, match }) as const) },
      { param: 'url', type: 'uri', predicates: (['exact', 'below', 'above'] as const).map((match) => ({ kind: 'uri', value, match }) as const) },
      { param: 'general-practitioner', type: 'reference', predicates: [{ kind: 'reference', type: value, id: value, url: value }] },
      { param: '_id', type: '_id', predicates: [{ kind: 'token', value }] },
    ]));
    for (const k of keys(filter)) expect(k.startsWith('$') ? OPERATORS.has(k) : FIELDS.has(k)).toBe(true);
    expect(keys(filter)).not.toContain(value);
  });

  test('a value that is not text or a number is refused, not spread into the filter', () => {
    const object = { $ne: null } as unknown as string;
    expect(() => searchFilter(query([{ param: 'gender', type: 'token', predicates: [{ kind: 'token', value: object }] }]))).toThrow(/must be text/);
    expect(() => searchFilter(query([{ param: '_id', type: '_id', predicates: [{ kind: 'token', value: object }] }]))).toThrow(/must be text/);
    const nan = { kind: 'date', prefix: 'eq', lo: Number.NaN, hi: 1 } as const;
    expect(() => searchFilter(query([{ param: 'birthdate', type: 'date', predicates: [nan] }]))).toThrow(/must be a number/);
  });

  test('a predicate kind that does not fit the parameter type is refused', () => {
    expect(() => searchFilter(query([{ param: 'gender', type: 'token', predicates: [{ kind: 'string', value: 'x', match: 'exact' }] }]))).toThrow(/does not fit/);
  });

  test('hostile text matches literally, or not at all', () => {
    expect(run(query([{ param: 'gender', type: 'token', predicates: [{ kind: 'token', value: '$where' }] }]))).toEqual(['b']);
    expect(run(query([{ param: 'gender', type: 'token', predicates: [{ kind: 'token', value: '{"$ne": null}' }] }]))).toEqual([]);
    expect(run(query([{ param: 'name', type: 'string', predicates: [{ kind: 'string', value: '.', match: 'contains' }] }]))).toEqual(['b']);
    expect(run(query([{ param: 'name', type: 'string', predicates: [{ kind: 'string', value: '.*', match: 'prefix' }] }]))).toEqual([]);
    expect(run(query([{ param: 'url', type: 'uri', predicates: [{ kind: 'uri', value: 'http://x.org/fhir/ValueSet/1', match: 'above' }] }]))).toEqual(['c']);
  });

  test('token :not and :missing select by absence', () => {
    expect(run(query([{ param: 'gender', type: 'token', predicates: [{ kind: 'token', value: 'female', not: true }] }]))).toEqual(['b', 'c']);
    expect(run(query([{ param: 'gender', type: 'token', predicates: [{ kind: 'missing', missing: true }] }]))).toEqual(['c']);
    expect(run(query([{ param: 'gender', type: 'token', predicates: [{ kind: 'missing', missing: false }] }]))).toEqual(['a', 'b']);
  });

  test('_lastUpdated compares the instant as [t, t + 1ms)', () => {
    const t = Date.parse('2024-01-01T00:00:00.000Z');
    const at = (prefix: 'eq' | 'gt' | 'ge' | 'lt' | 'le' | 'sa' | 'eb', lo: number, hi: number) =>
      run(query([{ param: '_lastUpdated', type: '_lastUpdated', predicates: [{ kind: 'date', prefix, lo, hi }] }])).length;
    expect([at('eq', t, t + 1), at('ge', t, t + 1), at('le', t, t + 1), at('gt', t, t + 1), at('lt', t, t + 1)]).toEqual([3, 3, 3, 0, 0]);
    expect([at('sa', t - 1, t), at('eb', t + 1, t + 2), at('sa', t, t + 1), at('eb', t, t + 1)]).toEqual([3, 3, 0, 0]);
  });
});

describe('mongo search page', () => {
  /** The ids of the docs in the page's order, as a server applies sort, skip and limit. */
  const ordered = (q: SearchQuery): string[] => {
    const page = searchPage(q);
    const cursor = new Query({}).find<Record<string, unknown>>(structuredClone(docs)).sort(page?.sort ?? {});
    return cursor.all().map((d) => JSON.parse(d.json as string).id);
  };

  test('a sort parameter must be a plain code: it becomes part of a field path', () => {
    for (const param of ['a.b', '$where', 'x y']) {
      expect(() => searchPage(query([], { sort: [{ param, type: 'string', descending: false }] }))).toThrow(/Cannot sort/);
    }
  });

  test('resources without a value sort last in both directions, by plain stored fields; the id breaks ties', () => {
    for (const descending of [false, true]) {
      expect(ordered(query([], { sort: [{ param: 'name', type: 'string', descending }] }))).toEqual(descending ? ['a', 'c', 'b'] : ['b', 'c', 'a']);
      const sort = searchPage(query([], { sort: [{ param: 'name', type: 'string', descending }] }))?.sort ?? {};
      expect(Object.keys(sort).every((field) => /^(id|lu|srt\.name\.(has|lo|hi))$/.test(field))).toBe(true);
    }
    expect(ordered(query([], { sort: [{ param: 'gender', type: 'token', descending: false }] }))).toEqual(['b', 'a', 'c']);
  });

  test('_count=0 needs no page query; offsets become skip', () => {
    expect(searchPage(query([], { count: 0 }))).toBeNull();
    expect(searchPage(query([], { offset: 40, count: 20 }))).toMatchObject({ skip: 40, limit: 20 });
  });
});
