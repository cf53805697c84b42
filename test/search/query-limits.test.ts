/**
 * The search limits of query-limits.ts, enforced by the parser: a 400 naming the parameter (as written, with
 * its modifier) and the limit, whatever the store and strict (`Prefer: handling=strict`) or not.
 */
import { OperationOutcomeError } from '../../src/fhir/outcomes.js';
import { parseSearchQuery } from '../../src/search/parse-query.js';
import { MAX_ABOVE_URI_LENGTH, MAX_SORT_KEYS, MAX_TEXT_VALUE_LENGTH } from '../../src/search/query-limits.js';

const parse = (type: string, params: Record<string, string>, strict = true) => parseSearchQuery(type, new URLSearchParams(params), { strict });

/** The diagnostics of the 400 the request gets, after checking it names `param`, strict or not. */
function refused(type: string, params: Record<string, string>, param: string): string {
  let diagnostics = '';
  for (const strict of [true, false]) {
    let error: unknown;
    try {
      parse(type, params, strict);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(OperationOutcomeError);
    const e = error as OperationOutcomeError;
    expect(e.status).toBe(400);
    expect(e.outcome.issue[0].expression).toEqual([param]);
    diagnostics = e.outcome.issue[0].diagnostics ?? '';
  }
  return diagnostics;
}

/** Distinct indexed parameters of Observation, so that each key is a sort of its own. */
const SORTABLE = [
  'code', '-date', 'status', 'category', 'subject', 'patient', 'encounter', 'performer', 'identifier', 'value-quantity',
  'based-on', 'device', 'focus', 'method', 'specimen', 'part-of', 'value-concept', 'value-date', 'value-string', 'data-absent-reason',
];
const sortKeys = (n: number) => Array.from({ length: n }, (_, i) => SORTABLE[i % SORTABLE.length]).join(',');

describe('_sort', () => {
  test(`takes ${MAX_SORT_KEYS} keys (two MongoDB sort fields each, plus the id: at most 32)`, () => {
    expect(MAX_SORT_KEYS * 2 + 1).toBeLessThanOrEqual(32);
    expect(parse('Observation', { _sort: sortKeys(MAX_SORT_KEYS) }).query.sort).toHaveLength(MAX_SORT_KEYS);
  });

  test.each([MAX_SORT_KEYS + 1, 17, 100])('%i keys are a 400 naming _sort and the limit', (n) => {
    expect(refused('Observation', { _sort: sortKeys(n) }, '_sort')).toMatch(new RegExp(`${n} keys.*at most ${MAX_SORT_KEYS}`));
  });
});

describe('string values', () => {
  test.each(['name', 'name:contains', 'name:exact'])(`%s takes ${MAX_TEXT_VALUE_LENGTH} characters`, (name) => {
    const value = 'a'.repeat(MAX_TEXT_VALUE_LENGTH);
    expect(parse('Patient', { [name]: value }).query.criteria[0].predicates[0]).toMatchObject({ kind: 'string', value });
  });

  test.each(['name', 'name:contains', 'name:exact'])('%s with 5000 characters is a 400 naming the parameter and the limit', (name) => {
    expect(refused('Patient', { [name]: 'a'.repeat(5000) }, name)).toMatch(new RegExp(`5000 characters.*at most ${MAX_TEXT_VALUE_LENGTH}`));
  });

  test('the length is that of the normalised value', () => {
    const spaced = `ann${' '.repeat(MAX_TEXT_VALUE_LENGTH)}lee`;
    expect(parse('Patient', { 'name:contains': spaced }).query.criteria[0].predicates).toEqual([{ kind: 'string', value: 'ann lee', match: 'contains' }]);
  });

  test.each(['name', 'name:contains', 'name:exact'])('%s with a NUL character (%%00) is a 400', (name) => {
    const params = new URLSearchParams(`${name}=ann%00lee`);
    expect(params.get(name)).toBe('ann\u0000lee');
    expect(refused('Patient', Object.fromEntries(params), name)).toMatch(/NUL/);
  });

  test('each value of a comma list is held to the limit', () => {
    refused('Patient', { 'name:contains': `ann,${'a'.repeat(5000)}` }, 'name:contains');
  });
});

describe('uri values', () => {
  test(`:above takes ${MAX_ABOVE_URI_LENGTH} characters, :below and exact ${MAX_TEXT_VALUE_LENGTH}`, () => {
    const url = (n: number) => `http://x.org/${'a'.repeat(n - 13)}`;
    expect(parse('ValueSet', { 'url:above': url(MAX_ABOVE_URI_LENGTH) }).query.criteria[0].predicates[0]).toMatchObject({ match: 'above' });
    expect(parse('ValueSet', { 'url:below': url(MAX_TEXT_VALUE_LENGTH) }).query.criteria[0].predicates[0]).toMatchObject({ match: 'below' });
    expect(parse('ValueSet', { url: url(MAX_TEXT_VALUE_LENGTH) }).query.criteria[0].predicates[0]).toMatchObject({ match: 'exact' });
    expect(refused('ValueSet', { 'url:above': url(MAX_ABOVE_URI_LENGTH + 1) }, 'url:above')).toMatch(`at most ${MAX_ABOVE_URI_LENGTH}`);
  });

  test.each(['url:above', 'url:below', 'url'])('%s with 5000 characters is a 400', (name) => {
    refused('ValueSet', { [name]: `http://x.org/${'a'.repeat(5000)}` }, name);
  });

  test.each(['url:above', 'url:below', 'url'])('%s with a NUL character is a 400', (name) => {
    refused('ValueSet', { [name]: 'http://x.org/\u0000' }, name);
  });
});

test('token and reference values are not limited: both stores match them by equality', () => {
  const long = 'a'.repeat(5000);
  expect(parse('Patient', { identifier: `urn:x|${long}\u0000` }).query.criteria[0].predicates).toEqual([{ kind: 'token', system: 'urn:x', value: `${long}\u0000` }]);
  expect(parse('Observation', { subject: `http://x.org/${long}` }).query.criteria[0].predicates).toEqual([{ kind: 'reference', url: `http://x.org/${long}` }]);
});
