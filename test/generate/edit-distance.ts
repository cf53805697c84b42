/** Edit distances the duplicate tests measure typos and twins' birth dates with. */

/** Insertions, deletions and substitutions (Levenshtein): a transposition counts 2. */
export function levenshtein(a: string, b: string): number {
  return optimalStringAlignment(a, b, false);
}

/** Levenshtein plus transposition of neighbours as one edit (Damerau, optimal string alignment). */
export function optimalStringAlignment(a: string, b: string, transpositions = true): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (transpositions && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** Positions at which two strings of the same length differ. */
export function digitsApart(a: string, b: string): number {
  if (a.length !== b.length) return Infinity;
  return [...a].filter((ch, i) => ch !== b[i]).length;
}
