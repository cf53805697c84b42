import { readFileSync } from 'node:fs';
import { OperationOutcomeError } from '../../src/fhir/outcomes.js';
import { parseCohortSpec } from '../../src/generate/cohort-spec.js';
import { parseCohortText } from '../../src/generate/cohort-text.js';
import { resolveOptions, type GenerateOptions } from '../../src/generate/options.js';

const REF = '2025-01-01';
const EXAMPLE = { count: 200, age: { min: 60 }, state: 'Ohio', conditions: [{ code: '44054006' }], encounters: [{ class: 'inpatient', atLeast: 3, within: { lastYears: 5 } }] };

/** The 400 resolveOptions throws for `input`: its message and first expression. */
function refusal(input: GenerateOptions): { message: string; expression: string[] } {
  try {
    resolveOptions({ referenceDate: REF, ...input });
  } catch (err) {
    expect(err).toBeInstanceOf(OperationOutcomeError);
    expect((err as OperationOutcomeError).status).toBe(400);
    return { message: (err as OperationOutcomeError).message, expression: (err as OperationOutcomeError).outcome.issue[0].expression ?? [] };
  }
  throw new Error(`accepted ${JSON.stringify(input)}`);
}

const BAD: [string, unknown, string, RegExp][] = [
  ['a negative count', { count: -5 }, 'cohort.count', /must be >= 1, got -5/],
  ['a zero count', { count: 0 }, 'cohort.count', /must be >= 1/],
  ['a count over the limit', { count: 10_000_000 }, 'cohort.count', /count must be from 1 to 100000/],
  ['an unknown key, named with its path', { conditions: [{ code: '44054006', onset: { aftr: '2020-01-01' } }] }, 'cohort.conditions[0].onset.aftr', /unknown key "aftr" in cohort.conditions\[0\].onset \(known: after, before, lastYears\)/],
  ['an unknown top-level key', { patients: 3 }, 'cohort.patients', /unknown key "patients" in cohort/],
  ['a missing required key', { encounters: [{ class: 'inpatient' }] }, 'cohort.encounters[0].atLeast', /is required/],
  ['an unknown encounter class', { encounters: [{ class: 'icu', atLeast: 1 }] }, 'cohort.encounters[0].class', /one of inpatient, emergency, ambulatory/],
  ['a sex that is neither', { sex: 'other' }, 'cohort.sex', /"female", "male", or shares/],
  ['shares missing one sex', { sex: { female: 1 } }, 'cohort.sex.male', /is required/],
  ['shares not adding up to 1', { sex: { female: 0.5, male: 0.6 } }, 'cohort.sex', /add up to 1, got 1.1/],
  ['a code that is not digits', { exclude: ['E11'] }, 'cohort.exclude[0]', /a code of digits/],
  ['an unknown condition code', { conditions: [{ code: '73211009' }] }, 'cohort.conditions[0].code', /unknown condition code "73211009"; known: 59621000 Essential hypertension, 44054006/],
  ['an unknown medication code', { medications: [{ code: '1' }] }, 'cohort.medications[0].code', /unknown medication code "1"; known: .*860975/],
  ['an unknown excluded code', { exclude: [999999] }, 'cohort.exclude[0]', /unknown condition code "999999"/],
  ['a date that does not exist', { conditions: [{ code: '44054006', onset: { after: '2021-02-30' } }] }, 'cohort.conditions[0].onset.after', /real date/],
  ['a window in the future', { conditions: [{ code: '44054006', onset: { after: '2030-01-01' } }] }, 'cohort.conditions[0].onset.after', /in the future/],
  ['an empty window', { encounters: [{ class: 'inpatient', atLeast: 1, within: { after: '2020-01-01', before: '2019-01-01' } }] }, 'cohort.encounters[0].within.before', /the window is empty/],
  ['after and lastYears together', { medications: [{ code: '860975', prescribed: { after: '2020-01-01', lastYears: 2 } }] }, 'cohort.medications[0].prescribed.lastYears', /not both/],
  ['an empty age range', { age: { min: 70, max: 60 } }, 'cohort.age', /the age range is empty/],
  ['an age over the limit', { age: { max: 200 } }, 'cohort.age.max', /maxAge must be from 0 to 110/],
  ['pregnancy for a man', { sex: 'male', conditions: [{ code: '72892002' }] }, 'cohort.conditions[0]', /for women only, but cohort.sex is male/],
  ['pregnancy with men in the mix', { sex: { female: 0.9, male: 0.1 }, conditions: [{ code: '72892002' }] }, 'cohort.conditions[0]', /gives men a share of 0.1/],
  ['pregnancy at 60 and over', { age: { min: 60 }, conditions: [{ code: '72892002', onset: { lastYears: 5 } }] }, 'cohort.conditions[0]', /\(at ages 14 to 45\) with onset between 2020-01-01 and .* needs patients aged 14 to 50(\.\d)? at the reference date, but the cohort's ages are 60 to 99/],
  ['a condition both required and excluded', { conditions: [{ code: 44054006 }], exclude: ['44054006'] }, 'cohort.conditions[0]', /both required and excluded/],
  ['a medication whose only condition is excluded', { medications: [{ code: '860975' }], exclude: ['44054006'] }, 'cohort.medications[0]', /prescribed only for Diabetes mellitus type 2 \(disorder\), which the cohort rules out/],
  ['windows of one chronic condition that do not meet', { conditions: [{ code: '44054006', onset: { after: '2020-01-01' } }, { code: '44054006', onset: { before: '2019-01-01' } }] }, 'cohort.conditions[1]', /do not overlap/],
  ['an acute condition before the records begin', { conditions: [{ code: '233604007', onset: { before: '2010-01-01' } }] }, 'cohort.conditions[0].onset', /ends before the records' 10 years of history/],
  ['a chronic onset no age in range allows', { age: { max: 20 }, conditions: [{ code: '44054006', onset: { before: '2000-01-01' } }] }, 'cohort.conditions[0]', /needs patients aged 25 or over/],
  ['more admissions than the window holds', { encounters: [{ class: 'inpatient', atLeast: 50, within: { lastYears: 1 } }] }, 'cohort.encounters[0].within', /do not fit/],
  ['an unknown state', { state: 'Atlantis' }, 'cohort.state', /cohort.state: unknown state "Atlantis"/],
  ['not an object', [], 'cohort', /cohort must be object/],
];

describe('cohort spec validation', () => {
  it.each(BAD)('refuses %s with a 400 naming the place', (_what, cohort, expression, message) => {
    const r = refusal({ cohort });
    expect(r.expression[0]).toBe(expression);
    expect(r.message).toMatch(message);
  });

  it('refuses a population field given both as a parameter and in the spec, naming both', () => {
    expect(refusal({ count: 5, cohort: { count: 10 } }).expression).toEqual(['count', 'cohort.count']);
    expect(refusal({ gender: 'male', cohort: { sex: { female: 0.5, male: 0.5 } } }).expression).toEqual(['gender', 'cohort.sex']);
    expect(refusal({ gender: 'male', cohort: { conditions: [{ code: '72892002' }] } }).message).toMatch(/but gender is male/);
  });

  it('accepts the example and takes count, ages and state from it', () => {
    const options = resolveOptions({ referenceDate: REF, cohort: EXAMPLE });
    expect(options).toMatchObject({ count: 200, minAge: 60, maxAge: 99, state: { code: 'OH' } });
    expect(options.cohort!.episodes.map((e) => e.variant.condition.code)).toEqual(['44054006']);
    expect(options.cohort!.encounters[0]).toMatchObject({ class: 'IMP', atLeast: 3, within: { from: Date.parse('2020-01-01') } });
    expect(options.cohort!.natural.map((m) => m.id)).not.toContain('diabetes');
  });

  it('fills what the spec leaves out from the parameters, and reads numeric codes as strings', () => {
    const options = resolveOptions({ referenceDate: REF, count: 7, minAge: 40, state: 'TX', cohort: { conditions: [{ code: 44054006 }], exclude: [53741008] } });
    expect(options).toMatchObject({ count: 7, minAge: 40, state: { code: 'TX' } });
    expect(parseCohortSpec({ exclude: [53741008] }).exclude).toEqual(['53741008']);
  });

  it('merges a medication into the required condition it treats, and narrows its window', () => {
    const options = resolveOptions({ referenceDate: REF, cohort: { conditions: [{ code: '44054006' }], medications: [{ code: '860975', prescribed: { lastYears: 2 } }] } });
    expect(options.cohort!.episodes).toHaveLength(1);
    expect(options.cohort!.episodes[0].paths).toEqual(['cohort.conditions[0]', 'cohort.medications[0]']);
    expect(options.cohort!.episodes[0].onset.from).toBe(Date.parse('2023-01-01'));
  });

  it('lets a prescription join an acute episode it fits, while a second required episode is another one', () => {
    const fracture = { code: '65966004', onset: { lastYears: 2 } };
    const joined = resolveOptions({ referenceDate: REF, cohort: { conditions: [fracture], medications: [{ code: '313782' }] } });
    expect(joined.cohort!.episodes.map((e) => e.paths)).toEqual([['cohort.conditions[0]', 'cohort.medications[0]']]);
    expect(resolveOptions({ referenceDate: REF, cohort: { conditions: [fracture, fracture] } }).cohort!.episodes).toHaveLength(2);
    expect(refusal({ cohort: { conditions: [{ code: '44054006', onset: { before: '2015-01-01' } }], medications: [{ code: '860975', prescribed: { lastYears: 2 } }] } }).message).toMatch(/prescribed when the condition it treats is diagnosed/);
  });

  it('makes a pregnancy cohort all women and removes excluded variants from the modules drawn as usual', () => {
    const options = resolveOptions({ referenceDate: REF, cohort: { conditions: [{ code: '72892002', onset: { lastYears: 3 } }], exclude: ['16114001'] } });
    expect(options.cohort!.femaleShare).toBe(1);
    expect(options.cohort!.ages.to).toBeLessThanOrEqual(49);
    const fracture = options.cohort!.natural.find((m) => m.id === 'fracture')!;
    expect(fracture.variants.map((v) => v.condition.code)).not.toContain('16114001');
    expect(options.cohort!.natural.map((m) => m.id)).not.toContain('pregnancy');
  });

  it('publishes every key of the spec in schemas/cohort.schema.json, and lets a spec name its schema', () => {
    const schema = JSON.parse(readFileSync(new URL('../../schemas/cohort.schema.json', import.meta.url), 'utf8'));
    expect(Object.keys(schema.properties)).toEqual(['$schema', 'description', 'count', 'age', 'sex', 'state', 'city', 'conditions', 'medications', 'encounters', 'exclude']);
    expect(() => parseCohortSpec({ $schema: '../schemas/cohort.schema.json', description: 'example', ...EXAMPLE })).not.toThrow();
  });
});

describe('the README', () => {
  it('shows cohort specs the generator accepts', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('### Cohorts'), readme.indexOf('**How realistic?**'));
    const examples = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(examples).toHaveLength(2);
    for (const text of examples) expect(resolveOptions({ referenceDate: REF, cohort: parseCohortText(text, 'README') }).cohort).toBeDefined();
  });
});

describe('cohort text', () => {
  it('reads JSON and YAML alike, YAML dates staying strings', () => {
    const yaml = 'count: 200\nage: { min: 60 }\nstate: Ohio\nconditions:\n  - code: 44054006\n    onset: { after: 2015-01-01 }\n';
    expect(parseCohortText(yaml, 'c.yaml')).toEqual({ count: 200, age: { min: 60 }, state: 'Ohio', conditions: [{ code: 44054006, onset: { after: '2015-01-01' } }] });
    expect(parseCohortText(JSON.stringify(EXAMPLE), 'c.json')).toEqual(EXAMPLE);
  });

  it.each([
    ['{"count": 3', /c.json is not valid JSON/],
    ['count: 3\n  age: [', /c.json is not valid YAML: .*\(line 2, column \d+\)/],
    ['count: 3\ncount: 4\n', /duplicated mapping key/],
    ['', /is empty/],
  ])('refuses %j with the place of the fault', (text, message) => {
    expect(() => parseCohortText(text, 'c.json')).toThrow(message);
  });
});
