/** `medgen-data dedupe [--dry-run]`: merges duplicate patients and reports each merge. */
import type { Command } from 'commander';
import type { DedupeResult } from '../maintenance/dedupe-patients.js';
import { runTask } from '../maintenance/run-task.js';
import { addStoreOptions, configFrom } from './common-options.js';
import { withMaintenanceDeps } from './maintenance-cli.js';

export function registerDedupe(program: Command): void {
  addStoreOptions(program.command('dedupe').description('merge duplicate patients (same identifier, or same name, birth date, sex and address)'))
    .option('--dry-run', 'only report')
    .option('--json', 'print the result as one JSON document')
    .action(async (o: Record<string, unknown>) => {
      const { result } = await withMaintenanceDeps(configFrom(o), (deps) => runTask(deps, 'dedupe', { dryRun: o.dryRun === true }));
      const r = result as DedupeResult;
      if (o.json) return void process.stdout.write(`${JSON.stringify(r)}\n`);
      const lines = r.merges.map((m) => `  Patient/${m.survivor} <- ${m.merged.map((id) => `Patient/${id}`).join(', ')} (${m.reasons.join('; ')}), ${m.repointed.length} resources repointed`);
      for (const s of r.sharedIdentifiers) lines.push(`  shared identifier ${s.identifier}: ${s.ids.map((id) => `${s.resourceType}/${id}`).join(', ')}`);
      process.stdout.write(`${r.merges.length} merges${r.dryRun ? ' (dry run, nothing changed)' : ''}\n${lines.join('\n')}${lines.length ? '\n' : ''}`);
    });
}
