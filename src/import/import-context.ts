/** What every unit of one import shares: the store, the mode, caches, and the tally of outcomes. */
import type { Logger } from '../logger.js';
import type { ResourceStore } from '../store/resource-store.js';
import { ImportTally } from './import-tally.js';
import type { ImportMode } from './import-types.js';
import { ReferenceTargets } from './reference-targets.js';
import { DeferredEntries } from './deferred-entries.js';
import { SeenKeys } from './seen-keys.js';

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
}

export function createImportContext(options: { store: ResourceStore; mode: ImportMode; logger: Logger; baseUrl?: string; signal?: AbortSignal }): ImportContext {
  return { ...options, tally: new ImportTally(), targets: new ReferenceTargets(options.store), resolvedCache: new Map(), seen: new SeenKeys(), deferred: new DeferredEntries() };
}
