/**
 * Spread draws, for the few choices that decide the figures scripts/compare-cdc.ts checks (age, sex, build,
 * each chronic condition, death). Patient i takes the i-th point of the Halton sequence (the radical inverse of
 * i in a prime base per dimension), shifted at random per seed and dimension (a Cranley-Patterson rotation),
 * instead of an independent draw. Over seeds each value is still uniform on [0, 1) and still depends only on
 * (seed, index), so adding or filtering patients changes no one; but any run of consecutive patients covers
 * [0, 1)^d evenly, so 1,000 patients land within about a point of the population's figures, where independent
 * draws scatter by about two (a Kronecker sequence of √primes did half as well on hypertension by age).
 * @see https://en.wikipedia.org/wiki/Halton_sequence
 */

/** The spread dimensions; chronic module k of modules.json uses `chronic + k`. */
export const SPREAD = { age: 0, sex: 1, bmi: 2, death: 3, chronic: 4 } as const;

const BASES = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71];

/** Point `index` of dimension `dimension` (the radical inverse of `index` in that dimension's prime base), rotated by `shift`. */
export function spreadPoint(index: number, dimension: number, shift: number): number {
  const base = BASES[dimension];
  if (base === undefined) throw new Error(`spread dimension ${dimension} beyond the ${BASES.length} defined`);
  let inverse = 0;
  for (let n = index, scale = 1 / base; n > 0; n = Math.floor(n / base), scale /= base) inverse += (n % base) * scale;
  return (shift + inverse) % 1;
}

/** The standard normal quantile (Acklam's rational approximation, relative error under 1.2e-9). */
export function normalQuantile(u: number): number {
  const p = Math.min(1 - 1e-12, Math.max(1e-12, u));
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155211639];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const tail = (q: number) => (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}
