/**
 * Evaluates parsed search criteria against one resource in memory, for subscriptions: the delivery worker
 * reads changes from the outbox and must pick the ones a subscription's search would find, without asking
 * the store. The values compared are the resource's IndexEntries from computeIndex, the very code both
 * stores index with, and each predicate means what the stores make of it (sqlite/search-sql.ts,
 * sqlite/search-predicates.ts, mongo/search-filter.ts): criteria ANDed, a criterion's predicates ORed, each
 * predicate held by one index entry of the parameter; `:missing` and token `:not` look at all of them;
 * `_id` and `_lastUpdated` come from the resource itself. Prefixes use the stores' own range conditions.
 * @see https://hl7.org/fhir/R4/search.html
 */
import type { Resource } from 'fhir/r4.js';
import { computeIndex } from '../search/index-resource.js';
import type { Criterion, IndexEntries, IndexedParamType, Predicate } from '../search/types.js';
import { dateCondition, numberCondition, type RangeCondition } from '../store/range-conditions.js';

type Entry = { code: string };
type ValuePredicate = Exclude<Predicate, { kind: 'missing' }>;

/** The index entries a parameter type is kept in (number and quantity share one list, as they share a table). */
const LISTS: Record<IndexedParamType, keyof Omit<IndexEntries, 'links'>> = {
  token: 'tokens',
  string: 'strings',
  date: 'dates',
  reference: 'references',
  number: 'numbers',
  quantity: 'numbers',
  uri: 'uris',
};

/** Whether a range condition holds for the given interval or point, as a store evaluates it. */
function holds(cond: RangeCondition, lo: number, hi: number): boolean {
  if ('all' in cond) return cond.all.every((c) => holds(c, lo, hi));
  if ('any' in cond) return cond.any.some((c) => holds(c, lo, hi));
  const left = cond.field === 'hi' ? hi : lo;
  switch (cond.op) {
    case '<': return left < cond.value;
    case '<=': return left <= cond.value;
    case '>': return left > cond.value;
    case '>=': return left >= cond.value;
    case '=': return left === cond.value;
  }
}

/** Whether one index entry of the parameter holds a value predicate (the row condition of the stores). */
function entryMatches(p: ValuePredicate, entry: Entry, now: number): boolean {
  switch (p.kind) {
    case 'token': {
      const e = entry as IndexEntries['tokens'][number];
      if (p.system !== undefined && e.system !== p.system) return false;
      return p.value === undefined || e.value === p.value;
    }
    case 'string': {
      const value = (entry as IndexEntries['strings'][number]).value;
      if (p.match === 'exact') return value === p.value;
      return p.match === 'prefix' ? value.startsWith(p.value) : value.includes(p.value);
    }
    case 'date': {
      const e = entry as IndexEntries['dates'][number];
      return holds(dateCondition(p.prefix, p.lo, p.hi, now), e.lo, e.hi);
    }
    case 'number': {
      const e = entry as IndexEntries['numbers'][number];
      if (!holds(numberCondition(p.prefix, p.lo, p.hi), e.value, e.value)) return false;
      if (p.system !== undefined && e.system !== p.system) return false;
      return p.unit === undefined || e.unit === p.unit;
    }
    case 'reference': {
      const e = entry as IndexEntries['references'][number];
      return (p.type === undefined || e.type === p.type) && (p.id === undefined || e.id === p.id) && (p.url === undefined || e.url === p.url);
    }
    case 'uri': {
      const value = (entry as IndexEntries['uris'][number]).value;
      if (p.match === 'exact') return value === p.value;
      return p.match === 'below' ? value.startsWith(p.value) : value.length > 0 && p.value.startsWith(value);
    }
  }
}

function indexedCriterion(c: Criterion, entries: IndexEntries, now: number): boolean {
  const own = (entries[LISTS[c.type as IndexedParamType]] as Entry[]).filter((e) => e.code === c.param);
  return c.predicates.some((p) => {
    if (p.kind === 'missing') return p.missing === (own.length === 0);
    const found = own.some((e) => entryMatches(p, e, now));
    return p.kind === 'token' && p.not === true ? !found : found;
  });
}

function idCriterion(c: Criterion, id: string | undefined): boolean {
  return c.predicates.some((p) => {
    if (p.kind === 'missing') return !p.missing;
    if (p.kind !== 'token') return false;
    return p.not === true ? id !== p.value : id === p.value;
  });
}

function lastUpdatedCriterion(c: Criterion, lastUpdated: string | undefined, now: number): boolean {
  // The stores keep meta.lastUpdated in whole ms and compare it as the interval [t, t + 1).
  const t = lastUpdated === undefined ? NaN : Date.parse(lastUpdated);
  return c.predicates.some((p) => {
    if (p.kind === 'missing') return !p.missing;
    return p.kind === 'date' && Number.isFinite(t) && holds(dateCondition(p.prefix, p.lo, p.hi, now), t, t + 1);
  });
}

/**
 * Whether `resource` (of the criteria's type, as stored: with id and meta.lastUpdated) meets every criterion.
 * `now` anchors the `ap` prefix of dates, as the store's clock does at search time.
 */
export function matchesCriteria(criteria: readonly Criterion[], resource: Resource, now: number = Date.now()): boolean {
  let entries: IndexEntries | undefined;
  for (const c of criteria) {
    if (c.predicates.length === 0) continue;
    let ok: boolean;
    if (c.type === '_id') ok = idCriterion(c, resource.id);
    else if (c.type === '_lastUpdated') ok = lastUpdatedCriterion(c, resource.meta?.lastUpdated, now);
    else ok = indexedCriterion(c, (entries ??= computeIndex(resource)), now);
    if (!ok) return false;
  }
  return true;
}
