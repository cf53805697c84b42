/**
 * Snapshot backups of the embedded store: the database file copied while it serves, restored by putting a
 * copy in place of the store's file. Exact (every version, deletion and index row: searches answer as before),
 * refused where it cannot hold (another schema, a damaged file, a store with content unless replacing, another
 * connection to the file, a MongoDB store), and an incremental after a restore holds everything written since.
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';
import path from 'node:path';
import { backupDir, SNAPSHOT_FILE } from '../../src/maintenance/backup-ids.js';
import { listBackupIds } from '../../src/maintenance/backup-manifest.js';
import { localBackups } from '../../src/maintenance/backup-area.js';
import { restoreBackup } from '../../src/maintenance/restore-backup.js';
import { SQLITE_FILE } from '../../src/store/open-store.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { runBackup } from '../../src/maintenance/run-backup.js';
import { verifyBackup } from '../../src/maintenance/verify-backup.js';
import { parseSearchQuery } from '../../src/search/parse-query.js';
import { createMongoStoreFromDatabase } from '../../src/store/mongo/mongo-store.js';
import { MingoDatabase } from '../store/mingo-collection.js';
import { dumpHistory, fixture, fixtureOf, observation, patient, type Fixture } from './fixture.js';

async function seed(f: Fixture): Promise<void> {
  const ops = [];
  for (let i = 0; i < 20; i++) ops.push({ op: 'put' as const, resource: patient(`p${i}`, `Fam${i}`) }, { op: 'put' as const, resource: observation(`o${i}`, `p${i}`) });
  await f.store.write(ops);
  for (let i = 0; i < 4; i++) await f.store.update(patient(`p${i}`, `Changed${i}`));
  await f.store.delete('Observation', 'o5');
}

const search = async (f: Fixture, type: string, query: string) =>
  (await f.store.search(parseSearchQuery(type, new URLSearchParams(query), { strict: true }).query)).resources.map((r) => r.id).sort();

describe('snapshot backups', () => {
  let f: Fixture;
  beforeEach(() => (f = fixture()));
  afterEach(() => f.close());

  it('backup, change everything, restore over it: every version, deletion and index row as at the snapshot', async () => {
    await seed(f);
    const before = await dumpHistory(f.store);
    const found = await search(f, 'Observation', 'subject=Patient/p3');
    const { manifest } = await runBackup(f.deps, { type: 'snapshot' });
    expect(manifest).toMatchObject({ type: 'snapshot', schema: expect.any(Number), counts: { versions: before.length, current: 39, deletions: 1 } });
    expect(manifest.files).toEqual([expect.objectContaining({ resourceType: '*', file: SNAPSHOT_FILE })]);
    expect(fs.readdirSync(backupDir(f.dir, manifest.id)).sort()).toEqual(['manifest.json', SNAPSHOT_FILE]);
    expect((await verifyBackup(localBackups(f.dir), manifest.id)).ok).toBe(true);

    await f.store.update(patient('p3', 'After'));
    await f.store.delete('Observation', 'o3');
    // Leases and system documents describe the deployment, not the data: a restore keeps the store's own.
    expect(await f.store.acquireLock('task:backup', 'me', 60_000)).toBe(true);
    await f.store.putSystem('deployment', { since: 'after the snapshot' });
    await f.store.create(patient('new', 'New') as never);
    await expect(restoreBackup(f.deps, { id: manifest.id })).rejects.toMatchObject({ status: 409 });
    const result = await restoreBackup(f.deps, { id: manifest.id, replace: true });
    expect(result.versions).toBe(before.length);
    expect(await dumpHistory(f.store)).toEqual(before);
    expect(await search(f, 'Observation', 'subject=Patient/p3')).toEqual(found);
    expect(await search(f, 'Patient', 'family=Changed3')).toEqual(['p3']);
    expect(await f.store.acquireLock('task:backup', 'someone else', 60_000)).toBe(false);
    expect(await f.store.getSystem('deployment')).toEqual({ since: 'after the snapshot' });
    // Writes after the restore go on from the restored versions.
    expect((await f.store.update(patient('p3', 'Later'))).resource.meta.versionId).toBe('3');
    // Nothing of the snapshot file changed by being read: it still verifies.
    expect((await verifyBackup(localBackups(f.dir), manifest.id)).ok).toBe(true);
  });

  it('an incremental after a restore holds every version written since, whatever marks came before', async () => {
    await seed(f);
    const snapshot = (await runBackup(f.deps, { type: 'snapshot' })).manifest;
    await runBackup(f.deps, { type: 'full' });
    await f.store.clear();
    await restoreBackup(f.deps, { id: snapshot.id });
    await f.store.update(patient('p9', 'Since'));
    const inc = (await runBackup(f.deps, { type: 'incremental' })).manifest;
    expect(inc.counts.versions).toBe((await dumpHistory(f.store)).length);
  });

  it('a damaged snapshot or one of another schema is refused and the store is left as it was', async () => {
    await seed(f);
    const { manifest } = await runBackup(f.deps, { type: 'snapshot' });
    await f.store.update(patient('p1', 'Kept'));
    const now = await dumpHistory(f.store);
    const file = path.join(backupDir(f.dir, manifest.id), SNAPSHOT_FILE);
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 100] ^= 0xff;
    fs.writeFileSync(file, bytes);
    await expect(restoreBackup(f.deps, { id: manifest.id, replace: true })).rejects.toMatchObject({ status: 422, message: expect.stringContaining('SHA-256') });
    expect(await dumpHistory(f.store)).toEqual(now);
    await expect(f.store.restoreSnapshot!(path.join(f.dir, 'missing.sqlite'))).rejects.toMatchObject({ status: 422 });
    const older = path.join(f.dir, 'older.sqlite');
    fs.copyFileSync(path.join(backupDir(f.dir, (await runBackup(f.deps, { type: 'snapshot' })).manifest.id), SNAPSHOT_FILE), older);
    const db = new Database(older);
    db.pragma('user_version = 3');
    db.close();
    await expect(f.store.restoreSnapshot!(older)).rejects.toMatchObject({ status: 422, message: expect.stringContaining('schema version 3') });
    fs.writeFileSync(path.join(f.dir, 'not-a-db.sqlite'), 'hello');
    await expect(f.store.restoreSnapshot!(path.join(f.dir, 'not-a-db.sqlite'))).rejects.toMatchObject({ status: 422 });
    expect(await dumpHistory(f.store)).toEqual(now);
    expect(fs.readdirSync(f.dir).filter((name) => name.includes('restore'))).toEqual([]);
  });

  it("a restore replaces the store's file: jobs kept, a store opened on the file later sees the restored content, no copy left", async () => {
    await seed(f);
    const before = await dumpHistory(f.store);
    const { manifest } = await runBackup(f.deps, { type: 'snapshot' });
    await f.store.update(patient('p1', 'After'));
    await f.store.putJob({ id: 'job-1', status: 'running', created: new Date().toISOString() });
    await restoreBackup(f.deps, { id: manifest.id, replace: true });
    expect(await f.store.getJob('job-1')).toMatchObject({ status: 'running' });
    expect(fs.readdirSync(f.dir).filter((name) => name.includes('restore'))).toEqual([]);
    await f.store.close();
    const reopened = createSqliteStore({ path: path.join(f.dir, SQLITE_FILE) });
    try {
      expect(await dumpHistory(reopened)).toEqual(before);
      expect(await reopened.getJob('job-1')).toMatchObject({ status: 'running' });
    } finally {
      await reopened.close();
    }
  });

  it("another connection to the store's file refuses the restore with a 409 and the store serves on as it was", async () => {
    await seed(f);
    const { manifest } = await runBackup(f.deps, { type: 'snapshot' });
    await f.store.update(patient('p1', 'Kept'));
    const now = await dumpHistory(f.store);
    const other = new Database(path.join(f.dir, SQLITE_FILE));
    try {
      other.prepare('SELECT count(*) FROM resources').get();
      await expect(restoreBackup(f.deps, { id: manifest.id, replace: true })).rejects.toMatchObject({ status: 409 });
      expect(await dumpHistory(f.store)).toEqual(now);
      expect((await f.store.update(patient('p1', 'Again'))).resource.meta.versionId).toBe('4');
    } finally {
      other.close();
    }
    expect(fs.readdirSync(f.dir).filter((name) => name.includes('restore'))).toEqual([]);
    await restoreBackup(f.deps, { id: manifest.id, replace: true });
    expect((await f.store.read('Patient', 'p1')).meta.versionId).toBe('2');
  });

  it('retention keeps the newest N snapshots', async () => {
    for (let i = 0; i < 3; i++) await runBackup(f.deps, { type: 'snapshot', keep: 2 });
    expect((await listBackupIds(localBackups(f.dir))).filter((id) => id.endsWith('-snapshot'))).toHaveLength(2);
  });
});

it('a MongoDB store answers a snapshot backup with a 400 naming the full backup instead', async () => {
  const m = await fixtureOf(() => createMongoStoreFromDatabase(new MingoDatabase()));
  try {
    await expect(runBackup(m.deps, { type: 'snapshot' })).rejects.toMatchObject({ status: 400 });
    expect(await listBackupIds(localBackups(m.dir))).toEqual([]);
  } finally {
    await m.close();
  }
});
