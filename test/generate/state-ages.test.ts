/** State pyramids: each state's census age structure scales the national pyramid, and ages are drawn from it. */
import { sampleAge } from '../../src/generate/person.js';
import { Random } from '../../src/generate/prng.js';
import { stateAgeFactor, stateAgeShape } from '../../src/generate/state-ages.js';
import { STATE_AGES, STATES } from '../../src/generate/tables.js';

test('every state of the generator has an age table whose shares add up to 100', () => {
  for (const [code] of STATES) {
    const shares = STATE_AGES.shares[code];
    expect({ code, total: Math.round(shares.reduce((a, b) => a + b, 0)) }).toEqual({ code, total: 100 });
  }
});

test('Utah comes out younger than the nation and Maine older; each shape adds up to 100', () => {
  const [ut, me] = [stateAgeShape('UT'), stateAgeShape('ME')];
  const under18 = (s: number[]) => s[0] + s[1] + s[2];
  expect(under18(ut)).toBeGreaterThan(under18(me) + 8);
  expect(ut[6]).toBeLessThan(me[6] - 5);
  for (const shape of [ut, me]) expect(shape.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 6);
  expect(stateAgeFactor('XX')(30)).toBe(1);
});

test('ages are drawn in the state\'s shape', () => {
  for (const state of ['UT', 'FL']) {
    const counts = STATE_AGES.bins.map(() => 0);
    const n = 8_000;
    // A span of 0 years: no deaths to correct for, so draws follow the shape itself. One stream per person,
    // as patients have: the age is a spread draw, even across streams (spread.ts).
    for (let i = 0; i < n; i++) {
      const { age } = sampleAge(new Random(7, i), 0, 110, 0, state);
      counts[STATE_AGES.bins.findIndex(([from, to]) => age >= from && age < to)]++;
    }
    const expected = stateAgeShape(state);
    counts.forEach((c, i) => expect({ state, bin: i, off: Math.abs((100 * c) / n - expected[i]) < 1.5 }).toEqual({ state, bin: i, off: true }));
  }
});
