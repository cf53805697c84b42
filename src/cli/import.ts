/**
 * `medgen-data import <file|dir>…`: Bundles, resources and NDJSON (optionally .gz) into the store, support
 * files first. Exit 0 when every entry was stored, 1 when any failed, 2 on usage errors.
 */
import type { Command } from 'commander';
import { OperationOutcomeError } from '../fhir/outcomes.js';
import { listImportFiles } from '../import/file-units.js';
import { importFiles } from '../import/import-files.js';
import type { ImportSummary } from '../import/import-types.js';
import { parseMode } from '../import/request-body.js';
import { summaryJson } from '../import/summary-parameters.js';
import { createLogger } from '../logger.js';
import { openStore } from '../store/open-store.js';
import { addStoreOptions, configFrom } from './common-options.js';
import { createProgress } from './progress.js';
import { CliFailure } from './cli-failure.js';

export function formatSummary(s: ImportSummary): string {
  const lines = [`created ${s.created}, updated ${s.updated}, unchanged ${s.unchanged}, failed ${s.failed} in ${s.seconds.toFixed(1)} s (${Math.round(s.rate)} resources/s)`];
  for (const [type, c] of Object.entries(s.byType)) lines.push(`  ${type.padEnd(28)} ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged, ${c.failed} failed`);
  for (const f of s.failures.slice(0, 20)) {
    const where = [f.file, f.index !== undefined ? `entry ${f.index}` : undefined, f.line !== undefined ? `line ${f.line}` : undefined].filter(Boolean).join(' ');
    const first = f.outcome.issue?.[0];
    lines.push(`  failed: ${where}: ${first?.diagnostics ?? ''}${first?.expression ? ` (${first.expression.join(', ')})` : ''}`);
  }
  if (s.failures.length > 20) lines.push(`  … and ${s.failed - 20} more failures (use --json for all reported)`);
  return lines.join('\n');
}

export function registerImport(program: Command): void {
  addStoreOptions(program.command('import').description('import FHIR Bundles, resources and NDJSON files or folders').argument('<paths...>', 'files or directories'))
    .option('--mode <mode>', 'strict | lenient | none', 'strict')
    .option('--json', 'print the result as one JSON document')
    .action(async (paths: string[], options: Record<string, unknown>) => {
      try {
        parseMode(options.mode as string);
        listImportFiles(paths);
      } catch (err) {
        if (err instanceof OperationOutcomeError) throw new CliFailure(`medgen-data import: ${err.message}`, 2);
        throw err;
      }
      const store = await openStore(configFrom(options));
      const progress = createProgress();
      const summary = await importFiles(store, paths, {
        mode: parseMode(options.mode as string) ?? 'strict',
        logger: createLogger('warn'),
        onProgress: (done, failed) => options.json || progress.update(`importing: ${done} resources, ${failed} failed`),
      }).finally(() => store.close());
      if (options.json) process.stdout.write(`${JSON.stringify(summaryJson(summary))}\n`);
      else process.stdout.write(`${formatSummary(summary)}\n`);
      if (summary.failed > 0) program.setOptionValue('exitCode', 1);
    });
}
