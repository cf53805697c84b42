/** What every unit of one import shares: the store, the mode, caches, lineage, and the tally of outcomes. */
import { lineageEnabled } from '../config.js';
import { FileHashes } from '../lineage/file-hash.js';
import type { LineageOption } from '../lineage/job-lineage.js';
import type { LineageJob } from '../lineage/provenance-batch.js';
import { runId } from '../lineage/source-uri.js';
import type { Logger } from '../logger.js';
import type { ResourceStore } from '../store/resource-store.js';
import { ImportTally } from './import-tally.js';
import type { ImportMode } from './import-types.js';
import { ReferenceTargets } from './reference-targets.js';
import { DeferredEntries } from './deferred-entries.js';
import { SeenKeys } from './seen-keys.js';

/** Where an import's resources come from: stamped as meta.source on each, and recorded as Provenance per unit. */
export interface ImportLineage {
  job: LineageJob;
  /** The input files' SHA-256 by name; filled when the import starts reading its input (run-import.ts). */
  hashes: FileHashes;
}

/**
 * The import's lineage: `false` turns it off for this import (MEDGEN_LINEAGE=off does for all); the job id is
 * the job's, or a fresh `cli-<run id>` for a run that is no job.
 */
export type ImportLineageOption = LineageOption;

export interface ImportContext {
  store: ResourceStore;
  mode: ImportMode;
  /** This server's FHIR base, so absolute references to it become relative; unknown on the CLI. */
  baseUrl?: string;
  logger: Logger;
  tally: ImportTally;
  targets: ReferenceTargets;
  /** Conditional references already resolved in this import (`Type?query` → `Type/id`). */
  resolvedCache: Map<string, string>;
  /** Entries of independent units whose reference targets may come later in the input. */
  deferred: DeferredEntries;
  /** Resources this import already wrote: a later occurrence with other content is not stored again. */
  seen: SeenKeys;
  /** Checked between units; set to stop the import (job cancellation). */
  signal?: AbortSignal;
  /** Absent when lineage is off. */
  lineage?: ImportLineage;
}

function lineageOf(mode: ImportMode, option: ImportLineageOption | undefined): ImportLineage | undefined {
  if (option === false || !lineageEnabled()) return undefined;
  return { job: { id: option?.jobId ?? runId(), kind: 'import', parameters: option?.parameters ?? { mode } }, hashes: new FileHashes() };
}

export function createImportContext(options: { store: ResourceStore; mode: ImportMode; logger: Logger; baseUrl?: string; signal?: AbortSignal; lineage?: ImportLineageOption }): ImportContext {
  const { lineage, ...rest } = options;
  return {
    ...rest,
    tally: new ImportTally(),
    targets: new ReferenceTargets(options.store),
    resolvedCache: new Map(),
    seen: new SeenKeys(),
    deferred: new DeferredEntries(),
    lineage: lineageOf(options.mode, lineage),
  };
}
