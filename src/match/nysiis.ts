/**
 * NYSIIS (New York State Identification and Intelligence System, Taft 1970): a phonetic code of a name, so
 * that "Brown" and "Browne", or "Knight" and "Night", share a code. It keeps vowel positions (as "A") and more
 * of the consonant structure than Soundex, so fewer unrelated surnames share a code; Taft's comparison found
 * it the more accurate of the two. Used for blocking and as a name comparison level. Only the letters A-Z take
 * part; the code is cut at six characters, as the original is.
 * (Taft, R. L., Name Search Techniques, New York State Identification and Intelligence System, 1970.)
 */

const VOWELS = new Set(['A', 'E', 'I', 'O', 'U']);
const MAX_LENGTH = 6;

const START: [string, string][] = [['MAC', 'MCC'], ['KN', 'NN'], ['K', 'C'], ['PH', 'FF'], ['PF', 'FF'], ['SCH', 'SSS']];
const END: [string, string][] = [['EE', 'Y'], ['IE', 'Y'], ['DT', 'D'], ['RT', 'D'], ['RD', 'D'], ['NT', 'D'], ['ND', 'D']];

/** The NYSIIS code of `name` ('' for a name without letters). */
export function nysiis(name: string): string {
  let word = name.toUpperCase().replace(/[^A-Z]/g, '');
  if (word.length === 0) return '';
  for (const [from, to] of START) {
    if (word.startsWith(from)) {
      word = to + word.slice(from.length);
      break;
    }
  }
  for (const [from, to] of END) {
    if (word.endsWith(from)) {
      word = word.slice(0, -from.length) + to;
      break;
    }
  }
  // The scan rewrites the word in place: "the preceding letter" below is the preceding letter as rewritten.
  const w = [...word];
  let key = w[0];
  for (let i = 1; i < w.length; i++) {
    const c = w[i];
    if (c === 'E' && w[i + 1] === 'V') {
      w[i] = 'A';
      w[i + 1] = 'F';
    } else if (VOWELS.has(c)) w[i] = 'A';
    else if (c === 'Q') w[i] = 'G';
    else if (c === 'Z') w[i] = 'S';
    else if (c === 'M') w[i] = 'N';
    else if (c === 'K') w[i] = w[i + 1] === 'N' ? 'N' : 'C';
    else if (c === 'S' && w[i + 1] === 'C' && w[i + 2] === 'H') w[i] = w[i + 1] = w[i + 2] = 'S';
    else if (c === 'P' && w[i + 1] === 'H') w[i] = w[i + 1] = 'F';
    else if (c === 'H' && (!VOWELS.has(w[i - 1]) || (i + 1 < w.length && !VOWELS.has(w[i + 1])))) w[i] = w[i - 1];
    else if (c === 'W' && VOWELS.has(w[i - 1])) w[i] = w[i - 1];
    if (w[i] !== key[key.length - 1]) key += w[i];
  }
  if (key.length > 1 && key.endsWith('S')) key = key.slice(0, -1);
  if (key.length > 2 && key.endsWith('AY')) key = key.slice(0, -2) + 'Y';
  if (key.length > 1 && key.endsWith('A')) key = key.slice(0, -1);
  return key.slice(0, MAX_LENGTH);
}
