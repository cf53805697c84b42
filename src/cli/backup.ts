/**
 * `medgen-data backup [--type full|incremental|fhir|snapshot] [--keep N] [--target URL] | --list | --verify <id>`.
 * `--target` (MEDGEN_BACKUP_URL) names where backups go and are listed, verified and restored from.
 * Exit 1 when verification fails, 2 on usage errors (bad type, bad id).
 */
import type { Command } from 'commander';
import { OperationOutcomeError } from '../fhir/outcomes.js';
import { CliFailure } from './cli-failure.js';
import { parseBackupType } from '../maintenance/backup-ids.js';
import { type BackupArea, openBackupArea } from '../maintenance/backup-area.js';
import { listBackupIds, readManifest } from '../maintenance/backup-manifest.js';
import { parseKeep } from '../maintenance/backup-retention.js';
import { runTask } from '../maintenance/run-task.js';
import { verifyBackup } from '../maintenance/verify-backup.js';
import { addStoreOptions, configFrom } from './common-options.js';
import { withMaintenanceDeps } from './maintenance-cli.js';

async function listing(area: BackupArea) {
  const rows = [];
  for (const id of await listBackupIds(area)) {
    try {
      const m = await readManifest(area, id);
      rows.push({ id, type: m.type, createdAt: m.createdAt, versions: m.counts.versions, current: m.counts.current, ...(m.parent ? { parent: m.parent } : {}) });
    } catch (err) {
      rows.push({ id, damaged: (err as Error).message });
    }
  }
  return rows;
}

export function registerBackup(program: Command): void {
  addStoreOptions(program.command('backup').description('back up the store (gzip NDJSON per type + manifest), list or verify backups'))
    .option('--type <type>', 'full | incremental | fhir | snapshot (the embedded store only)', 'full')
    .option('--keep <n>', 'full backups to keep (MEDGEN_BACKUP_KEEP, default 7)')
    .option('--target <url>', 'where backups go: a file:// folder or s3://bucket/prefix (MEDGEN_BACKUP_URL; default the files store)')
    .option('--list', 'list the backups')
    .option('--verify <id>', 'recompute the checksums of a backup')
    .option('--json', 'print the result as one JSON document')
    .action(async (o: Record<string, unknown>) => {
      const config = configFrom(o, { backupUrl: o.target as string | undefined });
      const print = (value: unknown, text: string): void => {
        process.stdout.write(o.json ? `${JSON.stringify(value)}\n` : `${text}\n`);
      };
      try {
        if (o.list) {
          const rows = await listing(openBackupArea(config));
          return print(rows, rows.map((r) => ('damaged' in r ? `${r.id}  DAMAGED: ${r.damaged}` : `${r.id}  ${r.type.padEnd(11)} ${r.versions} versions, ${r.current} resources`)).join('\n') || 'no backups');
        }
        if (o.verify !== undefined) {
          const result = await verifyBackup(openBackupArea(config), o.verify as string);
          if (!result.ok) program.setOptionValue('exitCode', 1);
          return print({ id: result.id, ok: result.ok, problems: result.problems }, result.ok ? `${result.id}: every checksum matches` : `${result.id}: FAILED\n  ${result.problems.join('\n  ')}`);
        }
        const params = { type: parseBackupType(o.type), keep: parseKeep(o.keep) };
        const outcome = await withMaintenanceDeps(config, (deps) => runTask(deps, 'backup', params));
        const m = outcome.result as { id: string; counts: { versions: number; current: number }; removed: string[] };
        print(outcome.result, `backup ${m.id}: ${m.counts.versions} versions, ${m.counts.current} resources${m.removed.length ? `; retention removed ${m.removed.join(', ')}` : ''}`);
      } catch (err) {
        if (err instanceof OperationOutcomeError && err.status < 500) throw new CliFailure(`medgen-data backup: ${err.message}`, err.status === 400 ? 2 : 1);
        throw err;
      }
    });
}
