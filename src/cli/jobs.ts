/**
 * `medgen-data jobs [--status S] [--limit N] [--json]`: the asynchronous jobs of the store (every process's),
 * newest first, as `GET /fhir/_jobs` lists them: one line each (id, kind, status, created, progress), or the
 * records as JSON.
 */
import type { Command } from 'commander';
import { JOB_STATUSES, type JobRecord, type JobStatus } from '../jobs/job-types.js';
import { openStore } from '../store/open-store.js';
import { CliFailure } from './cli-failure.js';
import { addStoreOptions, configFrom } from './common-options.js';

const progressOf = (r: JobRecord) => `${r.progress.done}${r.progress.total === undefined ? '' : `/${r.progress.total}`}${r.errorCount > 0 ? `, ${r.errorCount} errors` : ''}`;

export function registerJobs(program: Command): void {
  addStoreOptions(program.command('jobs').description('list the asynchronous jobs (imports, generation, maintenance), newest first'))
    .option('--status <status>', JOB_STATUSES.join(' | '))
    .option('--limit <n>', 'at most this many', '50')
    .option('--json', 'print the job records as JSON')
    .action(async (o: Record<string, unknown>) => {
      const status = o.status as string | undefined;
      if (status !== undefined && !(JOB_STATUSES as readonly string[]).includes(status)) throw new CliFailure(`--status must be one of ${JOB_STATUSES.join(', ')}`, 2);
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new CliFailure(`--limit takes a positive number, not ${JSON.stringify(o.limit)}`, 2);
      const config = configFrom(o);
      const store = await openStore(config);
      const jobs = await store.listJobs<JobRecord>({ statuses: status === undefined ? undefined : [status as JobStatus], limit }).finally(() => store.close());
      if (o.json) process.stdout.write(`${JSON.stringify(jobs, null, 1)}\n`);
      else if (jobs.length === 0) process.stdout.write(`no jobs in ${config.mongodbUri ? `MongoDB database ${config.mongodbDb}` : config.dataDir}\n`);
      else for (const r of jobs) process.stdout.write(`${r.id}  ${r.kind.padEnd(11)} ${r.status.padEnd(9)} ${r.created}  ${progressOf(r)}\n`);
    });
}
