import { OperationOutcomeError } from '../../src/fhir/outcomes.js';
import { parseSearchQuery } from '../../src/search/parse-query.js';
import type { Criterion } from '../../src/search/types.js';

/** Strict unless told otherwise, so that what is not supported shows as a 400. */
const parse = (type: string, qs: string, strict = true) => parseSearchQuery(type, new URLSearchParams(qs), { strict });
const criteria = (type: string, qs: string): Criterion[] => parse(type, qs).query.criteria;
const one = (type: string, qs: string) => criteria(type, qs)[0].predicates;

/** Asserts a 400 OperationOutcome whose expression names `param`. */
function expect400(type: string, qs: string, param: string, strict = true): string {
  try {
    parse(type, qs, strict);
  } catch (err) {
    expect(err).toBeInstanceOf(OperationOutcomeError);
    const e = err as OperationOutcomeError;
    expect(e.status).toBe(400);
    expect(e.outcome.issue[0].expression).toEqual([param]);
    return e.outcome.issue[0].diagnostics ?? '';
  }
  throw new Error(`no error for ${qs}`);
}

describe('result parameters', () => {
  test('defaults', () => {
    expect(parse('Patient', '')).toEqual({
      query: { resourceType: 'Patient', criteria: [], sort: [], count: 20, offset: 0, summaryCount: false },
      ignored: [],
      includes: [],
      summary: 'false',
      linkParams: new URLSearchParams(),
    });
  });

  test('_count, _offset, _summary=count; _total and _format change nothing', () => {
    const { query } = parse('Patient', '_count=50&_offset=100&_summary=count&_total=accurate&_format=json');
    expect(query).toMatchObject({ count: 50, offset: 100, summaryCount: true, criteria: [] });
    expect(parse('Patient', '_count=5000').query.count).toBe(1000);
    expect(parse('Patient', '_count=0').query.count).toBe(0);
  });

  test.each(['_count=-1', '_count=abc', '_count=1.5', '_count=', '_offset=-20', '_offset=x'])('%s is a 400, strict or not', (qs) => {
    const param = qs.split('=')[0];
    expect400('Patient', qs, param);
    expect400('Patient', qs, param, false);
  });

  test('_sort: keys in order, descending with -', () => {
    expect(parse('Observation', '_sort=-date,_id,code').query.sort).toEqual([
      { param: 'date', type: 'date', descending: true },
      { param: '_id', type: '_id', descending: false },
      { param: 'code', type: 'token', descending: false },
    ]);
    expect(expect400('Observation', '_sort=nope', '_sort')).toMatch(/nope/);
    expect(parse('Observation', '_sort=nope', false)).toMatchObject({ query: { sort: [] }, ignored: [{ param: '_sort' }] });
  });

  test('_summary: the R4 modes, count alone sets summaryCount; another value is a 400 strict or not', () => {
    for (const mode of ['true', 'text', 'data', 'false'] as const) {
      expect(parse('Patient', `_summary=${mode}`)).toMatchObject({ summary: mode, query: { summaryCount: false } });
    }
    expect(parse('Patient', '_summary=count')).toMatchObject({ summary: 'count', query: { summaryCount: true } });
    expect400('Patient', '_summary=short', '_summary', false);
  });

  test('_elements: names split on commas; an empty name is a 400', () => {
    expect(parse('Patient', '_elements=name,birthDate').elements).toEqual(['name', 'birthDate']);
    expect400('Patient', '_elements=name,,gender', '_elements', false);
  });
});

describe('token', () => {
  test('code, system|code, |code, system|', () => {
    expect(one('Observation', 'code=1234-5')).toEqual([{ kind: 'token', value: '1234-5' }]);
    expect(one('Observation', 'code=http://loinc.org|1234-5')).toEqual([{ kind: 'token', system: 'http://loinc.org', value: '1234-5' }]);
    expect(one('Observation', 'code=|1234-5')).toEqual([{ kind: 'token', system: null, value: '1234-5' }]);
    expect(one('Observation', 'code=http://loinc.org|')).toEqual([{ kind: 'token', system: 'http://loinc.org' }]);
  });

  test('comma is OR, escaped comma is a comma, repeated parameter is AND', () => {
    expect(one('Patient', 'gender=male,female')).toEqual([{ kind: 'token', value: 'male' }, { kind: 'token', value: 'female' }]);
    expect(one('Patient', 'identifier=a\\,b')).toEqual([{ kind: 'token', value: 'a,b' }]);
    expect(one('Patient', 'identifier=s\\|x|v')).toEqual([{ kind: 'token', system: 's|x', value: 'v' }]);
    expect(criteria('Patient', 'gender=male&gender=female')).toEqual([
      { param: 'gender', type: 'token', predicates: [{ kind: 'token', value: 'male' }] },
      { param: 'gender', type: 'token', predicates: [{ kind: 'token', value: 'female' }] },
    ]);
  });

  test(':not and :missing', () => {
    expect(one('Patient', 'gender:not=male')).toEqual([{ kind: 'token', value: 'male', not: true }]);
    expect(criteria('Patient', 'gender:missing=true')).toEqual([{ param: 'gender', type: 'token', predicates: [{ kind: 'missing', missing: true }] }]);
    expect(one('Patient', 'gender:missing=false')).toEqual([{ kind: 'missing', missing: false }]);
    expect400('Patient', 'gender:missing=maybe', 'gender:missing');
  });

  test('unsupported modifiers and malformed tokens', () => {
    expect400('Observation', 'code:text=weight', 'code:text');
    expect400('Observation', 'code:in=http://vs', 'code:in');
    expect400('Observation', 'code=|', 'code');
    expect400('Observation', 'code=a|b|c', 'code');
  });

  test('_id is a comma list answered from the row', () => {
    expect(criteria('Patient', '_id=a,b')).toEqual([{ param: '_id', type: '_id', predicates: [{ kind: 'token', value: 'a' }, { kind: 'token', value: 'b' }] }]);
    expect400('Patient', '_id:not=a', '_id:not');
  });
});

