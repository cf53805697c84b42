/**
 * `medgen-data validate [file…]`: validates resources, Bundles (entry by entry) and NDJSON files without
 * storing them; with no file, validates the whole store and writes a report (src/validation/validate-all.ts).
 * Exit 0 when no error, 1 when any, 2 on usage errors (SPEC "CLI").
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { openStore } from '../store/open-store.js';
import { unpack, validateTogether } from '../validation/validate-bundle.js';
import { validateAll } from '../validation/validate-all.js';
import { ReportBuilder, summarize, type ValidationReport } from '../validation/validation-report.js';
import { addStoreOptions, configFrom } from './common-options.js';
import { CliFailure } from './cli-failure.js';

/** Parses a file as JSON, or as NDJSON (one resource a line) when its name says so or JSON fails. */
function readResources(file: string): unknown[] {
  const text = readFileSync(file, 'utf8');
  if (!file.endsWith('.ndjson')) {
    try {
      return [JSON.parse(text)];
    } catch (err) {
      if (!text.includes('\n')) throw err;
    }
  }
  return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as unknown);
}

async function validateFiles(files: string[]): Promise<ValidationReport> {
  const builder = new ReportBuilder();
  for (const file of files) {
    for (const item of readResources(file)) {
      const { resources, fullUrls } = unpack(item);
      for (const r of await validateTogether(resources, fullUrls)) builder.add(r.resourceType, r.id, r.issues);
    }
  }
  return builder.finish();
}

export function registerValidate(program: Command): void {
  addStoreOptions(program.command('validate [files...]').description('validate FHIR files, or the whole store when no file is given'))
    .option('--json', 'print one JSON document on stdout')
    .option('--report-dir <dir>', 'where validate-all writes its report (default: <data-dir>/reports)')
    .action(async (files: string[], options: Record<string, unknown>) => {
      for (const f of files) {
        try {
          statSync(f);
        } catch {
          throw new CliFailure(`medgen-data validate: no such file: ${f}`, 2);
        }
      }
      let report: ValidationReport & { files?: string[] };
      if (files.length > 0) {
        report = await validateFiles(files);
      } else {
        const config = configFrom(options);
        const store = await openStore(config);
        try {
          report = await validateAll(store, (options.reportDir as string | undefined) ?? path.join(config.dataDir, 'reports'));
        } finally {
          await store.close();
        }
      }
      process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : summarize(report));
      process.exitCode = report.errors > 0 ? 1 : 0;
    });
}
