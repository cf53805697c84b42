/** MEDGEN_MATCH_THRESHOLD and MEDGEN_POSSIBLE_MATCH_THRESHOLD: defaults, values, and refusals. */
import { loadConfig } from '../../src/config.js';
import { DEFAULT_MATCH_THRESHOLDS } from '../../src/match/match-grade.js';

describe('match thresholds', () => {
  it('default to 0.99 and 0.2, read the environment, and take overrides', () => {
    expect(loadConfig({})).toMatchObject({ matchThreshold: DEFAULT_MATCH_THRESHOLDS.match, possibleMatchThreshold: DEFAULT_MATCH_THRESHOLDS.possible });
    expect(DEFAULT_MATCH_THRESHOLDS).toEqual({ match: 0.99, possible: 0.2 });
    expect(loadConfig({ MEDGEN_MATCH_THRESHOLD: '0.95', MEDGEN_POSSIBLE_MATCH_THRESHOLD: '0.5' })).toMatchObject({ matchThreshold: 0.95, possibleMatchThreshold: 0.5 });
    expect(loadConfig({ MEDGEN_MATCH_THRESHOLD: '0.95' }, { matchThreshold: 0.9 }).matchThreshold).toBe(0.9);
  });

  it.each([
    [{ MEDGEN_MATCH_THRESHOLD: '1' }, /MEDGEN_MATCH_THRESHOLD must be a number between 0 and 1/],
    [{ MEDGEN_MATCH_THRESHOLD: 'high' }, /MEDGEN_MATCH_THRESHOLD must be a number between 0 and 1/],
    [{ MEDGEN_POSSIBLE_MATCH_THRESHOLD: '0' }, /MEDGEN_POSSIBLE_MATCH_THRESHOLD must be a number between 0 and 1/],
    [{ MEDGEN_MATCH_THRESHOLD: '0.5', MEDGEN_POSSIBLE_MATCH_THRESHOLD: '0.5' }, /must be below MEDGEN_MATCH_THRESHOLD/],
  ])('refuses %p', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});
