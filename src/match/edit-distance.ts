/**
 * Whether two strings are at most one keying error apart: one letter substituted, inserted or dropped, or
 * two neighbours swapped (the optimal-string-alignment form of Damerau's distance). Damerau found about 80%
 * of misspellings to be one such error, so a name one edit away is much likelier the same name than its
 * Jaro-Winkler score alone says for short names ("Amy" and "May" share no letter within Jaro's window).
 * @see https://doi.org/10.1145/363958.363994
 */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (la === lb) {
    // One substitution at i, or a swap of positions i and i+1.
    if (sameFrom(a, i + 1, b, i + 1)) return true;
    return a.charCodeAt(i) === b.charCodeAt(i + 1) && a.charCodeAt(i + 1) === b.charCodeAt(i) && sameFrom(a, i + 2, b, i + 2);
  }
  // One letter more in the longer string, at position i.
  return la > lb ? sameFrom(a, i + 1, b, i) : sameFrom(a, i, b, i + 1);
}

/** Whether `a` from `i` equals `b` from `j` (compared in place: this runs for millions of name pairs). */
function sameFrom(a: string, i: number, b: string, j: number): boolean {
  if (a.length - i !== b.length - j) return false;
  for (; i < a.length; i++, j++) if (a.charCodeAt(i) !== b.charCodeAt(j)) return false;
  return true;
}