describe('string', () => {
  test('prefix by default, :exact, :contains; values normalised like the index', () => {
    expect(one('Patient', 'name=Jos%C3%A9%20%20Van')).toEqual([{ kind: 'string', value: 'jose van', match: 'prefix' }]);
    expect(one('Patient', 'family:exact=Abbott774')).toEqual([{ kind: 'string', value: 'abbott774', match: 'exact' }]);
    expect(one('Patient', 'address:contains=bog')).toEqual([{ kind: 'string', value: 'bog', match: 'contains' }]);
  });

  test('operators in names or values are plain data', () => {
    expect(one('Patient', 'family=$where')).toEqual([{ kind: 'string', value: '$where', match: 'prefix' }]);
    expect(one('Patient', 'family={"$ne":1}')).toEqual([{ kind: 'string', value: '{"$ne":1}', match: 'prefix' }]);
    expect(expect400('Patient', 'family[$ne]=x', 'family[$ne]')).toMatch(/Unknown search parameter/);
  });
});

describe('date', () => {
  test.each(['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap'])('prefix %s', (prefix) => {
    expect(one('Observation', `date=${prefix}2020-03`)).toEqual([{ kind: 'date', prefix, lo: Date.UTC(2020, 2, 1), hi: Date.UTC(2020, 3, 1) }]);
  });

  test('no prefix is eq; precision sets the interval; a decoded + in a time zone is restored', () => {
    expect(one('Patient', 'birthdate=1983-04-11')).toEqual([{ kind: 'date', prefix: 'eq', lo: Date.UTC(1983, 3, 11), hi: Date.UTC(1983, 3, 12) }]);
    const t = Date.UTC(2020, 0, 1, 9);
    expect(one('Observation', 'date=ge2020-01-01T10:00:00+01:00')).toEqual([{ kind: 'date', prefix: 'ge', lo: t, hi: t + 1000 }]);
    expect(one('Observation', 'date=2020-01-01T10:00:00%2B01:00')).toEqual([{ kind: 'date', prefix: 'eq', lo: t, hi: t + 1000 }]);
  });

  test('_lastUpdated', () => {
    expect(criteria('Patient', '_lastUpdated=gt2020')).toEqual([{ param: '_lastUpdated', type: '_lastUpdated', predicates: [{ kind: 'date', prefix: 'gt', lo: Date.UTC(2020, 0, 1), hi: Date.UTC(2021, 0, 1) }] }]);
  });

  test.each(['birthdate=2020-13-01', 'birthdate=yesterday', 'birthdate=xx2020', 'birthdate=ge'])('%s is a 400 naming the parameter, strict or not', (qs) => {
    expect(expect400('Patient', qs, 'birthdate', false)).toMatch(/birthdate/);
  });
});

describe('reference', () => {
  test('Type/id, plain id, :Type, absolute URL', () => {
    expect(one('Observation', 'subject=Patient/123')).toEqual([{ kind: 'reference', type: 'Patient', id: '123' }]);
    expect(one('Observation', 'subject=Patient/123/_history/2')).toEqual([{ kind: 'reference', type: 'Patient', id: '123' }]);
    expect(one('Observation', 'subject=123')).toEqual([{ kind: 'reference', id: '123' }]);
    expect(one('Observation', 'patient=123')).toEqual([{ kind: 'reference', type: 'Patient', id: '123' }]);
    expect(one('Observation', 'subject:Patient=123')).toEqual([{ kind: 'reference', type: 'Patient', id: '123' }]);
    expect(one('Observation', 'subject=http://x.org/fhir/Patient/1')).toEqual([{ kind: 'reference', url: 'http://x.org/fhir/Patient/1' }]);
    expect(one('Observation', 'subject:missing=true')).toEqual([{ kind: 'missing', missing: true }]);
  });

  test('types that are not targets, bad ids and unsupported forms', () => {
    expect400('Encounter', 'subject=Practitioner/1', 'subject');
    expect400('Encounter', 'subject:Practitioner=1', 'subject:Practitioner');
    expect400('Observation', 'subject:Patient=Group/1', 'subject:Patient');
    expect400('Observation', 'subject=a b', 'subject');
    expect400('Observation', 'subject:identifier=x|1', 'subject:identifier');
    expect400('Observation', 'subject.name=peter', 'subject.name');
    expect400('Observation', 'subject:Patient.name=peter', 'subject:Patient.name');
    expect400('Patient', '_has:Observation:patient:code=1234', '_has:Observation:patient:code');
  });
});

