/**
 * Check digits of the code systems the generator writes, so a typo in a data table cannot pass: LOINC codes
 * end in a mod-10 (Luhn) check digit after the hyphen; SNOMED CT identifiers end in a Verhoeff check digit.
 * @see https://loinc.org/kb/users-guide/calculating-mod-10-check-digits/
 * @see https://confluence.ihtsdotools.org/display/DOCRELFMT/6.7+Check-digit
 */

/** Whether `code` is `digits-checkdigit` with a correct LOINC mod-10 check digit. */
export function isValidLoinc(code: string): boolean {
  const m = /^(\d{1,7})-(\d)$/.exec(code);
  if (!m) return false;
  let sum = 0;
  const digits = m[1].split('').reverse().map(Number);
  digits.forEach((d, i) => {
    const v = i % 2 === 0 ? d * 2 : d;
    sum += v > 9 ? v - 9 : v;
  });
  return (10 - (sum % 10)) % 10 === Number(m[2]);
}

const D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6], [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1], [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4], [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
// The permutation table is the first row's permutation applied i times; deriving it avoids a typo'd table.
const P: number[][] = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4]];
for (let i = 2; i < 8; i++) P.push(P[1].map((_, j) => P[i - 1][P[1][j]]));

/** Whether `id` is a SNOMED CT identifier (6-18 digits) with a correct Verhoeff check digit. */
export function isValidSctId(id: string): boolean {
  if (!/^[1-9]\d{5,17}$/.test(id)) return false;
  let c = 0;
  const digits = id.split('').reverse().map(Number);
  digits.forEach((d, i) => {
    c = D[c][P[i % 8][d]];
  });
  return c === 0;
}
