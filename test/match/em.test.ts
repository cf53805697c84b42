/**
 * EM on level vectors drawn from a known Fellegi-Sunter mixture: it recovers λ, m and u, its penalised
 * log-likelihood never falls, it converges, a vector ruled out as a match stays out, and with no data it
 * keeps its priors.
 */
import { estimateEm, type LevelParams } from '../../src/match/em.js';
import { MISSING } from '../../src/match/comparisons.js';
import { Random } from '../../src/generate/prng.js';

const TRUE: LevelParams[] = [
  { m: [0.9, 0.07, 0.03], u: [0.05, 0.15, 0.8] },
  { m: [0.85, 0.15], u: [0.1, 0.9] },
  { m: [0.8, 0.1, 0.05, 0.05], u: [0.02, 0.03, 0.15, 0.8] },
  { m: [0.95, 0.05], u: [0.5, 0.5] },
];
const LAMBDA = 0.08;
const PRIORS: LevelParams[] = TRUE.map((p) => ({ m: p.m.map((_, l) => (l === 0 ? 0.7 : 0.3 / (p.m.length - 1))), u: p.u.map((_, l) => (l === p.u.length - 1 ? 0.7 : 0.3 / (p.u.length - 1))) }));

function draw(rng: Random, probs: number[]): number {
  let x = rng.next();
  for (let l = 0; l < probs.length; l++) if ((x -= probs[l]) < 0) return l;
  return probs.length - 1;
}

/** `n` pairs from the mixture, a tenth of values missing, counted by vector. */
function sample(n: number, seed = 7) {
  const rng = new Random(seed);
  const counts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const match = rng.chance(LAMBDA);
    const v = TRUE.map((p) => (rng.chance(0.1) ? MISSING : draw(rng, match ? p.m : p.u)));
    counts.set(v.join(','), (counts.get(v.join(',')) ?? 0) + 1);
  }
  const keys = [...counts.keys()];
  const patterns = new Uint8Array(keys.flatMap((k) => k.split(',').map(Number)));
  return { patterns, counts: Float64Array.from(keys, (k) => counts.get(k)!), levels: TRUE.map((p) => p.m.length) };
}

describe('EM', () => {
  it('recovers λ, m and u of the mixture it is given, converging with a non-decreasing objective', () => {
    const result = estimateEm(sample(200_000), { lambda: 0.3, priors: PRIORS });
    expect(result.converged).toBe(true);
    expect(result.lambda).toBeCloseTo(LAMBDA, 2);
    result.params.forEach((p, c) => {
      p.m.forEach((m, l) => expect(Math.abs(m - TRUE[c].m[l])).toBeLessThan(0.02));
      p.u.forEach((u, l) => expect(Math.abs(u - TRUE[c].u[l])).toBeLessThan(0.01));
      expect(p.m.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 9);
      expect(p.u.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 9);
    });
    for (let i = 1; i < result.objective.length; i++) expect(result.objective[i]).toBeGreaterThanOrEqual(result.objective[i - 1] - 1e-6);
  });

  it('stops at maxIterations when not converged, and reports so', () => {
    const result = estimateEm(sample(20_000), { lambda: 0.3, priors: PRIORS, maxIterations: 2 });
    expect(result.iterations).toBe(2);
    expect(result.converged).toBe(false);
  });

  it('never counts a vector ruled out as a match towards m', () => {
    const input = sample(50_000);
    const k = TRUE.length;
    // Rule out every vector whose first comparison is at its worst level.
    const notMatch = Uint8Array.from(input.counts, (_, p) => (input.patterns[p * k] === 2 ? 1 : 0));
    const result = estimateEm({ ...input, notMatch }, { lambda: 0.3, priors: PRIORS, priorWeight: 20 });
    const expectedPseudo = (20 * PRIORS[0].m[2]) / (result.lambda * 50_000 + 20);
    expect(result.params[0].m[2]).toBeLessThan(expectedPseudo * 1.5);
  });

  it('keeps its priors when there are no pairs at all', () => {
    const result = estimateEm({ patterns: new Uint8Array(0), counts: new Float64Array(0), levels: TRUE.map((p) => p.m.length) }, { lambda: 0.1, priors: PRIORS });
    result.params.forEach((p, c) => {
      p.m.forEach((m, l) => expect(m).toBeCloseTo(PRIORS[c].m[l], 9));
      p.u.forEach((u, l) => expect(u).toBeCloseTo(PRIORS[c].u[l], 9));
    });
  });
});
