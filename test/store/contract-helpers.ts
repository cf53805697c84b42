/** Small helpers the contract suite files share: building SearchQuery objects and checking thrown outcomes. */
import { OperationOutcomeError } from '../../src/fhir/outcomes.js';
import type { Criterion, IndexedParamType, Predicate, SearchQuery } from '../../src/search/types.js';
import type { ResourceStore } from '../../src/store/resource-store.js';

export const DAY = 86_400_000;

/** Epoch ms of an ISO date or instant (UTC when no offset is given). */
export const ms = (iso: string): number => Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso);

/** The [lo, hi) range of a calendar day, month or year given as `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. */
export function range(value: string): { lo: number; hi: number } {
  const [y, m, d] = value.split('-').map(Number);
  if (d !== undefined) return { lo: Date.UTC(y, m - 1, d), hi: Date.UTC(y, m - 1, d + 1) };
  if (m !== undefined) return { lo: Date.UTC(y, m - 1, 1), hi: Date.UTC(y, m, 1) };
  return { lo: Date.UTC(y, 0, 1), hi: Date.UTC(y + 1, 0, 1) };
}

export function criterion(param: string, type: IndexedParamType | '_id' | '_lastUpdated', ...predicates: Predicate[]): Criterion {
  return { param, type, predicates };
}

export function query(resourceType: string, criteria: Criterion[] = [], extra: Partial<SearchQuery> = {}): SearchQuery {
  return { resourceType, criteria, sort: [], count: 100, offset: 0, summaryCount: false, ...extra };
}

/** Ids of the matches, in the order the store returned them. */
export async function ids(store: ResourceStore, q: SearchQuery): Promise<string[]> {
  return (await store.search(q)).resources.map((r) => r.id);
}

/** Ids of the matches, sorted, for tests where order is not the point. */
export async function idSet(store: ResourceStore, q: SearchQuery): Promise<string[]> {
  return (await ids(store, q)).sort();
}

/** Awaits a rejection and checks it is an OperationOutcomeError with this status (and diagnostics text). */
export async function expectOutcome(promise: Promise<unknown>, status: number, text?: string): Promise<OperationOutcomeError> {
  let error: unknown;
  try {
    await promise;
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(OperationOutcomeError);
  const e = error as OperationOutcomeError;
  expect(e.status).toBe(status);
  expect(e.outcome.resourceType).toBe('OperationOutcome');
  if (text !== undefined) expect(e.outcome.issue[0].diagnostics).toContain(text);
  return e;
}

/** Waits long enough for the store clock (ms precision) to move on. */
export const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));

/**
 * Checks the `Type/id/version` (or `id/version`) list of a history stream: every one of `required`, and
 * nothing but those and `mayAlso`. MongoDB stores a written resource's prior version again, which then also
 * comes after the next history mark (mongo/history-marks.ts); the prior versions a test wrote over go in
 * `mayAlso`.
 */
export function expectVersions(got: string[], required: string[], mayAlso: string[] = []): void {
  expect(required.filter((v) => !got.includes(v))).toEqual([]);
  expect(got.filter((v) => !required.includes(v) && !mayAlso.includes(v))).toEqual([]);
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}
