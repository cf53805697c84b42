/**
 * Format checks of codes from the large external code systems, which no local expansion can hold: a code
 * that fails these is certainly wrong, one that passes may still not exist. UCUM, which the reference validator
 * holds whole, is judged as a code system (ucum-units.ts).
 * @see https://hl7.org/fhir/R4/terminologies-systems.html
 */
// Verhoeff's dihedral-group tables, as SNOMED CT specifies for its identifiers' check digit.
const D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7], [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/** Whether a digit string carries a valid Verhoeff check digit (its last digit). */
export function verhoeffValid(digits: string): boolean {
  let c = 0;
  for (let i = 0; i < digits.length; i++) c = D[c][P[i % 8][digits.charCodeAt(digits.length - 1 - i) - 48]];
  return c === 0;
}

/** LOINC's mod-10 check digit (`12345-6`): the Luhn scheme over the digits before the dash. */
export function loincCheckDigitValid(code: string): boolean {
  const m = /^(\d{1,7})-(\d)$/.exec(code);
  if (!m) return false;
  let sum = 0;
  const body = m[1];
  for (let i = 0; i < body.length; i++) {
    let d = body.charCodeAt(body.length - 1 - i) - 48;
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return (10 - (sum % 10)) % 10 === Number(m[2]);
}

const SNOMED_ID = /^\d{6,18}$/;
const SNOMED_EXPRESSION = /[:=+|{]/;
/** Why `code` is not a well-formed code of `system`, or undefined when it is (or the system is not checked). */
export function codeFormatProblem(system: string, code: string): string | undefined {
  switch (system) {
    case 'http://snomed.info/sct':
      if (SNOMED_EXPRESSION.test(code)) return undefined;
      return SNOMED_ID.test(code) && verhoeffValid(code) ? undefined : 'not a SNOMED CT identifier (6 to 18 digits with a Verhoeff check digit)';
    case 'http://loinc.org':
      if (/^L[APG]\d+-\d$/.test(code)) return undefined;
      return loincCheckDigitValid(code) ? undefined : 'not a LOINC code (digits, a dash and a mod-10 check digit)';
    case 'http://www.nlm.nih.gov/research/umls/rxnorm':
      return /^\d{1,9}$/.test(code) ? undefined : 'not an RxNorm concept id (digits)';
    case 'http://hl7.org/fhir/sid/cvx':
      return /^\d{1,3}$/.test(code) ? undefined : 'not a CVX code (1 to 3 digits)';
    case 'http://hl7.org/fhir/sid/icd-10':
    case 'http://hl7.org/fhir/sid/icd-10-cm':
      return /^[A-Z]\d[0-9A-Z](\.?[0-9A-Z]{1,4})?$/.test(code) ? undefined : 'not an ICD-10 code (letter, two characters, optional dot and up to four more)';
    default:
      return undefined;
  }
}
