/**
 * The acceptance check of cohorts: generated, imported strictly into a store, and every requirement found
 * again through the server's own searches, patient by patient.
 */
import request from 'supertest';
import type { Bundle, Encounter, Resource } from 'fhir/r4.js';
import { generatePopulation } from '../../src/generate/population.js';
import { unitsOfDocument } from '../../src/import/bundle-units.js';
import { createImportContext } from '../../src/import/import-context.js';
import { runImport } from '../../src/import/run-import.js';
import { createLogger } from '../../src/logger.js';
import { makeTestApp, type TestApp } from '../http/test-app.js';

const REF = '2025-01-01';
/** The example, 20 patients instead of 200: over 60, Ohio, type 2 diabetes, 3+ admissions in 5 years. */
const EXAMPLE = { count: 20, age: { min: 60 }, state: 'Ohio', conditions: [{ code: '44054006' }], encounters: [{ class: 'inpatient', atLeast: 3, within: { lastYears: 5 } }] };
const WINDOWED = {
  count: 12,
  sex: 'female',
  age: { min: 30, max: 70 },
  state: 'Texas',
  conditions: [{ code: '44054006', onset: { after: '2018-01-01' } }],
  medications: [{ code: '309362', prescribed: { lastYears: 3 } }],
  encounters: [{ class: 'emergency', atLeast: 2, within: { lastYears: 2 } }],
  exclude: ['59621000', '53741008'],
};

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
  const ctx = createImportContext({ store: t.store, mode: 'strict', logger: createLogger('silent') });
  for (const [cohort, seed] of [[EXAMPLE, 1], [WINDOWED, 2]] as const) {
    const pop = generatePopulation({ cohort, seed, referenceDate: REF });
    const summary = await runImport(ctx, [pop.hospitalInformation, pop.practitionerInformation, ...pop.patients].flatMap((b) => [...unitsOfDocument(b)]));
    expect(summary.failed).toBe(0);
  }
}, 60_000);
afterAll(() => t.close());

async function search(query: string): Promise<Bundle> {
  const res = await request(t.app).get(`/fhir/${query}&_count=1000`);
  expect(res.status).toBe(200);
  expect(res.body.link?.some((l: { relation: string }) => l.relation === 'next')).toBeFalsy();
  return res.body as Bundle;
}
const ids = async (query: string) => ((await search(query)).entry ?? []).map((e) => e.resource!.id!).sort();
/** How many of the matches belong to each patient. */
async function perPatient(query: string): Promise<Map<string, Resource[]>> {
  const by = new Map<string, Resource[]>();
  for (const e of (await search(query)).entry ?? []) {
    const r = e.resource as Resource & { subject?: { reference?: string } };
    const id = r.subject!.reference!.replace(/^Patient\//, '');
    by.set(id, [...(by.get(id) ?? []), r]);
  }
  return by;
}

describe('the example cohort, imported and searched', () => {
  it('has exactly the count asked, all in Ohio and aged 60 or over', async () => {
    const ohio = await ids('Patient?address-state=OH');
    expect(ohio).toHaveLength(20);
    expect(await ids('Patient?address-state=OH&birthdate=le1965-01-01')).toEqual(ohio);
  });

  it('gives each of them type 2 diabetes and at least 3 inpatient encounters within the last 5 years', async () => {
    const ohio = await ids('Patient?address-state=OH');
    const diabetes = await perPatient('Condition?code=http://snomed.info/sct|44054006');
    const admissions = await perPatient(`Encounter?class=IMP&date=ge2020-01-01&date=lt${REF}`);
    for (const id of ohio) {
      expect(diabetes.get(id)).toHaveLength(1);
      const within = (admissions.get(id) ?? []) as Encounter[];
      expect(within.every((e) => e.class.code === 'IMP')).toBe(true);
      expect(within.filter((e) => e.period!.start! >= '2020-01-01' && e.period!.end! < REF).length).toBeGreaterThanOrEqual(3);
    }
  });
});

describe('a cohort with onset and prescription windows and exclusions, imported and searched', () => {
  it('has the count, sex, state and ages asked', async () => {
    const texas = await ids('Patient?address-state=TX');
    expect(texas).toHaveLength(12);
    expect(await ids('Patient?address-state=TX&gender=female&birthdate=ge1954-01-01&birthdate=le1995-01-01')).toEqual(texas);
  });

  it('meets every requirement in every patient, and none has an excluded condition', async () => {
    const texas = await ids('Patient?address-state=TX');
    const diabetes = await perPatient('Condition?code=http://snomed.info/sct|44054006&onset-date=ge2018-01-01');
    const clopidogrel = await perPatient('MedicationRequest?code=http://www.nlm.nih.gov/research/umls/rxnorm|309362&authoredon=ge2022-01-01');
    const emergencies = await perPatient(`Encounter?class=EMER&date=ge2023-01-01&date=lt${REF}`);
    const excluded = await perPatient('Condition?code=http://snomed.info/sct|59621000,http://snomed.info/sct|53741008');
    const earlier = await perPatient('Condition?code=http://snomed.info/sct|44054006&onset-date=lt2018-01-01');
    for (const id of texas) {
      expect(diabetes.get(id)).toHaveLength(1);
      expect(clopidogrel.get(id)?.length).toBeGreaterThanOrEqual(1);
      expect(emergencies.get(id)?.length).toBeGreaterThanOrEqual(2);
      expect(excluded.get(id)).toBeUndefined();
      expect(earlier.get(id)).toBeUndefined();
    }
  });
});
