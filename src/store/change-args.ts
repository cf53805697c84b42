/** The arguments of ResourceStore.changes, checked alike by both stores. */
import { badRequest } from '../fhir/outcomes.js';
import type { ChangeQuery } from './resource-store.js';

/** At most this many types in one query's filter. */
const MAX_TYPES = 100;

export function assertChangeArgs(since: number, query: ChangeQuery): void {
  if (!Number.isSafeInteger(since) || since < 0) throw badRequest(`A change number is a whole number from 0, got ${since}`, 'since');
  if (!Number.isSafeInteger(query.limit) || query.limit < 1) throw badRequest(`The change limit must be a positive whole number, got ${query.limit}`, 'limit');
  if (query.types !== undefined && (!Array.isArray(query.types) || query.types.length > MAX_TYPES)) throw badRequest(`At most ${MAX_TYPES} types per change query`, 'types');
  if (query.containing !== undefined && (!Array.isArray(query.containing) || query.containing.length > MAX_TYPES || query.containing.some((t) => typeof t !== 'string' || t === ''))) {
    throw badRequest(`At most ${MAX_TYPES} non-empty texts per change query`, 'containing');
  }
}
