/**
 * Runs an import: units one after another (so memory stays bounded and a transaction's writes never
 * interleave with another's), stopping between units when cancelled. Re-running an interrupted import ends
 * in the same state as an uninterrupted one, because ids are kept and unchanged content writes nothing.
 */
import { OperationOutcomeError } from '../fhir/outcomes.js';
import type { ImportContext } from './import-context.js';
import type { ImportFailure, ImportSummary, ImportUnit } from './import-types.js';
import { processUnit } from './process-unit.js';

export interface RunImportOptions {
  /** Called after each unit with the number of entries processed so far. */
  onProgress?: (processed: number) => void;
}

export class ImportCancelled extends Error {
  constructor() {
    super('import cancelled');
  }
}

export async function runImport(ctx: ImportContext, units: AsyncIterable<ImportUnit> | Iterable<ImportUnit>, options: RunImportOptions = {}): Promise<ImportSummary> {
  for await (const unit of units) {
    if (ctx.signal?.aborted) throw new ImportCancelled();
    await processUnit(ctx, unit);
    options.onProgress?.(ctx.tally.total);
  }
  // Entries whose targets were not there yet get one more chance, now that the whole input is stored.
  for (const unit of ctx.deferred.drain()) {
    if (ctx.signal?.aborted) throw new ImportCancelled();
    await processUnit(ctx, unit);
    options.onProgress?.(ctx.tally.total);
  }
  return ctx.tally.summary();
}

/**
 * For a request whose body was one transaction Bundle: when it failed as a whole, the error to answer with
 * (the first failure's status and all failures' issues), as SPEC asks.
 */
export function transactionError(failures: (ImportFailure & { status: number })[]): OperationOutcomeError {
  const issue = failures.flatMap((f) => (f.outcome.issue ?? []).map((i) => ({ ...i, diagnostics: `Bundle.entry[${f.index}]: ${i.diagnostics ?? ''}` })));
  return new OperationOutcomeError(failures[0].status, { resourceType: 'OperationOutcome', issue });
}
