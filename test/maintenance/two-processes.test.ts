/**
 * Two processes, one database: real Node processes (store-process.ts: the CLI's main(), or lease calls on a
 * store handle of their own) sharing one SQLite file, and one MongoDB database on the server `npm test` was
 * given in MONGODB_URI (FerretDB in CI). The same maintenance task started in both at once, on a free lease
 * or on one a crashed run left to expire, runs once and the other is refused with the 409 naming it;
 * pending migrations are applied once; of several processes racing for a free lease one gets it, and of
 * several racing for an expired one exactly one takes it over. The processes ask for the lease at one
 * moment and the task waits inside until the other was refused, so the outcome does not hang on timing.
 * Without a server the MongoDB half is skipped by a test that says so in its name.
 */
import type { Patient } from 'fhir/r4.js';
import { createLogger } from '../../src/logger.js';
import { runMigrations } from '../../src/maintenance/migrations.js';
import { HOLDER_KEY, LOCK_NAME } from '../../src/maintenance/task-lock.js';
import type { ResourceStore } from '../../src/store/resource-store.js';
import { serverUri } from '../store/server-uri.js';
import { observation, patient, sleep } from './fixture.js';
import { MARK_URL, heldMigrations } from './held-migrations.js';
import { type SharedStore, sharedStore } from './shared-stores.js';
import { type StoreProcess, runTogether, startProcesses } from './store-processes.js';

const SKIPPED = 'two processes on one MongoDB database skipped: MONGODB_URI is not set';
const CONTENDERS = 4;
/** Races are cheap once the processes run, and a broken lease may let one through now and then. */
const ROUNDS = 5;
const RACE = 'race';
const owners = (round: string) => Array.from({ length: CONTENDERS }, (_, i) => `process-${i}-${round}`);
/**
 * The race's lease: every contender's attempt must land within it, or a late one would rightly take the
 * expired lease (FerretDB answers in tens of ms; the test checks the spread).
 */
const RACE_LEASE_MS = 1000;
/** FerretDB scans for most filters, and each test starts a few processes. */
const TIMEOUT_MS = 60_000;

/** The CLI prints a refused task as `medgen-data: <message>` and exits 1 (src/cli/main.ts). */
const refused = (task: string) => new RegExp(`^medgen-data: Maintenance task ${task} is already running \\(since \\S+\\); ${task} was not started\\n$`);

async function leaseFree(store: ResourceStore): Promise<boolean> {
  const free = await store.acquireLock(LOCK_NAME, 'probe', 60_000);
  if (free) await store.releaseLock(LOCK_NAME, 'probe');
  return free;
}

/** What each process did, sorted: a broken lease shows as two that ran it. */
const outcomes = (runs: { held: boolean }[]) => runs.map((r) => (r.held ? 'ran it' : 'refused')).sort();

const versions = async (store: ResourceStore, type: string, id: string) => (await store.history(type, id)).map((v) => `${v.versionId}${v.deleted ? ' deleted' : ''}`).sort();

const backends: [string, string | undefined][] = [['one SQLite file', undefined]];
if (serverUri) backends.push(['one MongoDB database', serverUri]);
else test(SKIPPED, () => console.warn(`${SKIPPED} (set MONGODB_URI for npm test to run them against a server)`));

