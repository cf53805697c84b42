/**
 * Argument checks both stores apply to leases, system documents and job records, so a bad caller gets the same 400
 * whatever the backend instead of a lease that never expires (NaN) or a key that is not a string.
 */
import { badRequest } from '../fhir/outcomes.js';

const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= 256;

export function assertLeaseArgs(name: unknown, owner: unknown, ttlMs?: unknown): void {
  if (!nonEmpty(name) || !nonEmpty(owner)) throw badRequest('A lease needs a name and an owner (non-empty strings)');
  if (ttlMs !== undefined && (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs <= 0)) throw badRequest(`Invalid lease duration ${String(ttlMs)} ms`);
}

export function assertSystemKey(key: unknown): void {
  if (!nonEmpty(key)) throw badRequest('A system document key is a non-empty string');
}

/** The `system` option of write(): a valid key, and only on an atomic call (a document cannot half-land). */
export function checkSystemOption(options: { atomic?: boolean; system?: { key: string; doc: unknown } }): { key: string; doc: unknown } | undefined {
  if (options.system === undefined) return undefined;
  if (options.atomic !== true) throw badRequest('write() writes a system document only in an atomic call');
  assertSystemKey(options.system?.key);
  return options.system;
}

/** A job record needs a string id, status and created (the store filters and orders by them). */
export function assertJob(record: unknown): void {
  const r = record as Record<string, unknown> | null;
  if (typeof r !== 'object' || r === null || !nonEmpty(r.id) || !nonEmpty(r.status) || !nonEmpty(r.created)) {
    throw badRequest('A job record needs an id, a status and a created time (non-empty strings)');
  }
}

export function assertJobListArgs(options: { statuses?: readonly string[]; limit: number }): void {
  if (!Number.isInteger(options.limit) || options.limit < 0) throw badRequest(`Invalid job list limit ${String(options.limit)}`);
  if (options.statuses !== undefined && !options.statuses.every(nonEmpty)) throw badRequest('Job statuses are non-empty strings');
}
