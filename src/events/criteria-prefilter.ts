/**
 * A cheap test on the raw JSON text of a changed resource that rules most non-matches out before the
 * delivery worker parses and indexes it. It must never rule out a resource the full match accepts, so it
 * only asks for text the JSON of any match is certain to hold:
 * - a run of characters no JSON writer escapes (ASCII letters, digits and plain punctuation; not `"`, `\`,
 *   `/`, which some writers send as `\/`, nor `<`, `>`, `&`, `'`, which some send as `\u003c` and so on, nor
 *   anything non-ASCII), taken from a value the index copies verbatim out of a JSON string: token codes,
 *   systems and identifier values, reference ids and types, uri values, quantity units;
 * - for string parameters, whose index values are lower-cased and stripped of accents, a run of the
 *   normalised value looked up in the lower-cased JSON, and only when that JSON is plain ASCII without
 *   `\u` escapes (otherwise an accented or escaped letter could stand for the one looked for).
 * Values the index computes rather than copies give no check: booleans (Patient `deceased` is an expression's
 * result), Money's currency system; token values that may be a JSON number's text get a check that allows
 * for the ways JSON can write the number. Negations, `:missing`, dates and number ranges give none.
 * @see https://www.rfc-editor.org/rfc/rfc8259#section-7
 */
import type { Criterion, Predicate } from '../search/types.js';

/**
 * A text the JSON must contain. `folded`: in the lower-cased JSON, valid only for plain ASCII JSON.
 * `numeric`: a token value that may be a JSON number's text, also met by any number written unusually.
 */
interface Needle {
  text: string;
  folded: boolean;
  numeric?: boolean;
}

const UNSAFE = /[^A-Za-z0-9 !#$%()*+,\-.:;=?@[\]^_`{|}~]+/;
const JSON_NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const NOT_PLAIN_ASCII = /[^\u0000-\u007f]|\\u/;
/**
 * A JSON number that may be written unlike String() writes it: with an exponent, or with 16 digits or more
 * (`0.09999999999999999999` reads as 0.1). Text that looks like one inside a string only costs a parse.
 */
const UNUSUAL_NUMBER = /[:,[]\s*-?(?:[\d.]{16,}|\d+(?:\.\d+)?[eE])/;

/** The longest run of never-escaped characters in `value`, or null when there is none. */
function safeRun(value: string): string | null {
  let best = '';
  for (const run of value.split(UNSAFE)) if (run.length > best.length) best = run;
  return best.length > 0 ? best : null;
}

/**
 * A needle from a value the index copies verbatim from a JSON string. Token values may also be booleans or
 * numbers turned into text (`String(value)`), so with `computable`: `true` and `false` give none (an
 * expression can compute them); a number without exponent (`140`, `-1.5`) is the needle as it is, but
 * numeric: JSON text of a number equal to it contains it unless written with an exponent (`1.4e2`) or more
 * digits than a double holds (JSON allows no leading zeros; trailing ones keep it a substring). A number
 * with an exponent gives none.
 */
function copied(value: string | null | undefined, computable = false): Needle | null {
  if (value === null || value === undefined) return null;
  if (computable && (value === 'true' || value === 'false')) return null;
  if (computable && JSON_NUMBER.test(value)) return /[eE]/.test(value) ? null : { text: value, folded: false, numeric: true };
  const text = safeRun(value);
  return text === null ? null : { text, folded: false };
}

function folded(normalised: string): Needle | null {
  const text = safeRun(normalised);
  // Spaces stand for any run of whitespace, written `\n` or `\t` in the JSON: only a run without one is certain.
  const word = text === null ? null : text.split(' ').reduce((a, b) => (b.length > a.length ? b : a), '');
  return word ? { text: word, folded: true } : null;
}

function needleFor(p: Predicate, type: Criterion['type']): Needle | null {
  switch (p.kind) {
    case 'token':
      if (p.not === true) return null;
      if (type === '_id') return copied(p.value);
      return copied(p.value, true) ?? copied(p.system);
    case 'reference':
      return copied(p.id) ?? copied(p.url) ?? copied(p.type);
    case 'uri':
      return p.match === 'above' ? null : copied(p.value);
    case 'number':
      return copied(p.unit);
    case 'string':
      return folded(p.value);
    default:
      return null;
  }
}

/**
 * The needles of each criterion that has a sound check: the JSON of a match holds at least one needle of
 * every list. A criterion with a predicate that has no check (its predicates are ORed) gives no list.
 */
export function criteriaNeedles(resourceType: string, criteria: readonly Criterion[]): Needle[][] {
  const lists: Needle[][] = [[{ text: resourceType, folded: false }]];
  for (const c of criteria) {
    if (c.type === '_lastUpdated' || c.predicates.length === 0) continue;
    const needles = c.predicates.map((p) => needleFor(p, c.type));
    if (needles.every((n): n is Needle => n !== null)) lists.push(needles);
  }
  return lists;
}

/**
 * The texts a match's JSON holds for certain, as they are (neither lower-cased nor a number's text): each from
 * a criterion with one needle, the type's own aside (the reader asks for the type anyway). A store can look
 * for them without handing over the JSON (ResourceStore.changes `containing`).
 */
export function requiredTexts(lists: readonly Needle[][]): string[] {
  return lists.slice(1).flatMap((list) => (list.length === 1 && !list[0].folded && list[0].numeric !== true ? [list[0].text] : []));
}

/** The test itself: every list has a needle in `json`. */
export function containsNeedles(lists: readonly Needle[][], json: string): boolean {
  let lower: string | null | undefined;
  for (const list of lists) {
    const found = list.some((n) => {
      if (!n.folded) return json.includes(n.text) || (n.numeric === true && UNUSUAL_NUMBER.test(json));
      if (lower === undefined) lower = NOT_PLAIN_ASCII.test(json) ? null : json.toLowerCase();
      return lower === null || lower.includes(n.text);
    });
    if (!found) return false;
  }
  return true;
}
