/**
 * Backup chains against writers that commit late: a version stamped before a full backup began but committed
 * after the backup read past it must be in the next incremental, and a full backup with its incrementals must
 * restore to exactly the store's versions. On SQLite and on MongoDB (over mingo) with and without transactions.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { backupDir } from '../../src/maintenance/backup-ids.js';
import type { BackupManifest } from '../../src/maintenance/backup-manifest.js';
import { localBackups } from '../../src/maintenance/backup-area.js';
import type { MaintenanceDeps } from '../../src/maintenance/maintenance-deps.js';
import { restoreBackup } from '../../src/maintenance/restore-backup.js';
import { runBackup } from '../../src/maintenance/run-backup.js';
import { verifyBackup } from '../../src/maintenance/verify-backup.js';
import type { BulkOp, MongoCollectionLike, MongoDatabaseLike, MongoDoc } from '../../src/store/mongo/collection.js';
import { HISTORY } from '../../src/store/mongo/documents.js';
import { createMongoStoreFromDatabase } from '../../src/store/mongo/mongo-store.js';
import { SQLITE_FILE } from '../../src/store/open-store.js';
import type { ResourceStore } from '../../src/store/resource-store.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { MingoDatabase } from '../store/mingo-collection.js';
import { dumpHistory, fixtureOf, observation, patient, type Fixture } from './fixture.js';

type Open = (dir: string, now: () => number) => Promise<ResourceStore>;

const STORES: [string, Open][] = [
  ['sqlite', async (dir, now) => createSqliteStore({ path: path.join(dir, SQLITE_FILE), now })],
  ['mongo (mingo, transactions)', (_dir, now) => createMongoStoreFromDatabase(new MingoDatabase(), { now })],
  ['mongo (mingo, standalone)', (_dir, now) => createMongoStoreFromDatabase(new MingoDatabase({ transactions: false }), { now })],
];

/** `Type/id/version` of every line of a backup. */
function versionsIn(dataDir: string, manifest: BackupManifest): string[] {
  return manifest.files.flatMap((f) =>
    zlib
      .gunzipSync(fs.readFileSync(path.join(backupDir(dataDir, manifest.id), f.file)))
      .toString()
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const v = JSON.parse(line) as { resourceType: string; id: string; versionId: string };
        return `${v.resourceType}/${v.id}/${v.versionId}`;
      }),
  );
}

/**
 * Whether a backup holds exactly `expected`, give or take, on MongoDB, the version before each: a write there
 * stores its resource's prior version again (apply-changes.ts), which puts it in the next backup too.
 */
function expectHolds(store: ResourceStore, dataDir: string, manifest: BackupManifest, expected: string[]): void {
  const held = versionsIn(dataDir, manifest).sort();
  const prior = (v: string) => v.replace(/\/(\d+)$/, (_, n: string) => `/${Number(n) - 1}`);
  const allowed = store.kind === 'mongo' ? [...expected, ...expected.map(prior)] : expected;
  expect(expected.filter((v) => !held.includes(v))).toEqual([]);
  expect(held.filter((v) => !allowed.includes(v))).toEqual([]);
}

/** The deps with a store that runs `then` once a backup has read every version of `type`. */
function afterReading(deps: MaintenanceDeps, type: string, then: () => Promise<unknown>): MaintenanceDeps {
  const store = deps.store;
  const reader: Partial<ResourceStore> = {
    async *streamHistoryRaw(t, options) {
      yield* store.streamHistoryRaw(t, options);
      if (t === type) await then();
    },
  };
  return { ...deps, store: Object.assign(Object.create(store) as ResourceStore, reader) };
}

async function seed(store: ResourceStore): Promise<void> {
  const ops = [];
  for (let i = 0; i < 6; i++) ops.push({ op: 'put' as const, resource: patient(`p${i}`, `Fam${i}`) }, { op: 'put' as const, resource: observation(`o${i}`, `p${i}`) });
  await store.write(ops);
  await store.update(patient('p0', 'Changed'));
  await store.delete('Observation', 'o5');
}

