/**
 * Expectation-maximisation of the Fellegi-Sunter model on unlabelled pairs (Winkler 1988): each pair is a
 * mixture of "same person" (probability λ, levels drawn from m) and "two people" (levels from u), the
 * comparisons independent given the class. The E-step gives each distinct level vector its probability of
 * being a match; the M-step re-estimates λ, m and u from those. Pairs are counted by level vector first, so
 * an iteration costs the number of distinct vectors (hundreds), not of pairs (millions).
 *
 * The priors act as pseudo-pairs (a Dirichlet prior, so this is MAP rather than maximum-likelihood EM): a
 * level never seen keeps a little probability instead of a weight of ±∞, and a small store stays near the
 * priors. Each iteration never lowers the penalised log-likelihood returned in `objective`.
 * (Winkler, W. E., Using the EM Algorithm for Weight Computation in the Fellegi-Sunter Model of Record Linkage,
 * Proceedings of the Section on Survey Research Methods, American Statistical Association, 1988.)
 */
import { MISSING } from './comparisons.js';

export interface LevelParams {
  m: number[];
  u: number[];
}

export interface EmInput {
  /** Distinct level vectors, `levels.length` bytes each (MISSING where absent). */
  patterns: Uint8Array;
  /** How many pairs have each vector. */
  counts: Float64Array;
  /** Number of levels of each comparison. */
  levels: number[];
  /** 1 for vectors that cannot be a match (the model's rule, not the data, says so): never counted towards m. */
  notMatch?: Uint8Array;
}

export interface EmOptions {
  /** Starting λ: the share of pairs that are matches. */
  lambda: number;
  /** Starting m and u, also the prior's means. */
  priors: LevelParams[];
  /** Pseudo-pairs of prior per class and comparison (default 20). */
  priorWeight?: number;
  maxIterations?: number;
  /** Stop when no probability moves by more than this (default 1e-7). */
  tolerance?: number;
}

export interface EmResult {
  lambda: number;
  params: LevelParams[];
  iterations: number;
  converged: boolean;
  /** Penalised log-likelihood after each iteration (non-decreasing). */
  objective: number[];
}

const FLOOR = 1e-12;

export function estimateEm(input: EmInput, options: EmOptions): EmResult {
  const { patterns, counts, levels, notMatch } = input;
  const k = levels.length;
  const n = counts.length;
  const weight = options.priorWeight ?? 20;
  const maxIterations = options.maxIterations ?? 500;
  const tolerance = options.tolerance ?? 1e-7;
  let lambda = Math.min(1 - 1e-6, Math.max(1e-6, options.lambda));
  let params = options.priors.map((p) => ({ m: [...p.m], u: [...p.u] }));
  const matchShare = new Float64Array(n);
  const objective: number[] = [];
  let converged = false;
  let iterations = 0;
  while (iterations < maxIterations && !converged) {
    iterations++;
    // E-step, in logs: a pair of twenty agreeing fields underflows a product of probabilities.
    const logM = params.map((p) => p.m.map((x) => Math.log(Math.max(x, FLOOR))));
    const logU = params.map((p) => p.u.map((x) => Math.log(Math.max(x, FLOOR))));
    let logLikelihood = 0;
    for (let p = 0; p < n; p++) {
      let a = Math.log(lambda);
      let b = Math.log(1 - lambda);
      for (let c = 0; c < k; c++) {
        const level = patterns[p * k + c];
        if (level === MISSING) continue;
        a += logM[c][level];
        b += logU[c][level];
      }
      if (notMatch?.[p]) {
        logLikelihood += counts[p] * b;
        matchShare[p] = 0;
        continue;
      }
      const top = Math.max(a, b);
      logLikelihood += counts[p] * (top + Math.log(Math.exp(a - top) + Math.exp(b - top)));
      matchShare[p] = 1 / (1 + Math.exp(b - a));
    }
    objective.push(logLikelihood + logPrior(params, options.priors, weight));
    // M-step.
    let matches = 0;
    let total = 0;
    const mCounts = levels.map((l) => new Float64Array(l));
    const uCounts = levels.map((l) => new Float64Array(l));
    for (let p = 0; p < n; p++) {
      const w = matchShare[p] * counts[p];
      const v = (1 - matchShare[p]) * counts[p];
      matches += w;
      total += counts[p];
      for (let c = 0; c < k; c++) {
        const level = patterns[p * k + c];
        if (level === MISSING) continue;
        mCounts[c][level] += w;
        uCounts[c][level] += v;
      }
    }
    const next = options.priors.map((prior, c) => ({
      m: smoothed(mCounts[c], prior.m, weight),
      u: smoothed(uCounts[c], prior.u, weight),
    }));
    const nextLambda = Math.min(1 - 1e-9, Math.max(1e-9, total > 0 ? matches / total : lambda));
    let change = Math.abs(nextLambda - lambda);
    for (let c = 0; c < k; c++) {
      for (let l = 0; l < levels[c]; l++) change = Math.max(change, Math.abs(next[c].m[l] - params[c].m[l]), Math.abs(next[c].u[l] - params[c].u[l]));
    }
    params = next;
    lambda = nextLambda;
    converged = change < tolerance;
  }
  return { lambda, params, iterations, converged, objective };
}

/** The posterior mean under pseudo-counts `weight × prior`. */
function smoothed(observed: Float64Array, prior: number[], weight: number): number[] {
  let sum = weight;
  for (const x of observed) sum += x;
  return prior.map((p, l) => (observed[l] + weight * p) / sum);
}

function logPrior(params: LevelParams[], priors: LevelParams[], weight: number): number {
  let s = 0;
  params.forEach((p, c) => {
    priors[c].m.forEach((q, l) => (s += weight * q * Math.log(Math.max(p.m[l], FLOOR))));
    priors[c].u.forEach((q, l) => (s += weight * q * Math.log(Math.max(p.u[l], FLOOR))));
  });
  return s;
}
