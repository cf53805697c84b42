/**
 * Scores a pair under a model: the Fellegi-Sunter match weight (log2 of the prior odds λ/(1-λ), plus
 * log2(m/u) of each comparison's level, plus the term-frequency adjustment of exact name agreements) turned
 * into a probability, 1 / (1 + 2^-weight). The same pair always gets the same score, whoever asks.
 *
 * One rule stands over the weights: records whose first names are unrelated (not equal, not forms of one name,
 * not a misspelling) are never a certain match, however much else agrees. That is what twins look like: same
 * surname, address, phone, parents and nearly the same birth date. Their score is held below even odds, so
 * they are at most a possible match for a reviewer.
 */
import { COMPARISONS, MISSING, compareInto, comparisonIndex, unrelatedFirstNames } from './comparisons.js';
import { gradeOf, type MatchGrade, type MatchThresholds } from './match-grade.js';
import type { MatchModel } from './match-model.js';
import { agreedName } from './name-comparison.js';
import type { PatientFeatures } from './patient-features.js';
import { frequencyAdjustment } from './term-frequency.js';

/** Where a pair with unrelated first names is held: below even odds, so never certain nor probable. */
export const UNRELATED_FIRST_NAMES_CAP = 0.49;

const GIVEN = comparisonIndex('given');
const FAMILY = comparisonIndex('family');
const EXACT = 0;

export interface PairScore {
  /** Probability that the records are one person, 0..1. */
  score: number;
  grade: MatchGrade;
  /** The match weight in bits, before the first-name rule. */
  weight: number;
  /** The first names are unrelated: the score is held below even odds. */
  unrelatedFirstNames: boolean;
}

export class PairScorer {
  private readonly weights: number[][];
  private readonly priorWeight: number;
  private readonly levels = new Uint8Array(COMPARISONS.length);

  constructor(readonly model: MatchModel, readonly thresholds: MatchThresholds) {
    this.weights = model.comparisons.map((c) => c.m.map((m, l) => Math.log2(m / c.u[l])));
    this.priorWeight = Math.log2(model.lambda / (1 - model.lambda));
  }

  /** The score of `a` and `b`, whose level vector is at `offset` of `levels`. */
  scoreLevels(a: PatientFeatures, b: PatientFeatures, levels: Uint8Array, offset: number): PairScore {
    let weight = this.priorWeight;
    for (let c = 0; c < this.weights.length; c++) {
      const level = levels[offset + c];
      if (level !== MISSING) weight += this.weights[c][level];
    }
    if (levels[offset + GIVEN] === EXACT) weight += this.adjustment('given', agreedName(a.given, b.given));
    if (levels[offset + FAMILY] === EXACT) weight += this.adjustment('family', agreedName(a.family, b.family));
    const unrelated = unrelatedFirstNames(levels, offset);
    const probability = 1 / (1 + 2 ** -weight);
    const score = unrelated ? Math.min(probability, UNRELATED_FIRST_NAMES_CAP) : probability;
    return { score, grade: gradeOf(score, this.thresholds), weight, unrelatedFirstNames: unrelated };
  }

  score(a: PatientFeatures, b: PatientFeatures): PairScore {
    compareInto(a, b, this.levels, 0);
    return this.scoreLevels(a, b, this.levels, 0);
  }

  /** Each comparison's level for a pair, by name (missing ones left out): why a pair scored as it did. */
  explain(levels: Uint8Array, offset: number): Record<string, string> {
    const out: Record<string, string> = {};
    COMPARISONS.forEach((c, i) => {
      if (levels[offset + i] !== MISSING) out[c.name] = c.levels[levels[offset + i]];
    });
    return out;
  }

  private adjustment(field: 'given' | 'family', value: string | undefined): number {
    return value === undefined ? 0 : frequencyAdjustment(this.model.frequencies[field], value);
  }
}
