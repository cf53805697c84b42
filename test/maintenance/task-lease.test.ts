/**
 * The maintenance lease under contention, on the real SQLite store: a run that loses its lease (paused past
 * it, or unable to renew it) is stopped and says so, and two processes starting the same task run it once.
 * A second store handle on the same file stands for another process.
 */
import path from 'node:path';
import { listBackupIds } from '../../src/maintenance/backup-manifest.js';
import { localBackups } from '../../src/maintenance/backup-area.js';
import { runTask } from '../../src/maintenance/run-task.js';
import { LOCK_NAME } from '../../src/maintenance/task-lock.js';
import { SQLITE_FILE } from '../../src/store/open-store.js';
import type { ResourceStore } from '../../src/store/resource-store.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { fixture, observation, patient, sleep, type Fixture } from './fixture.js';

/** Short enough for a test; the renewal interval leaves room for a few renewals within one lease. */
const TIMING = { leaseMs: 200, renewMs: 40 };

/** The store with some methods replaced; the others are the store's own. */
const wrap = (store: ResourceStore, overrides: Partial<ResourceStore>): ResourceStore => Object.assign(Object.create(store) as ResourceStore, overrides);

/** Blocks the whole process, timers included, as a GC pause or a SIGSTOP would. */
const pauseProcess = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

describe('maintenance lease', () => {
  let f: Fixture;
  const handles: ResourceStore[] = [];
  /** Another process's view of the same database. */
  const otherProcess = () => {
    const store = createSqliteStore({ path: path.join(f.dir, SQLITE_FILE) });
    handles.push(store);
    return store;
  };

  beforeEach(async () => {
    f = fixture();
    await f.store.write([{ op: 'put', resource: patient('p1', 'A') }, { op: 'put', resource: observation('o1', 'p1') }]);
  });
  afterEach(async () => {
    await Promise.all(handles.splice(0).map((s) => s.close()));
    await f.close();
  });

  it('a task paused past its lease, which another process then took, is stopped and says the lease was lost', async () => {
    const other = otherProcess();
    let takenOver: boolean | undefined;
    const store = wrap(f.store, {
      async *streamHistoryRaw(type, options) {
        if (takenOver === undefined) {
          pauseProcess(TIMING.leaseMs + 100);
          // Still paused as far as this process's timers go: the other process takes the expired lease first.
          takenOver = await other.acquireLock(LOCK_NAME, 'other-process', 60_000);
          await sleep(TIMING.renewMs * 4);
        }
        yield* f.store.streamHistoryRaw(type, options);
      },
    });
    await expect(runTask({ ...f.deps, store }, 'backup', { type: 'full' }, TIMING)).rejects.toMatchObject({
      status: 409,
      message: expect.stringMatching(/^The maintenance lease `maintenance` was lost to another process; backup was stopped$/),
    });
    expect(takenOver).toBe(true);
    expect(await listBackupIds(localBackups(f.dir))).toEqual([]);
    // The other process keeps the lease it took: the stopped run did not give it back on its behalf.
    expect(await f.store.acquireLock(LOCK_NAME, 'probe', 60_000)).toBe(false);
  });

  it.each([
    ['keeps failing', () => Promise.reject(new Error('database unreachable')), 'database unreachable'],
    ['never answers', () => new Promise<boolean>(() => undefined), 'no answer from the store'],
  ])('a renewal that %s stops the task once the lease can no longer be trusted', async (_, renewal, reason) => {
    let failing = false;
    const store = wrap(f.store, {
      acquireLock: (name, owner, ttlMs) => (failing ? renewal() : f.store.acquireLock(name, owner, ttlMs)),
      async *streamHistoryRaw(type, options) {
        if (!failing) {
          failing = true;
          await sleep(TIMING.leaseMs * 2);
        }
        yield* f.store.streamHistoryRaw(type, options);
      },
    });
    const before = new Date().toISOString();
    const err = await runTask({ ...f.deps, store }, 'backup', { type: 'full' }, TIMING).then(
      () => null,
      (e: unknown) => e as { status: number; message: string },
    );
    expect(err?.status).toBe(503);
    expect(err?.message).toMatch(new RegExp(`^The maintenance lease \`maintenance\` could not be renewed since \\S+ \\(${reason}\\); backup was stopped$`));
    const since = /since (\S+) /.exec(err!.message)![1];
    expect(since >= before && since <= new Date().toISOString()).toBe(true);
    expect(await listBackupIds(localBackups(f.dir))).toEqual([]);
  });

  it('two processes start the same task at once: exactly one runs it, the other gets a 409 naming it', async () => {
    // An earlier run leaves its holder record behind; the loser must not name that one.
    await runTask(f.deps, 'statistics');
    // Each process's system writes are slow (a remote database), so the loser asks who holds the lease
    // before the winner has written that it does.
    const slowWrites = (s: ResourceStore) => wrap(s, { putSystem: async (key, doc) => (await sleep(100), s.putSystem(key, doc)) });
    const processes = [otherProcess(), otherProcess()].map(slowWrites);
    const results = await Promise.allSettled(processes.map((store) => runTask({ ...f.deps, store }, 'backup', { type: 'full' })));
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = (results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason as { status: number; message: string };
    expect(refused.status).toBe(409);
    expect(refused.message).toMatch(/^Maintenance task backup is already running \(since \S+\); backup was not started$/);
    expect(await listBackupIds(localBackups(f.dir))).toHaveLength(1);
  });
});
