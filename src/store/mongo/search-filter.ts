/**
 * SearchQuery → MongoDB filter. Every operator here is ours; a value from the client is checked to be a
 * string or a finite number and only ever placed as a value (a client `{"$ne": null}` or `$where` arrives
 * as a string and matches literally; regular expressions are built from escaped text).
 * Criteria are ANDed, the predicates of one criterion ORed; each predicate is one `$elemMatch`, so code,
 * system and value must hold in the same index entry. Semantics match the SQLite store (search-sql.ts).
 * @see https://hl7.org/fhir/R4/search.html
 * @see https://www.mongodb.com/docs/manual/reference/operator/query/elemMatch/
 */
import { badRequest } from '../../fhir/outcomes.js';
import { MAX_ABOVE_URI_LENGTH } from '../../search/query-limits.js';
import type { Criterion, IndexedParamType, Predicate, SearchQuery } from '../../search/types.js';
import { dateCondition, numberCondition } from '../range-conditions.js';
import type { MongoFilter } from './collection.js';
import { ENTRY_FIELDS, instantFields, rangeFilter } from './range-filter.js';

type Cond = Record<string, unknown>;

const ARRAYS: Record<IndexedParamType, string> = { token: 'tok', string: 'str', date: 'dt', reference: 'ref', number: 'num', quantity: 'num', uri: 'uri' };
/** Which predicate kinds each parameter type accepts; anything else is a parser bug or a hostile query. */
const KINDS: Record<IndexedParamType, Predicate['kind'][]> = {
  token: ['token', 'missing'], string: ['string', 'missing'], date: ['date', 'missing'], reference: ['reference', 'missing'],
  number: ['number', 'missing'], quantity: ['number', 'missing'], uri: ['uri', 'missing'],
};
const NOTHING: Cond = { _id: { $in: [] } };
const EVERYTHING: Cond = {};

function text(value: unknown, what: string): string {
  if (typeof value !== 'string') throw badRequest(`${what}: search value must be text`, what);
  return value;
}

function num(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw badRequest(`${what}: search value must be a number`, what);
  return value;
}

/** Escapes every character with a meaning in a regular expression. */
export function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function uriPrefixes(value: string, code: string): string[] {
  if (value.length > MAX_ABOVE_URI_LENGTH) throw badRequest(`${code}: uri too long for :above`, code);
  return Array.from({ length: value.length }, (_, i) => value.slice(0, i + 1));
}

/** The condition on one index entry (`c` already set) for a value predicate. */
function entryCondition(p: Exclude<Predicate, { kind: 'missing' }>, code: string, now: number): Cond {
  const cond: Cond = { c: code };
  switch (p.kind) {
    case 'token':
      if (p.system !== undefined) cond.s = p.system === null ? null : text(p.system, code);
      if (p.value !== undefined) cond.v = text(p.value, code);
      return cond;
    case 'string': {
      const v = text(p.value, code);
      if (p.match === 'exact') return { ...cond, v };
      return { ...cond, v: { $regex: (p.match === 'prefix' ? '^' : '') + escapeRegex(v) } };
    }
    case 'date':
      return { ...cond, ...rangeFilter(dateCondition(p.prefix, num(p.lo, code), num(p.hi, code), now), ENTRY_FIELDS) };
    case 'number':
      Object.assign(cond, rangeFilter(numberCondition(p.prefix, num(p.lo, code), num(p.hi, code)), ENTRY_FIELDS));
      if (p.system !== undefined) cond.s = p.system === null ? null : text(p.system, code);
      if (p.unit !== undefined) cond.u = text(p.unit, code);
      return cond;
    case 'reference':
      if (p.type !== undefined) cond.t = text(p.type, code);
      if (p.id !== undefined) cond.i = text(p.id, code);
      if (p.url !== undefined) cond.u = text(p.url, code);
      return cond;
    case 'uri': {
      const v = text(p.value, code);
      if (p.match === 'exact') return { ...cond, v };
      if (p.match === 'below') return { ...cond, v: { $regex: '^' + escapeRegex(v) } };
      return { ...cond, v: { $in: uriPrefixes(v, code) } };
    }
  }
}

function idPredicate(p: Predicate): Cond {
  if (p.kind === 'missing') return p.missing ? NOTHING : EVERYTHING;
  if (p.kind !== 'token' && p.kind !== 'string') throw badRequest('_id takes an id value', '_id');
  const id = text(p.value, '_id');
  return p.kind === 'token' && p.not === true ? { id: { $ne: id } } : { id };
}

function lastUpdatedPredicate(p: Predicate, now: number): Cond {
  if (p.kind === 'missing') return p.missing ? NOTHING : EVERYTHING;
  if (p.kind !== 'date') throw badRequest('_lastUpdated takes a date value', '_lastUpdated');
  return rangeFilter(dateCondition(p.prefix, num(p.lo, '_lastUpdated'), num(p.hi, '_lastUpdated'), now), instantFields('lu'));
}

function indexedPredicate(c: Criterion, p: Predicate, now: number): Cond {
  const type = c.type as IndexedParamType;
  const code = text(c.param, 'parameter');
  if (!KINDS[type]?.includes(p.kind)) throw badRequest(`${code}: a ${String(p.kind)} value does not fit a ${String(c.type)} parameter`, code);
  const field = `idx.${ARRAYS[type]}`;
  if (p.kind === 'missing') {
    const present = { [field]: { $elemMatch: { c: code } } };
    return p.missing ? { $nor: [present] } : present;
  }
  const match = { [field]: { $elemMatch: entryCondition(p, code, now) } };
  return p.kind === 'token' && p.not === true ? { $nor: [match] } : match;
}

function criterionFilter(c: Criterion, now: number): Cond | null {
  if (!Array.isArray(c.predicates) || c.predicates.length === 0) return null;
  const ors = c.predicates.map((p) =>
    c.type === '_id' ? idPredicate(p) : c.type === '_lastUpdated' ? lastUpdatedPredicate(p, now) : indexedPredicate(c, p, now),
  );
  return ors.length === 1 ? ors[0] : { $or: ors };
}

/** The filter selecting the current, live resources of the query's type that match every criterion. */
export function searchFilter(query: SearchQuery, now: number = Date.now()): MongoFilter {
  const filter: MongoFilter = { type: text(query.resourceType, 'resourceType'), deleted: false };
  const and = query.criteria.map((c) => criterionFilter(c, now)).filter((c): c is Cond => c !== null);
  if (and.length > 0) filter.$and = and;
  return filter;
}
