/**
 * One comma-separated value of a search parameter, read by parameter type into a Predicate.
 * Values are plain data: nothing a client sends ever becomes an operator.
 * @see https://hl7.org/fhir/R4/search.html#ptypes
 */
import { badRequest } from '../fhir/outcomes.js';
import { dateInterval } from './date-interval.js';
import { normaliseString } from './normalise-string.js';
import { splitPrefix, splitUnescaped, numberRange, unescapeValue } from './query-values.js';
import { parseReference } from './parse-reference.js';
import { MAX_ABOVE_URI_LENGTH, checkTextValue } from './query-limits.js';
import type { SearchParameterDef } from './search-parameter.js';
import { isKnownResourceType } from './search-parameters.js';
import type { Predicate } from './types.js';

/** What a predicate parser needs to know: the parameter as written, its definition and its modifier. */
export interface ValueContext {
  name: string;
  def: Pick<SearchParameterDef, 'type' | 'targets'>;
  modifier: string | undefined;
}

export function tokenPredicate(raw: string, { name, modifier }: ValueContext): Predicate {
  const not = modifier === 'not';
  const parts = splitUnescaped(raw, '|');
  if (parts.length > 2) throw badRequest(`Search parameter ${name}: a token is code, system|code, |code or system|, not "${raw}"`, name);
  const predicate: Predicate = { kind: 'token' };
  if (parts.length === 1) predicate.value = unescapeValue(parts[0]);
  else {
    if (parts[0] === '' && parts[1] === '') throw badRequest(`Search parameter ${name}: "|" names neither a system nor a code`, name);
    predicate.system = parts[0] === '' ? null : unescapeValue(parts[0]);
    if (parts[1] !== '') predicate.value = unescapeValue(parts[1]);
  }
  if (not) predicate.not = true;
  return predicate;
}

export function stringPredicate(raw: string, { name, modifier }: ValueContext): Predicate {
  const value = normaliseString(unescapeValue(raw));
  if (value === '') throw badRequest(`Search parameter ${name}: the value is blank`, name);
  checkTextValue(name, value);
  return { kind: 'string', value, match: modifier === 'exact' ? 'exact' : modifier === 'contains' ? 'contains' : 'prefix' };
}

// A `+` in a query string decodes to a space; in a time zone it can only have been meant as `+`.
const DECODED_PLUS_ZONE = / (\d{2}:\d{2})$/;

export function datePredicate(raw: string, { name }: ValueContext): Predicate {
  const { prefix, rest } = splitPrefix(raw);
  const interval = dateInterval(rest.includes('T') ? rest.replace(DECODED_PLUS_ZONE, '+$1') : rest);
  if (interval === null) throw badRequest(`Search parameter ${name}: "${raw}" is not a valid date (YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss][Z|±hh:mm])`, name);
  return { kind: 'date', prefix, lo: interval.lo, hi: interval.hi };
}

export function referencePredicate(raw: string, { name, def, modifier }: ValueContext): Predicate {
  const value = unescapeValue(raw);
  const targets = def.targets ?? [];
  if (modifier !== undefined && !targets.includes(modifier)) throw badRequest(`Search parameter ${name}: ${modifier} is not a target type of this parameter (${targets.join(', ')})`, name);
  if (value.includes('/') || value.includes(':')) {
    const parsed = parseReference(value);
    if (parsed === null) throw badRequest(`Search parameter ${name}: "${raw}" is not a reference`, name);
    if (parsed.url !== null) return { kind: 'reference', url: parsed.url };
    const type = parsed.type as string;
    if (modifier !== undefined && type !== modifier) throw badRequest(`Search parameter ${name}: ${value} is not a ${modifier}`, name);
    if (targets.length > 0 && !targets.includes(type)) throw badRequest(`Search parameter ${name}: ${type} is not a target type of this parameter`, name);
    return { kind: 'reference', type, id: parsed.id as string };
  }
  if (!/^[A-Za-z0-9\-.]{1,64}$/.test(value)) throw badRequest(`Search parameter ${name}: "${raw}" is not a resource id`, name);
  const type = modifier ?? (targets.length === 1 ? targets[0] : undefined);
  return type === undefined ? { kind: 'reference', id: value } : { kind: 'reference', type, id: value };
}

export function numberPredicate(raw: string, { name }: ValueContext): Predicate {
  const { prefix, rest } = splitPrefix(raw);
  const range = numberRange(rest);
  if (range === null) throw badRequest(`Search parameter ${name}: "${raw}" is not a number`, name);
  return { kind: 'number', prefix, lo: range.lo, hi: range.hi };
}

export function quantityPredicate(raw: string, context: ValueContext): Predicate {
  const parts = splitUnescaped(raw, '|');
  if (parts.length !== 1 && parts.length !== 3) throw badRequest(`Search parameter ${context.name}: a quantity is number, number|system|code or number||code, not "${raw}"`, context.name);
  const predicate = numberPredicate(parts[0], context);
  if (predicate.kind !== 'number' || parts.length === 1) return predicate;
  if (parts[1] !== '') predicate.system = unescapeValue(parts[1]);
  if (parts[2] !== '') predicate.unit = unescapeValue(parts[2]);
  return predicate;
}

export function uriPredicate(raw: string, { name, modifier }: ValueContext): Predicate {
  const value = unescapeValue(raw);
  const match = modifier === 'below' ? 'below' : modifier === 'above' ? 'above' : 'exact';
  checkTextValue(name, value, match === 'above' ? MAX_ABOVE_URI_LENGTH : undefined);
  return { kind: 'uri', value, match };
}

export function missingPredicate(raw: string, { name }: ValueContext): Predicate {
  if (raw !== 'true' && raw !== 'false') throw badRequest(`Search parameter ${name}: :missing takes true or false, not "${raw}"`, name);
  return { kind: 'missing', missing: raw === 'true' };
}

/** The modifiers each parameter type supports here (besides `:missing`, which all support). */
export const MODIFIERS: Record<string, readonly string[]> = {
  token: ['not'],
  string: ['exact', 'contains'],
  date: [],
  reference: [],
  number: [],
  quantity: [],
  uri: ['below', 'above'],
};

/** Whether `modifier` is a resource type modifier (`subject:Patient`), valid on reference parameters. */
export const isTypeModifier = (modifier: string) => isKnownResourceType(modifier);
