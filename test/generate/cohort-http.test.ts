import request from 'supertest';
import type { Bundle, Condition, Encounter, Resource } from 'fhir/r4.js';
import { makeTestApp, type TestApp } from '../http/test-app.js';

const REF = '2025-01-01';
const EXAMPLE = { count: 4, age: { min: 60 }, state: 'Ohio', conditions: [{ code: '44054006' }], encounters: [{ class: 'inpatient', atLeast: 3, within: { lastYears: 5 } }] };
const EXAMPLE_YAML = 'count: 3\nage: { min: 60 }\nstate: Ohio\nconditions:\n  - code: 44054006\nencounters:\n  - { class: inpatient, atLeast: 3, within: { lastYears: 5 } }\n';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp();
});
afterEach(() => t.close());

const generate = (parameter: object[], prefer?: string) => {
  const req = request(t.app).post('/fhir/$generate');
  return (prefer ? req.set('Prefer', prefer) : req).send({ resourceType: 'Parameters', parameter: [{ name: 'referenceDate', valueDate: REF }, ...parameter] });
};
const cohort = (spec: unknown) => ({ name: 'cohort', valueString: typeof spec === 'string' ? spec : JSON.stringify(spec) });
const resourcesOf = (b: Bundle) => (b.entry ?? []).map((e) => e.resource as Resource);

async function waitDone(location: string) {
  const url = new URL(location).pathname;
  for (let i = 0; i < 600; i++) {
    const res = await request(t.app).get(url);
    if (res.status !== 202) return res;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('job did not finish');
}

describe('$generate with a cohort', () => {
  it('answers the cohort: each patient with the condition and the admissions asked', async () => {
    const res = await generate([cohort(EXAMPLE), { name: 'seed', valueInteger: 6 }]);
    expect(res.status).toBe(200);
    const bundles = res.body.parameter.filter((p: { name: string }) => p.name === 'bundle').slice(2).map((p: { resource: Bundle }) => p.resource);
    expect(bundles).toHaveLength(4);
    for (const b of bundles) {
      const rs = resourcesOf(b);
      expect(rs.filter((r) => r.resourceType === 'Condition' && (r as Condition).code!.coding![0].code === '44054006')).toHaveLength(1);
      expect(rs.filter((r) => r.resourceType === 'Encounter' && (r as Encounter).class.code === 'IMP' && (r as Encounter).period!.start! >= '2020-01-01').length).toBeGreaterThanOrEqual(3);
    }
  });

  it('takes YAML too, and imports the cohort with import=true', async () => {
    const res = await generate([cohort(EXAMPLE_YAML), { name: 'import', valueBoolean: true }]);
    expect(res.status).toBe(200);
    expect(res.body.parameter.find((p: { name: string }) => p.name === 'failed').valueInteger).toBe(0);
    expect((await t.store.countByType()).Patient).toBe(3);
  });

  it('carries the cohort into a job and its import', async () => {
    const res = await generate([cohort(EXAMPLE), { name: 'import', valueBoolean: true }], 'respond-async');
    expect(res.status).toBe(202);
    const done = await waitDone(res.headers['content-location']);
    expect(done.status).toBe(200);
    expect(done.body.counts).toMatchObject({ patients: 4, imported: { failed: 0 } });
    const diabetes = await request(t.app).get('/fhir/Condition?code=http://snomed.info/sct|44054006&_summary=count');
    expect(diabetes.body.total).toBe(4);
  });

  it.each([
    ['an unknown condition code', [cohort({ conditions: [{ code: '1234567' }] })], 'cohort.conditions[0].code', /unknown condition code "1234567"/],
    ['an unknown key', [cohort({ conditions: [{ code: '44054006', onset: { aftr: '2020-01-01' } }] })], 'cohort.conditions[0].onset.aftr', /unknown key "aftr"/],
    ['pregnancy for a man', [cohort({ sex: 'male', conditions: [{ code: '72892002' }] })], 'cohort.conditions[0]', /for women only/],
    ['an empty age range', [cohort({ age: { min: 70, max: 60 } })], 'cohort.age', /the age range is empty/],
    ['a negative count', [cohort({ count: -3 })], 'cohort.count', /must be >= 1/],
    ['a window in the future', [cohort({ encounters: [{ class: 'inpatient', atLeast: 1, within: { after: '2026-01-01' } }] })], 'cohort.encounters[0].within.after', /in the future/],
    ['text that is not JSON', [{ name: 'cohort', valueString: '{"count": ' }], 'cohort', /the cohort parameter is not valid JSON/],
    ['a cohort that is not text', [{ name: 'cohort', part: [{ name: 'count', valueInteger: 3 }] }], 'cohort', /must be a valueString/],
    ['a count both as a parameter and in the cohort', [cohort(EXAMPLE), { name: 'count', valueInteger: 2 }], 'count', /given both/],
    ['the synthea engine', [cohort(EXAMPLE), { name: 'engine', valueCode: 'synthea' }], 'cohort', /builtin engine only/],
  ])('answers 400 for %s, pointing at the parameter, and stores nothing', async (_what, parameter, expression, message) => {
    const res = await generate([...parameter, { name: 'import', valueBoolean: true }]);
    expect(res.status).toBe(400);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(res.body.issue[0].expression[0]).toBe(expression);
    expect(res.body.issue[0].diagnostics).toMatch(message);
    expect(await t.store.countByType()).toEqual({});
  });
});