describe.each(STORES)('backup chain on %s', (_name, open) => {
  let f: Fixture;
  /** The store's clock: real time unless a test holds it back. */
  let clock: () => number;
  beforeEach(async () => {
    clock = Date.now;
    f = await fixtureOf((dir) => open(dir, () => clock()));
  });
  afterEach(() => f.close());

  /**
   * A full backup and two incrementals, each with a write stamped before it began and committed once it had
   * read that write's type (the store clock held back a second meanwhile), and writes between them.
   */
  async function lateWritesChain(): Promise<BackupManifest[]> {
    await seed(f.store);
    const stamped = Date.now() - 1000;
    const late = (type: string, write: () => Promise<unknown>) =>
      afterReading(f.deps, type, async () => {
        clock = () => stamped;
        await write();
        clock = Date.now;
      });
    const full = (await runBackup(late('Patient', () => f.store.update(patient('p1', 'Late'))), { type: 'full' })).manifest;
    await f.store.update(patient('p2', 'Between'));
    const inc1 = (await runBackup(late('Observation', () => f.store.delete('Observation', 'o3')), { type: 'incremental' })).manifest;
    await f.store.update(patient('p4', 'After'));
    const inc2 = (await runBackup(f.deps, { type: 'incremental' })).manifest;
    return [full, inc1, inc2];
  }

  it('a version stamped before a backup began, committed after it read that type, is in the next incremental', async () => {
    const [full, inc1, inc2] = await lateWritesChain();
    expect(versionsIn(f.dir, full)).not.toContain('Patient/p1/2');
    expectHolds(f.store, f.dir, inc1, ['Patient/p1/2', 'Patient/p2/2']);
    expectHolds(f.store, f.dir, inc2, ['Observation/o3/2', 'Patient/p4/2']);
  });

  it('that chain, full backup and incrementals, verifies and restores to exactly the store\'s versions', async () => {
    const chain = await lateWritesChain();
    const before = await dumpHistory(f.store);
    const counts = await f.store.countByType();
    for (const m of chain) expect((await verifyBackup(localBackups(f.dir), m.id)).ok).toBe(true);
    await f.store.clear();
    const restored = await restoreBackup(f.deps, { id: chain[2].id });
    const copies = chain.reduce((n, m) => n + m.counts.versions, 0);
    expect(await dumpHistory(f.store)).toEqual(before);
    expect(restored).toMatchObject({ backups: chain.map((m) => m.id), versions: before.length, skipped: copies - before.length });
    expect(await f.store.countByType()).toEqual(counts);
  });

  it('an incremental continuing a backup of another store (here: a new one the chain was restored into) holds every version', async () => {
    await seed(f.store);
    const full = (await runBackup(f.deps, { type: 'full' })).manifest;
    const fresh = await fixtureOf((dir) => open(dir, Date.now));
    try {
      fs.cpSync(backupDir(f.dir, full.id), backupDir(fresh.dir, full.id), { recursive: true });
      await restoreBackup(fresh.deps, { id: full.id });
      await fresh.store.update(patient('p3', 'New'));
      const inc = (await runBackup(fresh.deps, { type: 'incremental' })).manifest;
      const all = await dumpHistory(fresh.store);
      expect(inc.counts.versions).toBe(all.length);
      await fresh.store.clear();
      expect(await restoreBackup(fresh.deps, { id: inc.id })).toMatchObject({ versions: all.length, skipped: full.counts.versions });
      expect(await dumpHistory(fresh.store)).toEqual(all);
    } finally {
      await fresh.close();
    }
  });
});

/** A database whose next history bulk write, once armed, waits until released: a write held before it commits. */
function holdingHistory(inner: MongoDatabaseLike): { db: MongoDatabaseLike; hold(): { reached: Promise<void>; release(): void } } {
  let armed: { reached(): void; released: Promise<void> } | null = null;
  const wrap = (db: MongoDatabaseLike): MongoDatabaseLike => ({
    collection<T extends MongoDoc>(name: string): MongoCollectionLike<T> {
      const c = db.collection<T>(name);
      if (name !== HISTORY) return c;
      const held: Partial<MongoCollectionLike<T>> = {
        async bulkWrite(ops: BulkOp<T>[]) {
          const gate = armed;
          armed = null;
          if (gate) {
            gate.reached();
            await gate.released;
          }
          return c.bulkWrite(ops);
        },
      };
      return Object.assign(Object.create(c) as MongoCollectionLike<T>, held);
    },
    transactional: () => db.transactional(),
    withTransaction: (fn) => db.withTransaction((tx) => fn(wrap(tx))),
    close: () => db.close(),
  });
  return {
    db: wrap(inner),
    hold() {
      let reached!: () => void;
      let release!: () => void;
      const gate = { reached: new Promise<void>((r) => (reached = r)), released: new Promise<void>((r) => (release = r)) };
      armed = { reached, released: gate.released };
      return { reached: gate.reached, release };
    },
  };
}

