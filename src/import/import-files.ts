/** Importing files and folders into a store: what `import` and `full` share. */
import type { Logger } from '../logger.js';
import type { ResourceStore } from '../store/resource-store.js';
import { createImportContext, type ImportLineageOption } from './import-context.js';
import type { ImportMode, ImportSummary } from './import-types.js';
import { runImportOf } from './run-import.js';

export async function importFiles(
  store: ResourceStore,
  paths: string[],
  options: {
    mode: ImportMode;
    logger: Logger;
    signal?: AbortSignal;
    onProgress?: (done: number, failed: number) => void;
    /** The job this import runs for (lineage names it); a CLI run gets a `cli-<run id>`. `false`: no lineage. */
    lineage?: ImportLineageOption;
  },
): Promise<ImportSummary> {
  const ctx = createImportContext({ store, mode: options.mode, logger: options.logger, signal: options.signal, lineage: options.lineage });
  return runImportOf(ctx, { kind: 'paths', paths }, {
    onProgress: (done) => options.onProgress?.(done, ctx.tally.summary().failed),
  });
}