describe('number and quantity', () => {
  test('the precision of the number gives the range', () => {
    expect(one('RiskAssessment', 'probability=0.25')).toEqual([{ kind: 'number', prefix: 'eq', lo: 0.245, hi: 0.255 }]);
    expect(one('RiskAssessment', 'probability=gt100')).toEqual([{ kind: 'number', prefix: 'gt', lo: 99.5, hi: 100.5 }]);
    expect(one('RiskAssessment', 'probability=1e2')).toEqual([{ kind: 'number', prefix: 'eq', lo: 50, hi: 150 }]);
    expect400('RiskAssessment', 'probability=abc', 'probability');
  });

  test('quantity: number|system|code, number||code, number', () => {
    expect(one('Observation', 'value-quantity=5.4|http://unitsofmeasure.org|mg')).toEqual([
      { kind: 'number', prefix: 'eq', lo: 5.35, hi: 5.45, system: 'http://unitsofmeasure.org', unit: 'mg' },
    ]);
    expect(one('Observation', 'value-quantity=lt5||mg')).toEqual([{ kind: 'number', prefix: 'lt', lo: 4.5, hi: 5.5, unit: 'mg' }]);
    expect(one('Observation', 'value-quantity=ge5')).toEqual([{ kind: 'number', prefix: 'ge', lo: 4.5, hi: 5.5 }]);
    expect400('Observation', 'value-quantity=5|mg', 'value-quantity');
    expect400('Observation', 'value-quantity=ge|x|mg', 'value-quantity');
  });
});

describe('uri', () => {
  test('exact, :below, :above', () => {
    expect(one('ValueSet', 'url=http://x.org/vs')).toEqual([{ kind: 'uri', value: 'http://x.org/vs', match: 'exact' }]);
    expect(one('Patient', '_profile:below=http://x.org/sd')).toEqual([{ kind: 'uri', value: 'http://x.org/sd', match: 'below' }]);
    expect(one('ValueSet', 'url:above=http://x.org/vs/a')).toEqual([{ kind: 'uri', value: 'http://x.org/vs/a', match: 'above' }]);
    expect400('ValueSet', 'url:contains=x', 'url:contains');
  });
});

describe('unsupported parameters: ignored and listed (and left out of the links), or a 400 when strict', () => {
  test.each([
    ['Patient', 'foo=bar', 'foo'],
    ['Observation', 'code-value-quantity=http://loinc.org|1$5', 'code-value-quantity'],
    ['Location', 'near=42|-71|10|km', 'near'],
    ['Patient', '_include=Patient:shoe', '_include'],
    ['Patient', '_include=Patient:gender', '_include'],
    ['Patient', '_include=Shoe:organization', '_include'],
    ['Patient', '_include=Patient:organization:Shoe', '_include'],
    ['Patient', '_include=Patient:organization:Patient', '_include'],
    ['Patient', '_include:deep=Patient:organization', '_include:deep'],
    ['Patient', '_revinclude=Observation', '_revinclude'],
    ['Patient', '_text=x', '_text'],
    ['Patient', 'name=', 'name'],
  ])('%s?%s', (type, qs, param) => {
    expect400(type, qs, param);
    const { query, ignored, includes, linkParams } = parse(type, `${qs}&_id=x`, false);
    expect(ignored.map((i) => i.param)).toEqual([param]);
    expect(includes).toEqual([]);
    expect(linkParams.toString()).toBe('_id=x');
    expect(query.criteria).toEqual([{ param: '_id', type: '_id', predicates: [{ kind: 'token', value: 'x' }] }]);
  });
});

test('linkParams keep the request as written, less _offset and ignored parameters', () => {
  expect(parse('Observation', 'code=a,b&_offset=40&_count=20&code=x%7Cy&shoe=9', false).linkParams.toString()).toBe('code=a%2Cb&_count=20&code=x%7Cy');
});

test('_include and _revinclude: Type:param, Type:param:Target, Type:*, :iterate and its alias :recurse', () => {
  const { includes } = parse(
    'Observation',
    '_include=Observation:subject&_include=Observation:subject:Patient&_include:iterate=Patient:*&_revinclude:recurse=Provenance:target&_revinclude=Observation:*',
  );
  expect(includes).toEqual([
    { reverse: false, iterate: false, sourceType: 'Observation', param: 'subject' },
    { reverse: false, iterate: false, sourceType: 'Observation', param: 'subject', targetType: 'Patient' },
    { reverse: false, iterate: true, sourceType: 'Patient', param: '*' },
    { reverse: true, iterate: true, sourceType: 'Provenance', param: 'target' },
    { reverse: true, iterate: false, sourceType: 'Observation', param: '*' },
  ]);
});
