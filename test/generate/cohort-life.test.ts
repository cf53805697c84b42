import type { Bundle, Condition, Patient } from 'fhir/r4.js';
import { DAY, MINUTE, YEAR, ageAt } from '../../src/generate/clock.js';
import { onsetAges } from '../../src/generate/cohort-codes.js';
import { drawOnset, isFemale } from '../../src/generate/cohort-life.js';
import { resolveOptions, type ResolvedOptions } from '../../src/generate/options.js';
import { generatePatient, type PatientRecord } from '../../src/generate/patient-record.js';
import { generatePopulation } from '../../src/generate/population.js';
import { Random } from '../../src/generate/prng.js';
import { buildNetwork } from '../../src/generate/providers.js';
import { MODULES } from '../../src/generate/tables.js';

const REF = '2025-01-01';
const ref = Date.parse(REF);
const module = (id: string) => MODULES.find((m) => m.id === id)!;

function records(options: ResolvedOptions): PatientRecord[] {
  const network = buildNetwork(options);
  return Array.from({ length: options.count }, (_, i) => generatePatient(options, network, i));
}

describe('isFemale', () => {
  it('deals exactly round(n x share) women to the first n patients, for every n', () => {
    for (const share of [0, 0.25, 1 / 3, 0.4, 0.5, 0.9, 1]) {
      let women = 0;
      for (let n = 1; n <= 300; n++) {
        if (isFemale(n - 1, share)) women++;
        expect(women).toBe(Math.floor(n * share + 0.5));
      }
    }
  });
});

describe('drawOnset', () => {
  it('stays in the window and keeps the shape of the module curve', () => {
    const rng = new Random(4);
    const birth = ref - 80 * YEAR;
    const ages = Array.from({ length: 2000 }, () => {
      const t = drawOnset(rng, module('diabetes'), birth, birth, ref);
      expect(t).toBeGreaterThanOrEqual(birth);
      expect(t).toBeLessThan(ref);
      return ageAt(birth, t);
    }).sort((a, b) => a - b);
    // The diagnosed share of type 2 diabetes rises mostly between 30 and 65, and not at all after 75.
    expect(ages[1000]).toBeGreaterThan(40);
    expect(ages[1000]).toBeLessThan(65);
    expect(ages[1990]).toBeLessThan(76);
  });

  it('is uniform where the curve is flat, and gives the window itself when it is a point', () => {
    const rng = new Random(5);
    const birth = ref - 85 * YEAR;
    const from = birth + 80 * YEAR;
    const late = Array.from({ length: 400 }, () => drawOnset(rng, module('diabetes'), birth, from, ref));
    expect(Math.min(...late)).toBeGreaterThanOrEqual(from);
    expect(late.filter((t) => t < from + 2.5 * YEAR).length).toBeGreaterThan(150);
    expect(drawOnset(rng, module('diabetes'), birth, from, from)).toBe(from);
  });

  it('finds the ages at which a module can begin', () => {
    expect(onsetAges(module('pregnancy'))).toEqual([14, 45]);
    expect(onsetAges(module('diabetes'))).toEqual([0, Infinity]);
  });
});

describe('a conditioned life', () => {
  it('meets every requirement in every patient: onsets, prescriptions and encounters in their windows, alive for all of them', () => {
    const options = resolveOptions({
      referenceDate: REF,
      seed: 21,
      cohort: {
        count: 120,
        age: { min: 40, max: 85 },
        conditions: [{ code: '44054006', onset: { after: '2010-01-01' } }, { code: '233604007', onset: { lastYears: 3 } }],
        medications: [{ code: '309362', prescribed: { lastYears: 4 } }],
        encounters: [{ class: 'inpatient', atLeast: 3, within: { lastYears: 5 } }, { class: 'emergency', atLeast: 2 }],
        exclude: ['53741008', '13645005'],
      },
    });
    for (const { person, life } of records(options)) {
      const age = ageAt(person.birth, ref);
      expect(age).toBeGreaterThanOrEqual(40);
      expect(age).toBeLessThan(86);
      const onset = (code: string) => life.diagnoses.filter((d) => d.variant.condition.code === code).map((d) => d.onset);
      expect(onset('44054006')).toHaveLength(1);
      expect(onset('44054006')[0]).toBeGreaterThanOrEqual(Date.parse('2010-01-01'));
      expect(onset('233604007').some((t) => t >= Date.parse('2022-01-01') && t < ref)).toBe(true);
      expect(onset('230690007').some((t) => t >= Date.parse('2021-01-01'))).toBe(true);
      expect([...onset('53741008'), ...onset('13645005')]).toEqual([]);
      const required = life.required!;
      expect(required.filter((v) => v.class === 'IMP' && v.at >= Date.parse('2020-01-01') && v.at + v.minutes * MINUTE < ref)).toHaveLength(3);
      expect(required.filter((v) => v.class === 'EMER' && v.at >= life.windowStart)).toHaveLength(2);
      for (const v of required) expect(v.at + v.minutes * MINUTE).toBeLessThan(life.end);
      // A required admission is for a chronic condition active at the time, the required one first.
      for (const v of required.filter((r) => r.diagnosis)) expect(v.diagnosis!.onset + DAY).toBeLessThanOrEqual(v.at);
    }
  });

  it('gives exactly the count asked, with the sex shares exact, one draw per patient', () => {
    const pop = generatePopulation({ referenceDate: REF, seed: 3, cohort: { count: 250, sex: { female: 0.4, male: 0.6 }, age: { min: 30, max: 50 }, conditions: [{ code: '230690007', onset: { lastYears: 2 } }] } });
    expect(pop.patients).toHaveLength(250);
    const patients = pop.patients.map((b: Bundle) => b.entry![0].resource as Patient);
    expect(patients.filter((p) => p.gender === 'female')).toHaveLength(100);
    // No rejection: patient i is the i-th stream's first and only draw, as generatePatient makes it alone.
    const again = generatePatient(pop.options, buildNetwork(pop.options), 17).bundle;
    expect(again).toEqual(pop.patients[17]);
    for (const b of pop.patients) {
      const strokes = b.entry!.map((e) => e.resource!).filter((r): r is Condition => r.resourceType === 'Condition' && (r as Condition).code?.coding?.[0].code === '230690007');
      expect(strokes.some((c) => c.onsetDateTime! >= '2023-01-01')).toBe(true);
    }
  });

  it('is the plain generator when the cohort asks for nothing but a population', () => {
    const plain = generatePopulation({ referenceDate: REF, seed: 8, count: 15, state: 'Ohio', minAge: 20 });
    expect(generatePopulation({ referenceDate: REF, seed: 8, cohort: { count: 15, state: 'Ohio', age: { min: 20 } } }).patients).toEqual(plain.patients);
  });

  it('gives every pregnancy cohort patient a pregnancy in the window, as a woman of childbearing age', () => {
    const options = resolveOptions({ referenceDate: REF, seed: 2, cohort: { count: 80, conditions: [{ code: '72892002', onset: { lastYears: 2 } }] } });
    for (const { person, life } of records(options)) {
      expect(person.gender).toBe('female');
      const pregnancy = life.diagnoses.find((d) => d.module.id === 'pregnancy' && d.onset >= Date.parse('2023-01-01'))!;
      expect(ageAt(person.birth, pregnancy.onset)).toBeGreaterThanOrEqual(14);
      expect(ageAt(person.birth, pregnancy.onset)).toBeLessThanOrEqual(45);
      if (life.death !== undefined) expect(pregnancy.delivery).toBeLessThan(life.death);
    }
  });
});
