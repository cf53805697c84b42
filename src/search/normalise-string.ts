/**
 * The string normalisation shared by the index and the query parser, so that `name=josé` finds `Jose`:
 * lower case, accents removed (NFD, combining marks dropped), runs of whitespace collapsed to one space.
 * @see https://hl7.org/fhir/R4/search.html#string
 */

const COMBINING_MARKS = /[\u0300-\u036f]/g;
const NON_ASCII = /[^\u0000-\u007f]/;
const WHITESPACE_RUN = /\s+/g;
const NEEDS_SPACE_FIX = /\s\s|[\t\n\r\f\v]|^\s|\s$/;

export function normaliseString(value: string): string {
  let s = value;
  // Most values are plain ASCII; skip the Unicode normalisation (the costly part) for them.
  if (NON_ASCII.test(s)) s = s.normalize('NFD').replace(COMBINING_MARKS, '');
  s = s.toLowerCase();
  if (NEEDS_SPACE_FIX.test(s)) s = s.replace(WHITESPACE_RUN, ' ').trim();
  return s;
}
