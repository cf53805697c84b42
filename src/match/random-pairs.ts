/**
 * u-probabilities from random pairs of the store's records (Splink's "estimate u by random sampling"): how
 * often two records taken at random, nearly always two different people, agree at each level. EM on the
 * candidate pairs cannot tell this: blocking picked those pairs for agreeing, so among them a shared surname
 * or birth date is common and would look like little evidence. Up to SAMPLE pairs are drawn (all pairs of a
 * small store), from a fixed seed so the same store always gives the same model and the same scores.
 */
import { Random } from '../generate/prng.js';
import { COMPARISONS, MISSING, compareInto } from './comparisons.js';
import type { PatientFeatures } from './patient-features.js';

/** Enough for levels as rare as one pair in 100,000 to be seen some ten times. */
const SAMPLE = 1_000_000;
const SEED = 19;

/** How many pairs were drawn, and per comparison how many fell at each level (missing ones not counted). */
export function randomPairLevelCounts(features: readonly PatientFeatures[]): { pairs: number; counts: Float64Array[] } {
  const counts = COMPARISONS.map((c) => new Float64Array(c.levels.length));
  const levels = new Uint8Array(COMPARISONS.length);
  const add = (i: number, j: number) => {
    compareInto(features[i], features[j], levels, 0);
    for (let c = 0; c < levels.length; c++) if (levels[c] !== MISSING) counts[c][levels[c]]++;
  };
  const n = features.length;
  if ((n * (n - 1)) / 2 <= SAMPLE) {
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) add(i, j);
    return { pairs: (n * (n - 1)) / 2, counts };
  }
  // Drawn first, then compared in order of the first record: the comparisons are bound by memory reads, and
  // records taken in order are read far faster than records taken at random.
  const rng = new Random(SEED);
  const codes = new Float64Array(SAMPLE);
  for (let k = 0; k < SAMPLE; k++) {
    const i = rng.int(0, n - 1);
    let j = rng.int(0, n - 2);
    if (j >= i) j++;
    codes[k] = i * n + j;
  }
  codes.sort();
  for (const code of codes) add(Math.floor(code / n), code % n);
  return { pairs: SAMPLE, counts };
}
