/** `medgen-data migrate [--status]`: applies pending data migrations in order, or lists them. */
import type { Command } from 'commander';
import { migrationStatus } from '../maintenance/migrations.js';
import { runTask } from '../maintenance/run-task.js';
import { addStoreOptions, configFrom } from './common-options.js';
import { withMaintenanceDeps } from './maintenance-cli.js';

export function registerMigrate(program: Command): void {
  addStoreOptions(program.command('migrate').description('apply pending data migrations (each exactly once)'))
    .option('--status', 'list migrations and when each was applied')
    .option('--json', 'print the result as one JSON document')
    .action(async (o: Record<string, unknown>) => {
      const config = configFrom(o);
      const status = await withMaintenanceDeps(config, async (deps) => {
        if (!o.status) await runTask(deps, 'migrate');
        return migrationStatus(deps.store);
      });
      process.stdout.write(o.json ? `${JSON.stringify(status)}\n` : `${status.map((m) => `${m.id.padEnd(24)} ${m.applied ?? 'pending'}  ${m.description}`).join('\n')}\n`);
    });
}
