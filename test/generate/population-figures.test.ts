import { spawnSync } from 'node:child_process';
import type { Bundle, FhirResource as Resource } from 'fhir/r4.js';
import { noImpossibleRecords } from '../../src/generate/impossible-records.js';
import { FigureTally } from '../../src/generate/population-figures.js';

const REF = Date.parse('2024-01-01T00:00:00Z');
const bundle = (...resources: Resource[]): Bundle => ({ resourceType: 'Bundle', type: 'transaction', entry: resources.map((resource) => ({ resource })) });
const dl = { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'DL' }] }, value: 'S99912345' };
const condition = (code: string, onset: string): Resource => ({ resourceType: 'Condition', subject: {}, code: { coding: [{ system: 'http://snomed.info/sct', code }] }, onsetDateTime: onset } as Resource);
const bmi = (value: number, at: string): Resource =>
  ({ resourceType: 'Observation', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '39156-5' }] }, effectiveDateTime: at, valueQuantity: { value } } as Resource);

describe('FigureTally', () => {
  it('reads diagnosed shares and obesity (latest BMI) from the Bundles of living adults', () => {
    const tally = new FigureTally(REF, [[0, 18], [18, 200]]);
    tally.add(bundle({ resourceType: 'Patient', gender: 'female', birthDate: '1970-05-01' }, condition('59621000', '2010-01-01T00:00:00+00:00'), bmi(33, '2015-01-01T00:00:00+00:00'), bmi(28, '2023-01-01T00:00:00+00:00')));
    tally.add(bundle({ resourceType: 'Patient', gender: 'male', birthDate: '1980-05-01' }, condition('44054006', '2020-01-01T00:00:00+00:00'), bmi(31, '2023-06-01T00:00:00+00:00')));
    tally.add(bundle({ resourceType: 'Patient', gender: 'male', birthDate: '2015-05-01' }, condition('195967001', '2020-01-01T00:00:00+00:00')));
    tally.add(bundle({ resourceType: 'Patient', gender: 'male', birthDate: '1930-05-01', deceasedDateTime: '2020-01-01T00:00:00+00:00' }, condition('59621000', '2000-01-01T00:00:00+00:00')));
    const f = tally.result();
    expect(f).toMatchObject({ patients: 4, living: 3, adults: 2, malePercent: (100 * 2) / 3 });
    expect(f.rates).toEqual({ hypertension: 50, diabetes: 50, asthma: 0, obesity: 50 });
    expect(f.ageShares).toEqual([100 / 3, (100 * 2) / 3]);
    expect(f.impossible).toEqual(noImpossibleRecords());
  });

  it('counts impossible records (each check: impossible-records.test.ts)', () => {
    const tally = new FigureTally(REF, [[0, 200]]);
    tally.add(bundle({ resourceType: 'Patient', gender: 'male', birthDate: '2012-05-01', identifier: [dl] }, condition('72892002', '2011-01-01T00:00:00+00:00')));
    tally.add(bundle({ resourceType: 'Patient', gender: 'female', birthDate: '1950-05-01', deceasedDateTime: '2020-01-01T00:00:00+00:00' }, condition('59621000', '2021-01-01T00:00:00+00:00')));
    expect(tally.result().impossible).toEqual({ ...noImpossibleRecords(), beforeBirth: 1, afterDeath: 1, malePregnancy: 1, pregnancyAge: 1, licenceUnder16: 1 });
  });
});

describe('scripts/compare-cdc.ts', () => {
  it('finds 1,000 default-profile patients within 2 points of the CDC and Census figures, with no impossible record', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/compare-cdc.ts'], { encoding: 'utf8', timeout: 45_000 });
    expect(run.stdout).toMatch(/^1000 patients \(seed \d+\) in Massachusetts/);
    // 4 CDC rates, 7 age bins of the state's census shape, the male share, 12 kinds of impossible record.
    expect(run.stdout.match(/^ok /gm)).toHaveLength(24);
    expect(run.status).toBe(0);
  });

  // The CDC rates are national: young Utah is rightly below them (hypertension by about 4 points), so only its shape is judged.
  it('follows the chosen state\'s census shape: Utah young, within 2 points in every age bin', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/compare-cdc.ts', '1000', '7', 'Utah'], { encoding: 'utf8', timeout: 45_000 });
    const bins = run.stdout.split('\n').filter((l) => / UT age /.test(l));
    expect(bins).toHaveLength(7);
    expect(bins.every((l) => l.startsWith('ok '))).toBe(true);
    const share = (label: string) => Number(/(\d+\.\d)%/.exec(bins.find((l) => l.includes(` UT age ${label} `))!)![1]);
    expect(share('0-4') + share('5-13') + share('14-17')).toBeGreaterThan(27);
  });
});
