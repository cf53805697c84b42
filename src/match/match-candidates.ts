/**
 * The stored patients `$match` compares a query patient with: those the store's own indexes find by the
 * query's identifiers, its birth date (also with day and month swapped), phone and e-mail, and the first
 * letters of its names within its birth year or with each other. These are the blocking keys of a whole-store
 * match (blocking.ts) asked of the search indexes instead of held in memory, so one query costs a few indexed
 * lookups whatever the size of the store.
 */
import type { Patient } from 'fhir/r4.js';
import type { ResourceStore, StoredResource } from '../store/resource-store.js';
import type { Criterion, Predicate } from '../search/types.js';
import { transposeDate } from './date-comparison.js';
import type { PatientFeatures } from './patient-features.js';

/** Most records one lookup brings: a key that common is no evidence, and the other lookups still run. */
const PER_LOOKUP = 100;
const PREFIX = 3;

const dayOf = (date: string): Predicate => {
  const lo = Date.parse(`${date}T00:00:00Z`);
  return { kind: 'date', prefix: 'eq', lo, hi: lo + 86_400_000 };
};
const yearOf = (year: string): Predicate => ({ kind: 'date', prefix: 'eq', lo: Date.parse(`${year}-01-01T00:00:00Z`), hi: Date.parse(`${Number(year) + 1}-01-01T00:00:00Z`) });
const prefixOf = (value: string): Predicate => ({ kind: 'string', value: value.slice(0, PREFIX), match: 'prefix' });
const criterion = (param: string, type: Criterion['type'], predicates: Predicate[]): Criterion => ({ param, type, predicates });

/** The candidate patients for `query` (whose features are `f`), by id. */
export async function matchCandidates(store: ResourceStore, query: Patient, f: PatientFeatures): Promise<Map<string, StoredResource>> {
  const searches: Criterion[][] = [];
  if (f.birthDate) {
    const swapped = transposeDate(f.birthDate);
    searches.push([criterion('birthdate', 'date', swapped ? [dayOf(f.birthDate), dayOf(swapped)] : [dayOf(f.birthDate)])]);
  }
  const phones = (query.telecom ?? []).filter((t) => t.system === 'phone' && t.value).map((t) => t.value!);
  if (phones.length) searches.push([criterion('phone', 'token', phones.map((value) => ({ kind: 'token', value })))]);
  if (f.emails.length) searches.push([criterion('email', 'token', f.emails.map((value) => ({ kind: 'token', value })))]);
  const year = f.birthDate?.slice(0, 4);
  const given = f.given[0]?.letters;
  for (const family of f.family.map((p) => p.letters).filter(Boolean)) {
    if (year) searches.push([criterion('family', 'string', [prefixOf(family)]), criterion('birthdate', 'date', [yearOf(year)])]);
    if (given) searches.push([criterion('family', 'string', [prefixOf(family)]), criterion('given', 'string', [prefixOf(given)])]);
  }
  if (given && year) searches.push([criterion('given', 'string', [prefixOf(given)]), criterion('birthdate', 'date', [yearOf(year)])]);

  const found = new Map<string, StoredResource>();
  for (const criteria of searches) {
    const page = await store.search({ resourceType: 'Patient', criteria, sort: [], count: PER_LOOKUP, offset: 0, summaryCount: false });
    for (const r of page.resources) found.set(r.id, r);
  }
  const identifiers = (query.identifier ?? []).filter((i) => i.value).map((i) => ({ resourceType: 'Patient', system: i.system ?? null, value: i.value! }));
  const ids = (await store.findByIdentifiers(identifiers)).flat().filter((id) => !found.has(id));
  for (const id of new Set(ids)) found.set(id, await store.read('Patient', id));
  return found;
}
