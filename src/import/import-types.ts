/**
 * The shapes of an import: entries read from Bundles or NDJSON, grouped into units that are written together
 * (a transaction Bundle is one all-or-nothing unit; batch and collection Bundles and NDJSON chunks succeed or
 * fail per entry), and the result reported to HTTP and CLI clients (SPEC `$import`).
 */
import type { OperationOutcome } from 'fhir/r4.js';

/** strict: invalid content fails its entry (or transaction); lenient: stored, issues reported; none: no checks. */
export type ImportMode = 'strict' | 'lenient' | 'none';

export const IMPORT_MODES: readonly ImportMode[] = ['strict', 'lenient', 'none'];

/** Where an entry came from, for failure reports: a Bundle entry index or an NDJSON line, and the file. */
export interface EntrySource {
  index?: number;
  line?: number;
  file?: string;
}

export interface ImportEntry extends EntrySource {
  /** The parsed resource, unchecked. */
  resource: unknown;
  fullUrl?: string;
  /** The Bundle entry's request method, when it has one (POST, PUT). */
  method?: string;
  ifNoneExist?: string;
  /** Why the entry could not even be read (a broken NDJSON line); it fails with this message. */
  unreadable?: string;
}

export interface ImportUnit {
  entries: ImportEntry[];
  /** All or nothing (a transaction Bundle). */
  atomic: boolean;
  file?: string;
}

export interface ImportFailure extends EntrySource {
  resourceType?: string;
  outcome: OperationOutcome;
}

export interface TypeCounts {
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
}

export interface ImportSummary extends TypeCounts {
  byType: Record<string, TypeCounts>;
  failures: ImportFailure[];
  /** Issues of entries stored anyway (lenient mode). */
  warnings: ImportFailure[];
  references: { rewritten: number; resolved: number };
  seconds: number;
  /** Resources per second over the whole import. */
  rate: number;
}
