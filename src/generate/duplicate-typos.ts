/**
 * Keying errors as registration clerks make them, for duplicate records: a neighbouring key struck instead
 * (substitution), two letters swapped (transposition) or a letter left out (deletion). Damerau found most
 * misspellings to be a single such error (or an insertion), so each typo is one Damerau edit: Levenshtein
 * distance 1, or 2 for a transposition. Only the letters are touched: the generator's numeric suffix marks the
 * record as synthetic and is not part of the name a clerk would mistype.
 * @see https://doi.org/10.1145/363958.363994
 */
import type { Random } from './prng.js';

export type TypoKind = 'substitution' | 'transposition' | 'deletion';

const ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

/** Letters next to each letter on a US QWERTY keyboard (same row either side, and the rows above and below). */
export const ADJACENT_KEYS: Record<string, string> = (() => {
  const at = new Map<string, [number, number]>();
  ROWS.forEach((row, r) => [...row].forEach((ch, c) => at.set(ch, [r, c])));
  const map: Record<string, string> = {};
  for (const [ch, [r, c]] of at) {
    // Each row sits about half a key to the right of the one above: a key touches c-1..c+1 in its own row,
    // c..c+1 in the row above and c-1..c in the row below.
    const near = [[r, c - 1], [r, c + 1], [r - 1, c], [r - 1, c + 1], [r + 1, c - 1], [r + 1, c]];
    map[ch] = near.map(([rr, cc]) => ROWS[rr]?.[cc]).filter((k): k is string => k !== undefined).join('');
  }
  return map;
})();

/** The next letter with the case of the letter it replaces, so a typo keeps "Smith" capitalised. */
const withCaseOf = (model: string, letter: string) => (model === model.toUpperCase() ? letter.toUpperCase() : letter.toLowerCase());

const split = (word: string) => /^(.*?)(\d*)$/.exec(word)!.slice(1) as [string, string];

/** The kinds of typo the letters of `word` allow (none for a word too short to misspell recognisably). */
export function typoKinds(word: string): TypoKind[] {
  const chars = [...split(word)[0]];
  const kinds: TypoKind[] = [];
  if (chars.some((ch) => ADJACENT_KEYS[ch.toLowerCase()])) kinds.push('substitution');
  if (chars.some((ch, i) => i > 0 && ch.toLowerCase() !== chars[i - 1].toLowerCase())) kinds.push('transposition');
  // A name of two letters losing one is no longer recognisably a misspelling.
  if (chars.length >= 3) kinds.push('deletion');
  return kinds;
}

/** A typo of the letters of `word` (its trailing digits kept), or undefined when `typoKinds` has none. */
export function typo(rng: Random, word: string): { value: string; kind: TypoKind } | undefined {
  const [letters, suffix] = split(word);
  const chars = [...letters];
  const kinds = typoKinds(word);
  if (!kinds.length) return undefined;
  const kind = rng.pick(kinds);
  if (kind === 'substitution') {
    const i = rng.pick(chars.flatMap((ch, j) => (ADJACENT_KEYS[ch.toLowerCase()] ? [j] : [])));
    chars[i] = withCaseOf(chars[i], rng.pick([...ADJACENT_KEYS[chars[i].toLowerCase()]]));
  } else if (kind === 'transposition') {
    const i = rng.pick(chars.flatMap((ch, j) => (j > 0 && ch.toLowerCase() !== chars[j - 1].toLowerCase() ? [j] : [])));
    const [a, b] = [chars[i - 1], chars[i]];
    chars[i - 1] = withCaseOf(a, b);
    chars[i] = withCaseOf(b, a);
  } else {
    const i = rng.int(0, chars.length - 1);
    chars.splice(i, 1);
    // Dropping the capital leaves the next letter in its place, capitalised as the clerk's software would.
    if (i === 0) chars[0] = withCaseOf(letters[0], chars[0]);
  }
  return { value: chars.join('') + suffix, kind };
}
