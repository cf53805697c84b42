/**
 * Scoring pairs under a model learned from a small store of hand-made people: corrupted second records of a
 * person score as certain, strangers as certainly not, twins are never certain (not even twins born the same
 * day who share every other field), scores are symmetric and repeatable, an agreement on a common surname
 * counts for less than one on a rare surname, and grades follow the thresholds.
 */
import type { Patient } from 'fhir/r4.js';
import { candidatePairs } from '../../src/match/blocking.js';
import { DEFAULT_MATCH_THRESHOLDS, gradeOf } from '../../src/match/match-grade.js';
import { compareCandidates, estimateModel, type MatchModel } from '../../src/match/match-model.js';
import { PairScorer, UNRELATED_FIRST_NAMES_CAP } from '../../src/match/pair-scorer.js';
import { patientFeatures } from '../../src/match/patient-features.js';
import { corruptions, duplicateOf, person, strangers, twinOf, type TestPatient } from './corrupted-patients.js';

const p = person();
/** A store of 600 strangers, of whom 150 share one surname, with the person and a few second records of them. */
function store(): TestPatient[] {
  const many = strangers(600).map((s, i) => (i % 4 === 0 ? { ...s, name: [{ family: 'Smith', given: s.name![0].given }] } : s));
  return [...many, p, duplicateOf(p, 'd1', ['typo:given']), duplicateOf(p, 'd2', ['moved', 'new-phone']), ...many.slice(0, 30).map((s, i) => duplicateOf(s, `${s.id}-again`, [Object.keys(corruptions)[i % 10]]))];
}

let model: MatchModel;
let scorer: PairScorer;
beforeAll(() => {
  const features = store().map(patientFeatures);
  model = estimateModel(features, compareCandidates(features, candidatePairs(features)));
  scorer = new PairScorer(model, DEFAULT_MATCH_THRESHOLDS);
});
const score = (a: Patient, b: Patient) => scorer.score(patientFeatures(a), patientFeatures(b));

describe('pair scores', () => {
  it('the learned model is sane: agreement weighs for, disagreement against, λ is small (e-mail: too few to tell)', () => {
    expect(model.converged).toBe(true);
    expect(model.lambda).toBeLessThan(0.01);
    for (const c of model.comparisons.filter((x) => x.name !== 'email')) {
      expect({ [c.name]: Math.log2(c.m[0] / c.u[0]) > 0 }).toEqual({ [c.name]: true });
      expect({ [c.name]: Math.log2(c.m.at(-1)! / c.u.at(-1)!) < 0 }).toEqual({ [c.name]: true });
    }
  });

  it.each(Object.keys(corruptions))('a second record with %s is a certain match', (kind) => {
    expect(score(p, duplicateOf(p, 'x', [kind])).grade).toBe('certain');
  });

  it('two corruptions at once, no SSN, are still certain; a stranger is certainly not', () => {
    expect(score(p, duplicateOf(p, 'x', ['typo:family', 'moved', 'missing:ssn'])).grade).toBe('certain');
    expect(score(p, duplicateOf(p, 'x', ['nickname', 'new-phone', 'missing:ssn'])).grade).toBe('certain');
    for (const s of strangers(20)) expect(score(p, s).grade).toBe('certainly-not');
  });

  it('twins are never certain: not one digit apart, not born the same day with the same SSN, phone and e-mail', () => {
    const twin = twinOf(p, 't');
    expect(score(p, twin).grade).not.toBe('certain');
    const closest = { ...structuredClone(p), id: 't2', name: [{ use: 'official' as const, family: 'Holloway', given: ['Eleanor'] }] };
    const s = score(p, closest);
    expect(s.unrelatedFirstNames).toBe(true);
    expect(s.score).toBeLessThanOrEqual(UNRELATED_FIRST_NAMES_CAP);
    expect(s.grade).toBe('possible');
  });

  it('is symmetric and the same every time', () => {
    const d = duplicateOf(p, 'x', ['typo:given', 'moved']);
    expect(score(d, p)).toEqual(score(p, d));
    expect(score(p, d)).toEqual(score(p, d));
  });

  it('an exact surname agreement counts less when the surname is common', () => {
    const named = (id: string, family: string) => person(id, { name: [{ family, given: ['Robert'] }], identifier: [], telecom: [], address: [], birthDate: '1950-01-01' });
    const common = score(named('a', 'Smith'), named('b', 'Smith'));
    const rare = score(named('a', 'Quennell'), named('b', 'Quennell'));
    expect(common.weight).toBeLessThan(rare.weight - 2);
  });

  it('grades follow the thresholds', () => {
    const t = { match: 0.95, possible: 0.3 };
    expect(gradeOf(0.95, t)).toBe('certain');
    expect(gradeOf(0.9, t)).toBe('probable');
    expect(gradeOf(0.5, t)).toBe('probable');
    expect(gradeOf(0.4, t)).toBe('possible');
    expect(gradeOf(0.3, t)).toBe('possible');
    expect(gradeOf(0.29, t)).toBe('certainly-not');
    expect(gradeOf(0.7, { match: 0.99, possible: 0.8 })).toBe('certainly-not');
    expect(gradeOf(0.85, { match: 0.99, possible: 0.8 })).toBe('probable');
  });
});
