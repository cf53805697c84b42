/** `medgen-data cleanup [--dry-run]`: soft-deletes resources whose references point at nothing, reporting each. */
import type { Command } from 'commander';
import type { CleanupResult } from '../maintenance/cleanup-orphans.js';
import { runTask } from '../maintenance/run-task.js';
import { addStoreOptions, configFrom } from './common-options.js';
import { withMaintenanceDeps } from './maintenance-cli.js';

export function registerCleanup(program: Command): void {
  addStoreOptions(program.command('cleanup').description('find orphans (references to missing resources) and soft-delete them'))
    .option('--dry-run', 'only report')
    .option('--json', 'print the result as one JSON document')
    .action(async (o: Record<string, unknown>) => {
      const { result } = await withMaintenanceDeps(configFrom(o), (deps) => runTask(deps, 'cleanup-orphans', { dryRun: o.dryRun === true }));
      const r = result as CleanupResult;
      if (o.json) return void process.stdout.write(`${JSON.stringify(r)}\n`);
      const lines = r.orphans.map((x) => `  ${x.resourceType}/${x.id} -> ${x.missing.map((m) => `${m.target} (${m.path})`).join(', ')}`);
      process.stdout.write(`${r.orphans.length} orphans${r.dryRun ? ' (dry run, nothing deleted)' : `, ${r.deleted} deleted`}\n${lines.join('\n')}${lines.length ? '\n' : ''}`);
    });
}
