import type { Patient } from 'fhir/r4.js';
import { type Migration, migrationStatus, runMigrations } from '../../src/maintenance/migrations.js';
import { runTask } from '../../src/maintenance/run-task.js';
import { parseSchedules } from '../../src/maintenance/schedules.js';
import { LOCK_NAME, acquireLock } from '../../src/maintenance/task-lock.js';
import { fixture, patient, sleep, type Fixture } from './fixture.js';

/** Whether the maintenance lease is free: taking it for a moment succeeds. */
async function leaseFree(f: Fixture): Promise<boolean> {
  const free = await f.store.acquireLock(LOCK_NAME, 'probe', 60_000);
  if (free) await f.store.releaseLock(LOCK_NAME, 'probe');
  return free;
}

describe('task runner, lock, schedules, migrations', () => {
  let f: Fixture;
  beforeEach(() => (f = fixture()));
  afterEach(() => f.close());

  it('the same task started twice at once: one runs, the other is refused; the lock is freed after', async () => {
    await f.store.write([{ op: 'put', resource: patient('p1', 'A') }]);
    const results = await Promise.allSettled([runTask(f.deps, 'backup', { type: 'full' }), runTask(f.deps, 'backup', { type: 'full' })]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({ status: 409, message: expect.stringMatching(/backup is already running/) });
    expect(await leaseFree(f)).toBe(true);
    await expect(runTask(f.deps, 'statistics')).resolves.toMatchObject({ task: 'statistics', counts: { resources: 1 } });
  });

  it('a lease held by a live run refuses; one left unrenewed by a dead process is taken over once expired', async () => {
    expect(await f.store.acquireLock(LOCK_NAME, 'other-process', 60_000)).toBe(true);
    await expect(acquireLock(f.store, 'validate')).rejects.toMatchObject({ status: 409 });
    await f.store.releaseLock(LOCK_NAME, 'other-process');
    expect(await f.store.acquireLock(LOCK_NAME, 'dead-process', 1)).toBe(true);
    await sleep(5);
    const lease = await acquireLock(f.store, 'validate');
    expect(await leaseFree(f)).toBe(false);
    await lease.release();
    expect(await leaseFree(f)).toBe(true);
  });

  it('an unknown task is refused with 400 and nothing runs', async () => {
    await expect(runTask(f.deps, 'reindex' as never)).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/Unknown maintenance task "reindex"/) });
    expect(await leaseFree(f)).toBe(true);
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
        return [{ op: 'put', resource: { ...p1, active: true } as Patient & { id: string } }];
      },
    };
    const second: Migration = { id: '0002-noop', description: 'runs after 0001', up: async () => (order.push('0002'), []) };
    expect((await migrationStatus(f.store, [activate, second]))[0].applied).toBeNull();
    expect(await runMigrations(f.deps, [activate, second])).toEqual({ applied: ['0001-active', '0002-noop'] });
    expect(order).toEqual(['0001', '0002']);
    expect((await f.store.read('Patient', 'p1')).meta.versionId).toBe('2');
    expect(await runMigrations(f.deps, [activate, second])).toEqual({ applied: [] });
    expect(order).toEqual(['0001', '0002']);
    expect((await migrationStatus(f.store, [activate, second]))[0]).toMatchObject({ id: '0001-active', changed: 1, applied: expect.any(String) });
  });

  it('a migration whose writes fail leaves neither a change nor a record, and runs again next time', async () => {
    await f.store.write([{ op: 'put', resource: patient('p1', 'A') }]);
    let runs = 0;
    const broken: Migration = {
      id: '0001-broken',
      description: 'one good write, one that cannot apply',
      async up(store) {
        runs++;
        const p1 = await store.read('Patient', 'p1');
        return [{ op: 'put', resource: { ...p1, active: false } as Patient & { id: string } }, { op: 'put', resource: { ...p1, active: true } as Patient & { id: string }, ifMatch: 'W/"9"' }];
      },
    };
    await expect(runMigrations(f.deps, [broken])).rejects.toMatchObject({ status: 412 });
    expect((await f.store.read('Patient', 'p1')).meta.versionId).toBe('1');
    expect((await migrationStatus(f.store, [broken]))[0].applied).toBeNull();
    await expect(runMigrations(f.deps, [broken])).rejects.toMatchObject({ status: 412 });
    expect(runs).toBe(2);
  });
});
