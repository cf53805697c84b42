/**
 * Cron schedules per maintenance task from MEDGEN_SCHEDULE_<TASK> (TASK upper case, `-` as `_`), `off`
 * to disable. Parsed and validated once at start, so a typo stops the server naming the variable instead
 * of silently never running. Each firing submits a `maintenance` job: the run is recorded like any job
 * (start, end, status, counts) and visible at /fhir/_jobs/{id}.
 * @see https://github.com/node-cron/node-cron
 */
import cron from 'node-cron';
import { MAINTENANCE_TASKS, type MaintenanceTask } from './run-task.js';

/** Defaults (README): nightly backup and statistics, weekly validation; the others run when asked. */
export const DEFAULT_SCHEDULES: Record<string, string> = { backup: '0 2 * * *', statistics: '30 2 * * *', validate: '0 3 * * 0' };

export const scheduleVariable = (task: string) => `MEDGEN_SCHEDULE_${task.toUpperCase().replace(/-/g, '_')}`;

/** The enabled schedules; throws naming the variable when an expression is invalid. */
export function parseSchedules(env: NodeJS.ProcessEnv = process.env): { task: MaintenanceTask; expression: string }[] {
  const out: { task: MaintenanceTask; expression: string }[] = [];
  for (const task of MAINTENANCE_TASKS) {
    const name = scheduleVariable(task);
    const expression = (env[name] ?? DEFAULT_SCHEDULES[task] ?? 'off').trim();
    if (expression === 'off' || expression === '') continue;
    if (!cron.validate(expression)) throw new Error(`${name}="${expression}" is not a valid cron expression (e.g. "0 2 * * *", or "off")`);
    out.push({ task, expression });
  }
  return out;
}

/** Starts the schedules; each firing calls `submit(task)`. `stop()` ends them all. */
export function startSchedules(schedules: { task: MaintenanceTask; expression: string }[], submit: (task: MaintenanceTask) => unknown): { stop(): void } {
  const tasks = schedules.map(({ task, expression }) => cron.schedule(expression, () => void submit(task), { name: `maintenance-${task}`, noOverlap: true }));
  return { stop: () => tasks.forEach((t) => t.stop()) };
}
