/**
 * A state's own age pyramid: the national 2020 pyramid (demographics.json) with each age bin scaled by the
 * state's share of that bin over the nation's, both from the Census Bureau's 2008 state estimates
 * (state-ages.json). Utah comes out young and Maine old, while the ageing of the whole country since 2008
 * is kept. Sex shares by age stay national: the state tables give none (states differ by ~2 points at most).
 */
import { DEMOGRAPHICS, STATE_AGES } from './tables.js';

/** How much more (or less) common than nationally an age is in the state; 1 for a state without a table. */
export function stateAgeFactor(stateCode: string): (age: number) => number {
  const shares = STATE_AGES.shares[stateCode];
  if (!shares) return () => 1;
  const factors = shares.map((share, i) => share / STATE_AGES.nation[i]);
  return (age) => {
    const bin = STATE_AGES.bins.findIndex(([from, to]) => age >= from && age < to);
    return factors[bin === -1 ? factors.length - 1 : bin];
  };
}

/** The state's expected share of its population (percent) in each bin of `bins`, from the scaled pyramid. */
export function stateAgeShape(stateCode: string, bins: [number, number][] = STATE_AGES.bins): number[] {
  const factor = stateAgeFactor(stateCode);
  const totals = bins.map(() => 0);
  let all = 0;
  for (const [from, to, share] of DEMOGRAPHICS.ageBands) {
    for (let age = from; age < to; age++) {
      const weight = (share / (to - from)) * factor(age + 0.5);
      all += weight;
      const bin = bins.findIndex(([lo, hi]) => age >= lo && age < hi);
      if (bin >= 0) totals[bin] += weight;
    }
  }
  return totals.map((t) => (100 * t) / all);
}
