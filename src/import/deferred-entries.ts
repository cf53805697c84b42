/**
 * Entries put aside because a reference target was not there yet: NDJSON files and collections may hold a
 * resource before the ones it references (a DiagnosticReport before its result Observations, across a
 * chunk boundary). They are processed once more after the whole input, when a target that was only late is
 * stored; one still missing then fails as usual. Transactions are never deferred (all or nothing, at once).
 * At most MAX_DEFERRED entries are held, so memory stays bounded; beyond it, entries fail at once.
 */
import type { Resource } from 'fhir/r4.js';
import type { ImportEntry, ImportUnit } from './import-types.js';
import { CHUNK } from './bundle-units.js';

export const MAX_DEFERRED = 20_000;

export class DeferredEntries {
  private entries: ImportEntry[] = [];
  private draining = false;

  /** Takes the entry (with its references already resolved) unless the last pass is running or the cap is reached. */
  offer(entry: ImportEntry, resource: Resource): boolean {
    if (this.draining || this.entries.length >= MAX_DEFERRED) return false;
    this.entries.push({ ...entry, resource, fullUrl: undefined, ifNoneExist: undefined });
    return true;
  }

  /** The held entries as units for the last pass; nothing is deferred again after this. */
  *drain(): Generator<ImportUnit> {
    this.draining = true;
    const entries = this.entries;
    this.entries = [];
    for (let i = 0; i < entries.length; i += CHUNK) yield { entries: entries.slice(i, i + CHUNK), atomic: false };
  }
}
