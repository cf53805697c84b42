/**
 * The string comparators the matcher's name comparisons stand on, against published values: Jaro-Winkler
 * (Winkler's own examples), one-edit distance (Damerau's four errors), NYSIIS codes, and the nickname table.
 */
import { withinOneEdit } from '../../src/match/edit-distance.js';
import { jaro, jaroWinkler } from '../../src/match/jaro-winkler.js';
import { sameNameForms } from '../../src/match/nicknames.js';
import { nysiis } from '../../src/match/nysiis.js';

describe('Jaro-Winkler', () => {
  it.each([
    ['martha', 'marhta', 0.944, 0.961],
    ['dwayne', 'duane', 0.822, 0.84],
    ['dixon', 'dicksonx', 0.767, 0.813],
  ])('%s ~ %s: Jaro %f, Jaro-Winkler %f (Winkler 1990)', (a, b, j, jw) => {
    expect(jaro(a, b)).toBeCloseTo(j, 3);
    expect(jaroWinkler(a, b)).toBeCloseTo(jw, 3);
    expect(jaroWinkler(b, a)).toBeCloseTo(jw, 3);
  });

  it('is 1 for equal strings, 0 for nothing in common or an empty one, and stays within 0..1', () => {
    expect(jaroWinkler('smith', 'smith')).toBe(1);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
    expect(jaroWinkler('', 'abc')).toBe(0);
    expect(jaroWinkler('', '')).toBe(0);
    for (const [a, b] of [['a', 'a'], ['ab', 'ba'], ['catherine', 'kathryn'], ['x'.repeat(100), 'x'.repeat(99) + 'y']]) {
      expect(jaroWinkler(a, b)).toBeGreaterThanOrEqual(0);
      expect(jaroWinkler(a, b)).toBeLessThanOrEqual(1);
    }
  });

  it('gives long strings the same answer as short ones (its scratch buffers grow)', () => {
    const long = 'abcdefghij'.repeat(20);
    expect(jaroWinkler(long, long.slice(0, -1) + 'z')).toBeGreaterThan(0.99);
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.961, 3);
  });
});

describe('one keying error apart', () => {
  it.each([
    ['smith', 'smith', true],
    ['smith', 'smyth', true], // substitution
    ['smith', 'smth', true], // deletion
    ['smth', 'smith', true], // insertion
    ['smith', 'msith', true], // transposition at the start
    ['smith', 'smiht', true], // transposition at the end
    ['amy', 'may', true],
    ['smith', 'smithers', false],
    ['smith', 'snyth', false],
    ['smith', 'mitsh', false],
    ['ab', 'ba', true],
    ['', 'a', true],
    ['', 'ab', false],
  ])('%s ~ %s: %s', (a, b, expected) => {
    expect(withinOneEdit(a, b)).toBe(expected);
    expect(withinOneEdit(b, a)).toBe(expected);
  });
});

describe('NYSIIS', () => {
  it.each([
    ['Knight', 'NAGT'],
    ['Night', 'NAGT'],
    ['Macintosh', 'MCANT'],
    ['Brown', 'BRAN'],
    ['Browne', 'BRAN'],
    ['Johnson', 'JANSAN'],
    ['Jonson', 'JANSAN'],
    ['Schmidt', 'SNAD'],
    ['Phillips', 'FALAP'],
    ['Evans', 'EVAN'],
    ["O'Brien", 'OBRAN'],
  ])('%s → %s', (name, code) => expect(nysiis(name)).toBe(code));

  it('puts common misspellings of a surname in one code, cuts codes at six letters, and ignores digits', () => {
    expect(nysiis('Philips')).toBe(nysiis('Phillips'));
    expect(nysiis('Carlsen')).toBe(nysiis('Carlson'));
    expect(nysiis('Carlson').length).toBeLessThanOrEqual(6);
    expect(nysiis('Sanders860')).toBe(nysiis('Sanders'));
    expect(nysiis('123')).toBe('');
    expect(nysiis('Smith')).not.toBe(nysiis('Jones'));
  });
});

describe('nickname table', () => {
  it.each([
    ['bill', 'william', true],
    ['william', 'bill', true],
    ['bill', 'will', true], // both forms of William
    ['peggy', 'margaret', true],
    ['chris', 'christine', true],
    ['christopher', 'christine', false], // two names that merely share "Chris"
    ['frances', 'francis', false],
    ['john', 'james', false],
    ['zbigniew', 'zbigniew', true],
    ['zbigniew', 'bill', false],
  ])('%s ~ %s: %s', (a, b, expected) => expect(sameNameForms(a, b)).toBe(expected));
});
