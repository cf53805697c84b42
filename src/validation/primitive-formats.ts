/**
 * The value rules of primitive types that the JSON schema's patterns cannot state: the schema puts its
 * integer patterns on JSON numbers (where they do not apply), checks dates by shape and not by calendar, lets
 * a code hold a tab, and gives base64Binary no pattern at all. Run by the element walk on each primitive
 * value of the named type, as the reference validator's type-specific checks are.
 * @see https://hl7.org/fhir/R4/datatypes.html#primitive
 */
import { issue } from '../fhir/outcomes.js';
import { checkBase64 } from './base64.js';
import { pathOf, type WalkContext } from './walk-context.js';

type PrimitiveRule = (value: unknown, ctx: WalkContext) => void;

/** integer, and so positiveInt and unsignedInt, is a signed 32-bit whole number. */
const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

function integerRule(minimum?: number): PrimitiveRule {
  return (value, ctx) => {
    if (typeof value !== 'number') return;
    if (!Number.isInteger(value) || value < INT_MIN || value > INT_MAX) {
      ctx.issues.push(issue('error', 'value', `The value '${value}' is not a valid integer`, pathOf(ctx)));
    } else if (minimum !== undefined && value < minimum) {
      ctx.issues.push(issue('error', 'value', `value is less than permitted minimum value of ${minimum}`, pathOf(ctx)));
    }
  };
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const digits = (s: string, from: number, to: number) => {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + s.charCodeAt(i) - 48;
  return n;
};
const leap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const DATE_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9];

/**
 * Whether the day of a `YYYY-MM-DD…` value exists in its month (2020-02-30 does not, 2020-02-29 does). A value
 * of another shape passes here: the schema's pattern judges shapes.
 */
function dayExists(s: string): boolean {
  if (s.length < 10) return true;
  const day = digits(s, 8, 10);
  // Every month has 28 days: most values end here, and this runs on every date of every resource.
  if (day <= 28 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return true;
  for (const i of DATE_DIGITS) if (!isDigit(s.charCodeAt(i))) return true;
  const month = digits(s, 5, 7);
  if (month < 1 || month > 12) return true;
  return day <= (month === 2 && leap(digits(s, 0, 4)) ? 29 : DAYS[month - 1]);
}

function calendarRule(message: (value: string) => string): PrimitiveRule {
  return (value, ctx) => {
    if (typeof value === 'string' && !dayExists(value)) ctx.issues.push(issue('error', 'value', message(value), pathOf(ctx)));
  };
}

/**
 * Unicode's White_Space characters but the space, which the reference validator refuses anywhere in a code.
 * Leading, trailing and doubled spaces are the JSON schema's pattern's to report; it misses a single tab
 * between words and any non-ASCII space (a no-break space).
 */
const OTHER_WHITESPACE = new Set([9, 10, 11, 12, 13, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288]);

function hasOtherWhitespace(code: string): boolean {
  for (let i = 0; i < code.length; i++) {
    const c = code.charCodeAt(i);
    // Printable ASCII, most of every code, needs no set lookup.
    if ((c < 32 || c > 126) && OTHER_WHITESPACE.has(c)) return true;
  }
  return false;
}

const code: PrimitiveRule = (value, ctx) => {
  if (typeof value === 'string' && hasOtherWhitespace(value)) {
    ctx.issues.push(issue('error', 'invalid', `The code '${value.slice(0, 200)}' is not valid (whitespace rules)`, pathOf(ctx)));
  }
};

/** Base64 with whitespace is tolerated in R4 and discouraged: a warning, as the reference validator gives. */
const base64Binary: PrimitiveRule = (value, ctx) => {
  if (typeof value !== 'string') return;
  const { valid, whitespace } = checkBase64(value);
  if (!valid) {
    ctx.issues.push(issue('error', 'value', `The value '${value.length > 100 ? `${value.slice(0, 100)}…` : value}' is not a valid Base64 value`, pathOf(ctx)));
  } else if (whitespace) {
    ctx.issues.push(issue('warning', 'value', 'Base64 encoded values SHOULD not contain any whitespace (per RFC 4648)', pathOf(ctx)));
  }
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const OID = /^[0-2](\.(0|[1-9][0-9]*))+$/;

/**
 * A URI in the `urn:uuid:` namespace holds a valid UUID in lower case (RFC 4122 output), a fragment or a
 * canonical's `|version` aside; one in `urn:oid:` is a valid OID as a whole. As in the reference validator, a
 * very short OID (its last dot among the first four characters, `1.2.3`) is refused unless under 1.3.
 * @see https://hl7.org/fhir/R4/datatypes.html#uri
 */
function uriRule(canonical: boolean): PrimitiveRule {
  return (value, ctx) => {
    if (typeof value !== 'string' || !value.startsWith('urn:')) return;
    let id = value;
    const hash = id.indexOf('#');
    if (hash >= 0) id = id.slice(0, hash);
    if (canonical && id.includes('|')) id = id.slice(0, id.lastIndexOf('|'));
    if (id.startsWith('urn:uuid:') && !UUID.test(id.slice(9))) {
      ctx.issues.push(issue('error', 'invalid', `UUIDs must be valid and lowercase (${id.slice(9, 109)})`, pathOf(ctx)));
    } else if (value.startsWith('urn:oid:')) {
      const oid = value.slice(8);
      if (!OID.test(oid) || (oid.lastIndexOf('.') < 4 && !oid.startsWith('1.3'))) ctx.issues.push(issue('error', 'invalid', `OIDs must be valid (${oid.slice(0, 100)})`, pathOf(ctx)));
    }
  };
}

/** Rules by primitive type name, run on every value of that type that is not an extension-only `_x`. */
export const PRIMITIVE_RULES: Record<string, PrimitiveRule | undefined> = {
  integer: integerRule(),
  unsignedInt: integerRule(0),
  positiveInt: integerRule(1),
  date: calendarRule((v) => `Not a valid date format: '${v}'`),
  dateTime: calendarRule((v) => `Not a valid date/time format: '${v}'`),
  instant: calendarRule((v) => `Not a valid instant (Invalid date/time format: "${v}")`),
  code,
  base64Binary,
  uri: uriRule(false),
  url: uriRule(false),
  canonical: uriRule(true),
};