describe.each([
  ['transactions', true],
  ['standalone', false],
])('mongo (mingo, %s): writes held before they commit', (_name, transactions) => {
  let f: Fixture;
  let mingo: MingoDatabase;
  let held: ReturnType<typeof holdingHistory>;
  beforeEach(async () => {
    mingo = new MingoDatabase({ transactions });
    held = holdingHistory(mingo);
    // A mark waits this long for the writes open when it was taken (history-marks.ts), then goes on without them.
    f = await fixtureOf(() => createMongoStoreFromDatabase(held.db, { markWaitMs: 300 }));
  });
  afterEach(() => f.close());

  const lateWrite = () => f.store.write([{ op: 'put', resource: patient('p1', 'Late') }, { op: 'delete', resourceType: 'Observation', id: 'o2' }], { atomic: true });

  it('a write open when a full backup starts and landing within its wait is in that backup', async () => {
    await seed(f.store);
    const gate = held.hold();
    const writing = lateWrite();
    await gate.reached;
    const backup = runBackup(f.deps, { type: 'full' });
    setTimeout(gate.release, 50);
    const full = (await backup).manifest;
    await writing;
    expect(versionsIn(f.dir, full)).toEqual(expect.arrayContaining(['Observation/o2/2', 'Patient/p1/2']));
    const inc = (await runBackup(f.deps, { type: 'incremental' })).manifest;
    expect(versionsIn(f.dir, inc)).toEqual([]);
  });

  it('a write open past a full backup\'s wait, landing after it, is numbered again and is in the next incremental', async () => {
    await seed(f.store);
    const gate = held.hold();
    const writing = lateWrite();
    await gate.reached;
    const full = (await runBackup(f.deps, { type: 'full' })).manifest;
    gate.release();
    await writing;
    const inc = (await runBackup(f.deps, { type: 'incremental' })).manifest;
    expect(versionsIn(f.dir, full)).not.toContain('Patient/p1/2');
    expectHolds(f.store, f.dir, inc, ['Observation/o2/2', 'Patient/p1/2']);
    const before = await dumpHistory(f.store);
    await f.store.clear();
    await restoreBackup(f.deps, { id: inc.id });
    expect(await dumpHistory(f.store)).toEqual(before);
  });

  it('a version stored again under its _id after a backup read it is in the next backup too; restore keeps the later copy', async () => {
    await seed(f.store);
    const full = (await runBackup(f.deps, { type: 'full' })).manifest;
    // As a later write call that stores a version's history document again (replaceOne with upsert) does: with
    // that call's position, after the full backup's mark. One copy is the same, the other differs (what the
    // store held before was taken back).
    const q = Number(full.mark?.split(':')[1]) + 1;
    const history = mingo.collection<MongoDoc>(HISTORY);
    const same = mingo.dump(HISTORY).find((d) => d._id === 'Patient/p3/v1')!;
    const changed = mingo.dump(HISTORY).find((d) => d._id === 'Patient/p0/v1')!;
    const json = JSON.parse(changed.json as string) as { name: { family: string }[] };
    json.name[0].family = 'Rewritten';
    const rewrites = [same, { ...changed, json: JSON.stringify(json) }].map((doc) => ({
      replaceOne: { filter: { _id: doc._id }, replacement: { ...doc, q }, upsert: true },
    }));
    await history.bulkWrite(rewrites);
    const inc = (await runBackup(f.deps, { type: 'incremental' })).manifest;
    expect(versionsIn(f.dir, inc).sort()).toEqual(['Patient/p0/1', 'Patient/p3/1']);
    for (const m of [full, inc]) expect((await verifyBackup(localBackups(f.dir), m.id)).ok).toBe(true);
    const before = await dumpHistory(f.store);
    await f.store.clear();
    expect(await restoreBackup(f.deps, { id: inc.id })).toMatchObject({ versions: before.length, skipped: 2 });
    expect(await dumpHistory(f.store)).toEqual(before);
    expect(JSON.stringify(await f.store.vread('Patient', 'p0', '1'))).toContain('Rewritten');
  });
});