describe.each(backends)('two processes on %s', (_, uri) => {
  let shared: SharedStore;
  let store: ResourceStore;
  const started: StoreProcess[] = [];

  beforeEach(async () => {
    shared = sharedStore(uri);
    // Opened here first, so the processes find the tables (or collections and indexes) in place.
    store = await shared.open();
  });
  afterEach(async () => {
    started.splice(0).forEach((p) => p.kill());
    await store.close();
    await shared.dispose();
  });

  /** A run that crashed: its lease left to expire, its holder record naming another task. */
  async function crashedRun(): Promise<void> {
    expect(await store.acquireLock(LOCK_NAME, 'crashed-process', 1)).toBe(true);
    await store.putSystem(HOLDER_KEY, { task: 'backup', since: new Date(Date.now() - 60_000).toISOString(), until: new Date().toISOString() });
    await sleep(10);
  }

  it.each([
    ['free', async () => undefined],
    ['left to expire by a crashed run', crashedRun],
  ])(
    'the same maintenance task started in both at once, the lease %s: one runs it, the other is refused with the 409 naming it',
    async (_, before) => {
      await before();
      await store.write([
        { op: 'put', resource: patient('p1', 'A') },
        { op: 'put', resource: observation('o1', 'p1') },
        { op: 'put', resource: observation('o2', 'gone') },
      ]);
      const runs = await runTogether(await startProcesses(2, started, 'cli', 'cleanup'), ['cleanup', '--json', ...shared.args]);

      expect(outcomes(runs)).toEqual(['ran it', 'refused']);
      const ran = runs.find((r) => r.held)!.exit;
      const other = runs.find((r) => !r.held)!.exit;
      expect(ran).toMatchObject({ code: 0, stderr: '' });
      expect(JSON.parse(ran.stdout)).toMatchObject({ dryRun: false, deleted: 1, orphans: [{ resourceType: 'Observation', id: 'o2', missing: [{ target: 'Patient/gone' }] }] });
      expect(other).toMatchObject({ code: 1, stdout: '' });
      expect(other.stderr).toMatch(refused('cleanup-orphans'));
      expect(await versions(store, 'Observation', 'o2')).toEqual(['1', '2 deleted']);
      expect(await leaseFree(store)).toBe(true);
    },
    TIMEOUT_MS,
  );

  it(
    'both run migrate at once on a database needing migrations: each migration is recorded once and the data migrated once',
    async () => {
      await store.write([{ op: 'put', resource: patient('p1', 'A') }, { op: 'put', resource: patient('p2', 'B') }]);
      const processes = await startProcesses(2, started, 'cli', 'migrate');
      const runs = await runTogether(processes, ['migrate', '--json', ...shared.args]);

      expect(outcomes(runs)).toEqual(['ran it', 'refused']);
      const winner = processes[runs.findIndex((r) => r.held)];
      const ran = runs.find((r) => r.held)!.exit;
      const other = runs.find((r) => !r.held)!.exit;
      expect(ran).toMatchObject({ code: 0, stderr: '' });
      expect(other).toMatchObject({ code: 1, stdout: '' });
      expect(other.stderr).toMatch(refused('migrate'));

      const status = JSON.parse(ran.stdout) as { id: string; applied: string; changed: number }[];
      expect(status).toEqual([
        { id: '9001-mark-patients', description: expect.any(String), applied: expect.any(String), changed: 2 },
        { id: '9002-noop', description: expect.any(String), applied: expect.any(String), changed: 0 },
      ]);
      // The record every process reads: the two migrations, as the one that applied them wrote it.
      expect(await store.getSystem('migrations')).toEqual(Object.fromEntries(status.map((m) => [m.id, { applied: m.applied, changed: m.changed }])));
      for (const id of ['p1', 'p2']) {
        expect(await versions(store, 'Patient', id)).toEqual(['1', '2']);
        expect(((await store.read('Patient', id)) as Patient).extension).toEqual([{ url: MARK_URL, valueString: String(winner.pid) }]);
      }
      // A later run anywhere finds nothing pending.
      expect(await runMigrations({ store, config: shared.config, logger: createLogger('silent') }, heldMigrations())).toEqual({ applied: [] });
    },
    TIMEOUT_MS,
  );

  /** CONTENDERS processes, each with its own handle on the shared store, racing with `race`. */
  async function contenders() {
    const processes = await startProcesses(CONTENDERS, started, 'lease');
    for (const p of processes) p.send({ type: 'open', config: shared.config });
    await Promise.all(processes.map((p) => p.receive('opened')));
    /** Each process asks for the lease as its owner, all at one moment; who got it, in the processes' order. */
    const race = async (names: string[]) => {
      const at = Date.now() + 100;
      processes.forEach((p, i) => p.send({ type: 'acquire', name: RACE, owner: names[i], ttlMs: RACE_LEASE_MS, at }));
      const results = await Promise.all(processes.map((p) => p.receive('acquired')));
      // Every attempt was made while the winner's lease held, so a second winner is a broken lease, not a late comer.
      expect(Math.max(...results.map((r) => r.endedAt)) - at).toBeLessThan(RACE_LEASE_MS);
      return results.map((r) => r.won);
    };
    const close = async () => {
      for (const p of processes) p.send({ type: 'close' });
      return (await Promise.all(processes.map((p) => p.exited))).map((e) => e.code);
    };
    return { race, close };
  }

  it(
    `${CONTENDERS} processes race for a free lease, ${ROUNDS} times: exactly one gets it, and the others still cannot while it holds`,
    async () => {
      const { race, close } = await contenders();
      const winners: number[] = [];
      const refusedWhileHeld: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const won = await race(owners(`first-${round}`));
        winners.push(won.filter(Boolean).length);
        const again = await race(owners(`second-${round}`));
        refusedWhileHeld.push(again.filter((w) => !w).length + ((await store.acquireLock(RACE, 'latecomer', RACE_LEASE_MS)) ? 0 : 1));
        await Promise.all(won.map((w, i) => w && store.releaseLock(RACE, `process-${i}-first-${round}`)));
      }
      // Per round: one winner; then every process, and this one, refused while it holds.
      expect({ winners, refusedWhileHeld }).toEqual({ winners: Array(ROUNDS).fill(1), refusedWhileHeld: Array(ROUNDS).fill(CONTENDERS + 1) });
      expect(await close()).toEqual(Array(CONTENDERS).fill(0));
    },
    TIMEOUT_MS,
  );

  it(
    `${CONTENDERS} processes race to take over an expired lease, its old holder renewing among them, ${ROUNDS} times: exactly one gets it`,
    async () => {
      const { race, close } = await contenders();
      const winners: number[] = [];
      const latecomerRefused: boolean[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const stalled = `stalled-${round}`;
        expect(await store.acquireLock(RACE, stalled, 1)).toBe(true);
        await sleep(10);
        // Process 0 is the stalled holder waking up and renewing as itself, which an expired lease also allows.
        const names = owners(`new-${round}`).map((o, i) => (i === 0 ? stalled : o));
        const won = await race(names);
        winners.push(won.filter(Boolean).length);
        latecomerRefused.push(!(await store.acquireLock(RACE, 'latecomer', RACE_LEASE_MS)));
        await Promise.all(won.map((w, i) => w && store.releaseLock(RACE, names[i])));
      }
      expect({ winners, latecomerRefused }).toEqual({ winners: Array(ROUNDS).fill(1), latecomerRefused: Array(ROUNDS).fill(true) });
      expect(await close()).toEqual(Array(CONTENDERS).fill(0));
    },
    TIMEOUT_MS,
  );
});
