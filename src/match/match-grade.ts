/**
 * From a pair's score (the probability that the two records are one person, 0..1) to FHIR's match-grade:
 * certain at or above the match threshold; probable from even odds (or the possible threshold, if higher) up
 * to it; possible from the possible threshold; certainly-not below. Only certain pairs are ever merged.
 * @see https://hl7.org/fhir/R4/extension-match-grade.html
 */

export const MATCH_GRADE_URL = 'http://hl7.org/fhir/StructureDefinition/match-grade';

export type MatchGrade = 'certain' | 'probable' | 'possible' | 'certainly-not';

/** MEDGEN_MATCH_THRESHOLD and MEDGEN_POSSIBLE_MATCH_THRESHOLD. */
export interface MatchThresholds {
  match: number;
  possible: number;
}

/**
 * Defaults: a merge needs 99% confidence (a wrong merge mixes two people's records, a missed one leaves a
 * duplicate for review), and anything with a 1-in-5 chance is worth a reviewer's look.
 */
export const DEFAULT_MATCH_THRESHOLDS: MatchThresholds = { match: 0.99, possible: 0.2 };

export function gradeOf(score: number, t: MatchThresholds): MatchGrade {
  if (score >= t.match) return 'certain';
  if (score >= Math.max(0.5, t.possible)) return 'probable';
  return score >= t.possible ? 'possible' : 'certainly-not';
}
