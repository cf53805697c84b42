/**
 * Entries put aside because a reference target was not there yet: NDJSON files and collections may hold a
 * resource before the ones it references (a DiagnosticReport before its result Observations, across a
 * chunk boundary). They are processed once more after the whole input, when a target that was only late is
 * stored; one still missing then fails as usual. Transactions are never deferred (all or nothing, at once).
 * At most MAX_DEFERRED entries are held, so memory stays bounded; beyond it, entries fail at once.
 */
import type { OperationOutcomeIssue, Resource } from 'fhir/r4.js';
import type { EntryIssues } from './ahead/validate-unit.js';
import type { ImportEntry, ImportUnit } from './import-types.js';
import { CHUNK } from './bundle-units.js';
import { keyOf } from './entry-identity.js';

export const MAX_DEFERRED = 20_000;

export class DeferredEntries {
  private entries: ImportEntry[] = [];
  /** Each held entry's validation issues: its content does not change, so the last pass need not validate again. */
  private issues: NonNullable<EntryIssues>[] = [];
  private draining = false;

  /**
   * Takes the entry (with its references already resolved, and the issues its validation found) unless the
   * last pass is running or the cap is reached.
   */
  offer(entry: ImportEntry, resource: Resource & { id: string }, issues: OperationOutcomeIssue[]): boolean {
    if (this.draining || this.entries.length >= MAX_DEFERRED) return false;
    this.entries.push({ ...entry, resource, fullUrl: undefined, ifNoneExist: undefined });
    this.issues.push({ key: keyOf(resource), issues });
    return true;
  }

  /** The held entries as units for the last pass, with their issues by position; nothing is deferred again after this. */
  *drain(): Generator<{ unit: ImportUnit; validated: EntryIssues[] }> {
    this.draining = true;
    const { entries, issues } = this;
    this.entries = [];
    this.issues = [];
    for (let i = 0; i < entries.length; i += CHUNK) yield { unit: { entries: entries.slice(i, i + CHUNK), atomic: false }, validated: issues.slice(i, i + CHUNK) };
  }
}
