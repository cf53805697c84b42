/**
 * Runs an import: units one after another (so memory stays bounded and a transaction's writes never
 * interleave with another's), stopping between units when cancelled. Re-running an interrupted import ends
 * in the same state as an uninterrupted one, because ids are kept and unchanged content writes nothing.
 */
import { OperationOutcomeError } from '../fhir/outcomes.js';
import { FileHashes } from '../lineage/file-hash.js';
import { REQUEST_BODY } from '../lineage/source-uri.js';
import { listImportFiles } from './file-units.js';
import { ValidationAhead } from './ahead/validation-ahead.js';
import { heapCollector } from './heap-collector.js';
import type { ImportContext } from './import-context.js';
import type { ImportFailure, ImportSummary, ImportUnit } from './import-types.js';
import { processUnit } from './process-unit.js';
import { unitsOfSource, type UnitSource } from './unit-source.js';

export interface RunImportOptions {
  /** Called after each unit with the number of entries processed so far. */
  onProgress?: (processed: number) => void;
  /** The input as data: a worker then validates units ahead of the import (ahead/validation-ahead.ts). */
  source?: UnitSource;
}

/**
 * Resources between two full collections of a long import (heap-collector.ts). Importing 1 GB of NDJSON:
 * peak RSS 501 MB collecting every 25,000, 434 MB every 10,000; a collection takes tens of milliseconds.
 */
const COLLECT_EVERY = 10_000;
/** Imports smaller than this never collect (their garbage stays small; see heap-collector.ts). */
const COLLECT_FROM = 50_000;

export class ImportCancelled extends Error {
  constructor() {
    super('import cancelled');
  }
}

export async function runImport(ctx: ImportContext, units: AsyncIterable<ImportUnit> | Iterable<ImportUnit>, options: RunImportOptions = {}): Promise<ImportSummary> {
  const ahead = options.source && ctx.mode !== 'none' ? new ValidationAhead(options.source, ctx.baseUrl, ctx.logger) : undefined;
  const collect = heapCollector(COLLECT_EVERY, COLLECT_FROM);
  try {
    let n = 0;
    for await (const unit of units) {
      if (ctx.signal?.aborted) throw new ImportCancelled();
      await processUnit(ctx, unit, ahead?.unit(n++, unit.entries.length));
      options.onProgress?.(ctx.tally.total);
      collect(ctx.tally.total);
    }
  } finally {
    ahead?.close();
  }
  // Entries whose targets were not there yet get one more chance, now that the whole input is stored.
  for (const { unit, validated } of ctx.deferred.drain()) {
    if (ctx.signal?.aborted) throw new ImportCancelled();
    await processUnit(ctx, unit, Promise.resolve(validated));
    options.onProgress?.(ctx.tally.total);
  }
  return ctx.tally.summary();
}

/**
 * The input files' hashes for lineage, started now and computed alongside the import (file-hash.ts); a saved
 * request body is hashed as the file it was spooled to.
 */
function hashesOf(source: UnitSource): FileHashes {
  return source.kind === 'paths' ? FileHashes.ofPaths(listImportFiles(source.paths)) : new FileHashes([{ name: REQUEST_BODY, path: source.path }]);
}

/** Imports an input given as data (files and folders, or a saved request body), validating ahead in a worker. */
export async function runImportOf(ctx: ImportContext, source: UnitSource, options: Omit<RunImportOptions, 'source'> = {}): Promise<ImportSummary> {
  if (ctx.lineage) ctx.lineage.hashes = hashesOf(source);
  return runImport(ctx, unitsOfSource(source), { ...options, source });
}

/**
 * For a request whose body was one transaction Bundle: when it failed as a whole, the error to answer with
 * (the first failure's status and all failures' issues), as SPEC asks.
 */
export function transactionError(failures: (ImportFailure & { status: number })[]): OperationOutcomeError {
  const issue = failures.flatMap((f) => (f.outcome.issue ?? []).map((i) => ({ ...i, diagnostics: `Bundle.entry[${f.index}]: ${i.diagnostics ?? ''}` })));
  return new OperationOutcomeError(failures[0].status, { resourceType: 'OperationOutcome', issue });
}
