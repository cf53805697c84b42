import type { Patient } from 'fhir/r4.js';
import fs from 'node:fs';
import path from 'node:path';
import { type Migration, migrationStatus, runMigrations } from '../../src/maintenance/migrations.js';
import { runTask } from '../../src/maintenance/run-task.js';
import { parseSchedules } from '../../src/maintenance/schedules.js';
import { LOCK_FILE, acquireLock } from '../../src/maintenance/task-lock.js';
import { fixture, patient, type Fixture } from './fixture.js';

describe('task runner, lock, schedules, migrations', () => {
  let f: Fixture;
  beforeEach(() => (f = fixture()));
  afterEach(() => f.close());

  it('the same task started twice at once: one runs, the other is refused; the lock is freed after', async () => {
    await f.store.write([{ op: 'put', resource: patient('p1', 'A') }]);
    const results = await Promise.allSettled([runTask(f.deps, 'backup', { type: 'full' }), runTask(f.deps, 'backup', { type: 'full' })]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({ status: 409, message: expect.stringMatching(/backup is already running/) });
    expect(fs.existsSync(path.join(f.dir, LOCK_FILE))).toBe(false);
    await expect(runTask(f.deps, 'statistics')).resolves.toMatchObject({ task: 'statistics', counts: { resources: 1 } });
  });

  it('a lock left by a dead process is taken over', async () => {
    fs.writeFileSync(path.join(f.dir, LOCK_FILE), JSON.stringify({ pid: 2 ** 22 + 7, host: (await import('node:os')).hostname(), task: 'dedupe', since: 'x' }));
    const release = acquireLock(f.dir, 'validate');
    expect(JSON.parse(fs.readFileSync(path.join(f.dir, LOCK_FILE), 'utf8')).task).toBe('validate');
    release();
  });

  it('an unknown task is refused with 400 and nothing runs', async () => {
    await expect(runTask(f.deps, 'reindex' as never)).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/Unknown maintenance task "reindex"/) });
    expect(fs.existsSync(path.join(f.dir, LOCK_FILE))).toBe(false);
  });

  it('schedules: defaults, off, and an invalid expression refused naming the variable', () => {
    expect(parseSchedules({}).map((s) => s.task).sort()).toEqual(['backup', 'statistics', 'validate']);
    expect(parseSchedules({ MEDGEN_SCHEDULE_BACKUP: 'off', MEDGEN_SCHEDULE_CLEANUP_ORPHANS: '*/5 * * * *' }).map((s) => s.task).sort()).toEqual(['cleanup-orphans', 'statistics', 'validate']);
    expect(() => parseSchedules({ MEDGEN_SCHEDULE_DEDUPE: '61 * * * *' })).toThrow(/MEDGEN_SCHEDULE_DEDUPE="61 \* \* \* \*" is not a valid cron expression/);
  });

  it('migrations apply once, in order, and are recorded', async () => {
    await f.store.write([{ op: 'put', resource: patient('p1', 'A') }, { op: 'put', resource: patient('p2', 'B', { active: false }) }]);
    const order: string[] = [];
    const activate: Migration = {
      id: '0001-active',
      description: 'Patient.active true where absent',
      async up(store) {
        order.push('0001');
        const p1 = await store.read('Patient', 'p1');
        await store.write([{ op: 'put', resource: { ...p1, active: true } as Patient & { id: string } }], { atomic: true });
        return 1;
      },
    };
    const second: Migration = { id: '0002-noop', description: 'runs after 0001', up: async () => (order.push('0002'), 0) };
    expect(migrationStatus(f.dir, [activate, second])[0].applied).toBeNull();
    expect(await runMigrations(f.deps, [activate, second])).toEqual({ applied: ['0001-active', '0002-noop'] });
    expect(order).toEqual(['0001', '0002']);
    expect((await f.store.read('Patient', 'p1')).meta.versionId).toBe('2');
    expect(await runMigrations(f.deps, [activate, second])).toEqual({ applied: [] });
    expect(order).toEqual(['0001', '0002']);
    expect(migrationStatus(f.dir, [activate, second])[0]).toMatchObject({ id: '0001-active', changed: 1, applied: expect.any(String) });
  });
});
