/** `medgen-data restore <id> [--replace] [--target URL]`: a full backup and its incrementals up to `id`, into an empty store (or a snapshot). */
import type { Command } from 'commander';
import { OperationOutcomeError } from '../fhir/outcomes.js';
import { CliFailure } from './cli-failure.js';
import { runTask } from '../maintenance/run-task.js';
import { addStoreOptions, configFrom } from './common-options.js';
import { withMaintenanceDeps } from './maintenance-cli.js';

export function registerRestore(program: Command): void {
  addStoreOptions(program.command('restore').description('restore a backup (and the incrementals before it) into an empty store').argument('<id>', 'backup id (see backup --list)'))
    .option('--target <url>', 'where the backups are: a file:// folder or s3://bucket/prefix (MEDGEN_BACKUP_URL; default the files store)')
    .option('--replace', 'empty a store that has content first, instead of refusing')
    .option('--json', 'print the result as one JSON document')
    .action(async (id: string, o: Record<string, unknown>) => {
      try {
        const outcome = await withMaintenanceDeps(configFrom(o, { backupUrl: o.target as string | undefined }), (deps) => runTask(deps, 'restore', { backup: id, replace: o.replace === true }));
        const r = outcome.result as { backups: string[]; versions: number; byType: Record<string, number> };
        const total = Object.values(r.byType).reduce((a, b) => a + b, 0);
        process.stdout.write(o.json ? `${JSON.stringify(r)}\n` : `restored ${r.backups.join(' + ')}: ${r.versions} versions, ${total} current resources\n`);
      } catch (err) {
        if (err instanceof OperationOutcomeError && err.status < 500) throw new CliFailure(`medgen-data restore: ${err.message}`, err.status === 400 ? 2 : 1);
        throw err;
      }
    });
}
