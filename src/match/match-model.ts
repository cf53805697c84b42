/**
 * The matcher's model of one store, all learned from the store's own patients (Splink's recipe):
 * - m, the probability of each comparison level for two records of one person: EM over the candidate pairs
 *   blocking finds (em.ts), which hold nearly every match;
 * - u, the same for two different people: random pairs of the store (random-pairs.ts);
 * - λ, the probability that two records taken at random are one person: EM's expected number of matches
 *   among the candidates over the number of all pairs;
 * - the frequencies of first and last names, for the term-frequency adjustment.
 * `dedupe` estimates it and keeps it as a system document, which `$match` reads, so both score a pair alike;
 * a store without one gets it estimated at its first `$match`.
 */
import type { ResourceStore } from '../store/resource-store.js';
import type { CandidatePairs } from './blocking.js';
import { COMPARISONS, compareInto, unrelatedFirstNames } from './comparisons.js';
import { estimateEm } from './em.js';
import type { PatientFeatures } from './patient-features.js';
import { randomPairLevelCounts } from './random-pairs.js';
import { termFrequencies, type TermFrequencies } from './term-frequency.js';

export const MATCH_MODEL_KEY = 'match-model';

export interface MatchModel {
  estimatedAt: string;
  /** Patients, candidate pairs and random pairs the estimate saw. */
  patients: number;
  pairs: number;
  sampledPairs: number;
  /** Probability that two records taken at random are one person. */
  lambda: number;
  /** EM's share of matches among the candidate pairs. */
  candidateLambda: number;
  iterations: number;
  converged: boolean;
  comparisons: { name: string; levels: string[]; m: number[]; u: number[] }[];
  frequencies: { given: TermFrequencies; family: TermFrequencies };
}

/** The share of candidate pairs EM starts from: blocking brings each record a few dozen others, one of them perhaps itself. */
const START_LAMBDA = 0.02;

/** The level vectors of the candidate pairs, COMPARISONS.length bytes each. */
export function compareCandidates(features: readonly PatientFeatures[], pairs: CandidatePairs): Uint8Array {
  const k = COMPARISONS.length;
  const levels = new Uint8Array(pairs.left.length * k);
  for (let p = 0; p < pairs.left.length; p++) compareInto(features[pairs.left[p]], features[pairs.right[p]], levels, p * k);
  return levels;
}

/** Distinct level vectors and their counts, EM's input. */
function patternsOf(levels: Uint8Array): { patterns: Uint8Array; counts: Float64Array } {
  const k = COMPARISONS.length;
  const index = new Map<string, number>();
  const firsts: number[] = [];
  const counts: number[] = [];
  for (let p = 0; p < levels.length / k; p++) {
    const key = String.fromCharCode(...levels.subarray(p * k, p * k + k));
    const at = index.get(key);
    if (at === undefined) {
      index.set(key, counts.length);
      firsts.push(p);
      counts.push(1);
    } else counts[at]++;
  }
  const patterns = new Uint8Array(firsts.length * k);
  firsts.forEach((p, i) => patterns.set(levels.subarray(p * k, p * k + k), i * k));
  return { patterns, counts: Float64Array.from(counts) };
}

/** The model learned from `features` (the store's patients) and the level vectors of their candidate pairs. */
export function estimateModel(features: readonly PatientFeatures[], levels: Uint8Array): MatchModel {
  const k = COMPARISONS.length;
  const { patterns, counts } = patternsOf(levels);
  const notMatch = Uint8Array.from(counts, (_, p) => (unrelatedFirstNames(patterns, p * k) ? 1 : 0));
  const em = estimateEm(
    { patterns, counts, levels: COMPARISONS.map((c) => c.levels.length), notMatch },
    { lambda: START_LAMBDA, priors: COMPARISONS.map((c) => c.prior) },
  );
  const random = randomPairLevelCounts(features);
  const pairs = levels.length / k;
  const allPairs = (features.length * (features.length - 1)) / 2;
  return {
    estimatedAt: new Date().toISOString(),
    patients: features.length,
    pairs,
    sampledPairs: random.pairs,
    lambda: Math.min(0.5, Math.max(1e-12, allPairs > 0 ? (em.lambda * pairs) / allPairs : START_LAMBDA)),
    candidateLambda: em.lambda,
    iterations: em.iterations,
    converged: em.converged,
    comparisons: COMPARISONS.map((c, i) => ({ name: c.name, levels: [...c.levels], m: em.params[i].m, u: randomU(random.counts[i], c.prior.u) })),
    frequencies: {
      given: termFrequencies(features.flatMap((f) => (f.given[0] ? [f.given[0].text] : []))),
      family: termFrequencies(features.flatMap((f) => (f.family[0] ? [f.family[0].text] : []))),
    },
  };
}

/** u from the random pairs' counts, with one pseudo-pair spread as the prior: a level never drawn keeps a little. */
function randomU(counts: Float64Array, prior: number[]): number[] {
  const total = counts.reduce((s, x) => s + x, 0);
  return prior.map((p, l) => (counts[l] + p) / (total + 1));
}

/** Whether a stored model fits this code's comparisons (a changed comparison needs a new estimate). */
function fits(model: MatchModel): boolean {
  return model.comparisons?.length === COMPARISONS.length && COMPARISONS.every((c, i) => model.comparisons[i].name === c.name && model.comparisons[i].levels.join() === c.levels.join());
}

export async function loadMatchModel(store: ResourceStore): Promise<MatchModel | null> {
  const model = await store.getSystem<MatchModel>(MATCH_MODEL_KEY);
  return model && fits(model) ? model : null;
}

export const saveMatchModel = (store: ResourceStore, model: MatchModel) => store.putSystem(MATCH_MODEL_KEY, model);

