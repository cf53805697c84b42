/**
 * Jaro-Winkler similarity (0 = nothing in common, 1 = equal): the string comparator the US Census Bureau
 * developed for comparing names in record linkage. Jaro counts characters the two strings share
 * within a window of half the longer length, and the transpositions among them; Winkler adds a bonus for a
 * common prefix of up to four characters, since typing errors are rarer at the start of a name.
 * (Winkler, W. E., String Comparator Metrics and Enhanced Decision Rules in the Fellegi-Sunter Model of Record
 * Linkage, Proceedings of the Section on Survey Research Methods, American Statistical Association, 1990.)
 */

/** Winkler's prefix scale: each shared leading character (up to four) closes a tenth of the remaining gap. */
const PREFIX_SCALE = 0.1;
const MAX_PREFIX = 4;

// Scratch flags reused by every call: a whole-store match compares millions of names.
let usedB = new Uint8Array(64);
let matchedA = new Uint8Array(64);

/** Jaro similarity of `a` and `b`. */
export function jaro(a: string, b: string): number {
  if (a === b) return a.length === 0 ? 0 : 1;
  if (a.length === 0 || b.length === 0) return 0;
  const window = Math.max(0, (Math.max(a.length, b.length) >> 1) - 1);
  if (b.length > usedB.length) usedB = new Uint8Array(b.length * 2);
  if (a.length > matchedA.length) matchedA = new Uint8Array(a.length * 2);
  usedB.fill(0, 0, b.length);
  matchedA.fill(0, 0, a.length);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    const from = Math.max(0, i - window);
    const to = Math.min(b.length - 1, i + window);
    for (let j = from; j <= to; j++) {
      if (usedB[j] || a.charCodeAt(i) !== b.charCodeAt(j)) continue;
      usedB[j] = 1;
      matchedA[i] = 1;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  // Transpositions: matched characters taken in order from each string that differ, halved.
  let half = 0;
  for (let i = 0, j = 0; i < a.length; i++) {
    if (!matchedA[i]) continue;
    while (!usedB[j]) j++;
    if (a.charCodeAt(i) !== b.charCodeAt(j)) half++;
    j++;
  }
  return (matches / a.length + matches / b.length + (matches - half / 2) / matches) / 3;
}

/** Jaro-Winkler similarity of `a` and `b`. */
export function jaroWinkler(a: string, b: string): number {
  const j = jaro(a, b);
  let prefix = 0;
  while (prefix < MAX_PREFIX && prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  return j + prefix * PREFIX_SCALE * (1 - j);
}
