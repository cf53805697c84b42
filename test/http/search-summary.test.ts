/**
 * `_summary=true|text|data` and `_elements` on search matches and on read: the elements kept, mandatory
 * ones, `id` and `meta` always among them, and the SUBSETTED tag; included resources stay whole.
 */
import request from 'supertest';
import { SUBSETTED } from '../../src/fhir/resource-subset.js';
import { makeTestApp, patient, type TestApp } from './test-app.js';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp();
  await t.store.update({
    ...patient('Rivera'),
    id: 'p1',
    text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">Ann Rivera</div>' },
    maritalStatus: { text: 'married' },
    deceasedBoolean: false,
    meta: { tag: [{ system: 'http://example.org/tags', code: 'kept' }] },
  } as never);
  await t.store.update({ resourceType: 'Observation', id: 'o1', status: 'final', code: { text: 'weight' }, subject: { reference: 'Patient/p1' }, valueQuantity: { value: 70 }, note: [{ text: 'after lunch' }] } as never);
});
afterEach(() => t.close());

const keys = (resource: object) => Object.keys(resource).sort();
const tags = (resource: { meta: { tag?: { code: string }[] } }) => (resource.meta.tag ?? []).map((tag) => tag.code);

async function firstMatch(url: string) {
  const res = await request(t.app).get(url);
  expect(res.status).toBe(200);
  return res.body.entry[0].resource;
}

describe('_summary', () => {
  it('true keeps the R4 summary elements (choices included) and tags the result SUBSETTED, keeping other tags', async () => {
    const p = await firstMatch('/fhir/Patient?_summary=true');
    expect(keys(p)).toEqual(['birthDate', 'deceasedBoolean', 'gender', 'id', 'meta', 'name', 'resourceType']);
    expect(tags(p)).toEqual(['kept', 'SUBSETTED']);
    expect(p.meta.tag.at(-1)).toEqual(SUBSETTED);
    expect(p.meta.versionId).toBe('1');
    const o = await firstMatch('/fhir/Observation?_summary=true');
    expect(keys(o)).toEqual(['code', 'id', 'meta', 'resourceType', 'status', 'subject', 'valueQuantity']);
  });

  it('text keeps text, id, meta and the mandatory elements', async () => {
    expect(keys(await firstMatch('/fhir/Patient?_summary=text'))).toEqual(['id', 'meta', 'resourceType', 'text']);
    expect(keys(await firstMatch('/fhir/Observation?_summary=text'))).toEqual(['code', 'id', 'meta', 'resourceType', 'status']);
  });

  it('data removes text only; false returns the resource untouched', async () => {
    const data = await firstMatch('/fhir/Patient?_summary=data');
    expect(data.text).toBeUndefined();
    expect(data.maritalStatus).toEqual({ text: 'married' });
    expect(tags(data)).toContain('SUBSETTED');
    const full = await firstMatch('/fhir/Patient?_summary=false');
    expect(full.text.status).toBe('generated');
    expect(tags(full)).toEqual(['kept']);
  });

  it('an unknown mode is a 400 naming _summary, strict or not', async () => {
    const res = await request(t.app).get('/fhir/Patient?_summary=short');
    expect(res.status).toBe(400);
    expect(res.body.issue[0].expression).toEqual(['_summary']);
  });

  it('cuts the matches only: included resources come whole', async () => {
    const res = await request(t.app).get('/fhir/Observation?_summary=text&_include=Observation:subject');
    const [match, included] = res.body.entry;
    expect(match.search.mode).toBe('match');
    expect(match.resource.valueQuantity).toBeUndefined();
    expect(included.search.mode).toBe('include');
    expect(included.resource.maritalStatus).toEqual({ text: 'married' });
    expect(tags(included.resource)).toEqual(['kept']);
  });
});

describe('_elements', () => {
  it('keeps the listed elements with the mandatory ones, id and meta; a choice may be named without [x]', async () => {
    expect(keys(await firstMatch('/fhir/Patient?_elements=name,gender'))).toEqual(['gender', 'id', 'meta', 'name', 'resourceType']);
    const o = await firstMatch('/fhir/Observation?_elements=value,Observation.note');
    expect(keys(o)).toEqual(['code', 'id', 'meta', 'note', 'resourceType', 'status', 'valueQuantity']);
    expect(tags(o)).toEqual(['SUBSETTED']);
  });
});

describe('read', () => {
  it('takes _summary and _elements too; _summary=count is a 400 there', async () => {
    const summary = await request(t.app).get('/fhir/Patient/p1?_summary=true');
    expect(summary.status).toBe(200);
    expect(summary.body.maritalStatus).toBeUndefined();
    expect(summary.body.name[0].family).toBe('Rivera');
    expect(tags(summary.body)).toContain('SUBSETTED');
    expect(summary.headers.etag).toBe('W/"1"');
    const elements = await request(t.app).get('/fhir/Patient/p1?_elements=gender');
    expect(keys(elements.body)).toEqual(['gender', 'id', 'meta', 'resourceType']);
    const count = await request(t.app).get('/fhir/Patient/p1?_summary=count');
    expect(count.status).toBe(400);
    expect(count.body.issue[0].expression).toEqual(['_summary']);
    expect(keys((await request(t.app).get('/fhir/Patient/p1')).body)).toContain('maritalStatus');
  });
});
