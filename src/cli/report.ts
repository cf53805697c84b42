/** `medgen-data report [--html f] [--json f]`: statistics and quality; prints the JSON when --json has no file. */
import path from 'node:path';
import type { Command } from 'commander';
import { qualityReport, writeQualityReport } from '../report/quality-report.js';
import { addStoreOptions, configFrom } from './common-options.js';
import { withMaintenanceDeps } from './maintenance-cli.js';

export function registerReport(program: Command): void {
  addStoreOptions(program.command('report').description('statistics and quality report (JSON and a self-contained HTML page with charts)'))
    .option('--html <file>', 'write the HTML report here (default <data dir>/reports/quality-report.html)')
    .option('--json [file]', 'write the JSON report to a file, or print it when no file is given')
    .action(async (o: Record<string, unknown>) => {
      const config = configFrom(o);
      const report = await withMaintenanceDeps(config, (deps) => qualityReport(deps.store));
      const json = typeof o.json === 'string' ? path.resolve(o.json) : undefined;
      const files = writeQualityReport(report, path.join(config.dataDir, 'reports'), { json, html: o.html ? path.resolve(o.html as string) : undefined });
      if (o.json === true) process.stdout.write(`${JSON.stringify(report)}\n`);
      else process.stdout.write(`${report.resources} resources, ${report.demographics.patients} patients; report written to ${files.join(' and ')}\n`);
    });
}
