import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { backupDir } from '../../src/maintenance/backup-ids.js';
import { listBackupIds, MANIFEST_FILE, manifestText } from '../../src/maintenance/backup-manifest.js';
import { localBackups } from '../../src/maintenance/backup-area.js';
import { restoreBackup } from '../../src/maintenance/restore-backup.js';
import { runBackup } from '../../src/maintenance/run-backup.js';
import { verifyBackup } from '../../src/maintenance/verify-backup.js';
import { dumpHistory, fixture, observation, patient, sleep, type Fixture } from './fixture.js';

/** 30 patients with 2 observations each, some updated twice, some deleted, one type fully deleted. */
async function seed(f: Fixture): Promise<void> {
  const ops = [];
  for (let i = 0; i < 30; i++) ops.push({ op: 'put' as const, resource: patient(`p${i}`, `Fam${i}`) }, { op: 'put' as const, resource: observation(`o${i}a`, `p${i}`) }, { op: 'put' as const, resource: observation(`o${i}b`, `p${i}`) });
  ops.push({ op: 'put' as const, resource: { resourceType: 'Device', id: 'd1' } as never });
  await f.store.write(ops);
  await sleep(3);
  for (let i = 0; i < 5; i++) await f.store.update(patient(`p${i}`, `Changed${i}`));
  await sleep(3);
  await f.store.update(patient('p0', 'Twice'));
  await f.store.delete('Observation', 'o7a');
  await f.store.delete('Device', 'd1');
  await f.store.write([{ op: 'put', resource: observation('o7a', 'p7') }]);
}

describe('backup and restore', () => {
  let f: Fixture;
  beforeEach(() => (f = fixture()));
  afterEach(() => f.close());

  it('full backup, wipe, restore: every version and deletion identical, counts equal', async () => {
    await seed(f);
    const before = await dumpHistory(f.store);
    const counts = await f.store.countByType();
    const { manifest } = await runBackup(f.deps, { type: 'full' });
    expect(manifest.counts.versions).toBe(before.length);
    expect(manifest.counts.deletions).toBe(2);
    expect(manifest.files.find((x) => x.resourceType === 'Device')).toMatchObject({ versions: 2, current: 0, deletions: 1 });
    expect((await verifyBackup(localBackups(f.dir), manifest.id)).ok).toBe(true);
    await f.store.clear();
    const result = await restoreBackup(f.deps, { id: manifest.id });
    expect(result.versions).toBe(before.length);
    expect(await dumpHistory(f.store)).toEqual(before);
    expect(await f.store.countByType()).toEqual(counts);
  });

  it('full, then 10 changes and 2 deletions, incremental, wipe, restore both: the state before the wipe', async () => {
    await seed(f);
    await sleep(3);
    const full = (await runBackup(f.deps, { type: 'full' })).manifest;
    await sleep(3);
    for (let i = 10; i < 20; i++) await f.store.update(patient(`p${i}`, `Inc${i}`));
    await f.store.delete('Observation', 'o20a');
    await f.store.delete('Observation', 'o21b');
    const before = await dumpHistory(f.store);
    const inc = (await runBackup(f.deps, { type: 'incremental' })).manifest;
    expect(inc).toMatchObject({ format: 2, parent: full.id, base: full.id, after: full.mark });
    expect(inc.mark).not.toBe(full.mark);
    expect(inc.counts).toMatchObject({ versions: 12, deletions: 2 });
    await f.store.clear();
    const result = await restoreBackup(f.deps, { id: inc.id });
    expect(result.backups).toEqual([full.id, inc.id]);
    expect(await dumpHistory(f.store)).toEqual(before);
  });

  it('the store clock does not decide what an incremental holds: one running an hour ahead or behind, each version is in one backup', async () => {
    await f.close();
    let offset = 3_600_000;
    f = fixture(() => Date.now() + offset);
    await seed(f);
    const full = (await runBackup(f.deps, { type: 'full' })).manifest;
    expect((await runBackup(f.deps, { type: 'incremental' })).manifest.counts.versions).toBe(0);
    offset = -3_600_000;
    await f.store.update(patient('p1', 'Behind'));
    const inc = (await runBackup(f.deps, { type: 'incremental' })).manifest;
    expect(inc.counts.versions).toBe(1);
    const before = await dumpHistory(f.store);
    expect(full.counts.versions + inc.counts.versions).toBe(before.length);
    await f.store.clear();
    const result = await restoreBackup(f.deps, { id: inc.id });
    expect(result).toMatchObject({ versions: before.length, skipped: 0 });
    expect(await dumpHistory(f.store)).toEqual(before);
  });

  it('an incremental continuing a format 1 backup (chained by instant, without a mark) holds every version', async () => {
    await seed(f);
    const full = (await runBackup(f.deps, { type: 'full' })).manifest;
    const { mark: _mark, ...old } = full;
    fs.writeFileSync(path.join(backupDir(f.dir, full.id), MANIFEST_FILE), manifestText({ ...old, format: 1 }));
    const inc = (await runBackup(f.deps, { type: 'incremental' })).manifest;
    expect(inc.after).toBeUndefined();
    expect(inc.counts.versions).toBe(full.counts.versions);
    const before = await dumpHistory(f.store);
    await f.store.clear();
    expect(await restoreBackup(f.deps, { id: inc.id })).toMatchObject({ versions: before.length, skipped: before.length });
    expect(await dumpHistory(f.store)).toEqual(before);
  });

  it('one changed byte: verify fails, restore refuses, the store is untouched', async () => {
    await seed(f);
    const { manifest } = await runBackup(f.deps, { type: 'full' });
    const file = path.join(backupDir(f.dir, manifest.id), 'Patient.ndjson.gz');
    const bytes = fs.readFileSync(file);
    bytes[Math.floor(bytes.length / 2)] ^= 0x01;
    fs.writeFileSync(file, bytes);
    const verify = await verifyBackup(localBackups(f.dir), manifest.id);
    expect(verify.ok).toBe(false);
    expect(verify.problems.join()).toMatch(/Patient\.ndjson\.gz: SHA-256/);
    await f.store.clear();
    await expect(restoreBackup(f.deps, { id: manifest.id })).rejects.toMatchObject({ status: 422 });
    expect(await dumpHistory(f.store)).toEqual([]);
  });

  it('a restore that stops part-way (here cancelled after its first batch) leaves the store empty, not half restored', async () => {
    await seed(f);
    const { manifest } = await runBackup(f.deps, { type: 'full' });
    expect(manifest.files.length).toBeGreaterThan(1);
    await f.store.clear();
    const cancel = new AbortController();
    const restoring = restoreBackup({ ...f.deps, signal: cancel.signal, progress: () => cancel.abort() }, { id: manifest.id });
    await expect(restoring).rejects.toThrow();
    expect(cancel.signal.aborted).toBe(true);
    expect(await dumpHistory(f.store)).toEqual([]);
  });

  it('a changed byte in the manifest also fails verification', async () => {
    await seed(f);
    const { manifest } = await runBackup(f.deps, { type: 'full' });
    const file = path.join(backupDir(f.dir, manifest.id), 'manifest.json');
    const text = fs.readFileSync(file, 'utf8');
    const at = text.indexOf('"deletions": 1') + '"deletions": '.length;
    fs.writeFileSync(file, `${text.slice(0, at)}2${text.slice(at + 1)}`);
    expect((await verifyBackup(localBackups(f.dir), manifest.id)).ok).toBe(false);
  });

  it('refuses a non-empty store unless asked to replace it', async () => {
    await seed(f);
    const { manifest } = await runBackup(f.deps, { type: 'full' });
    const before = await dumpHistory(f.store);
    await expect(restoreBackup(f.deps, { id: manifest.id })).rejects.toMatchObject({ status: 409 });
    expect(await dumpHistory(f.store)).toEqual(before);
    await f.store.update(patient('p1', 'After'));
    await restoreBackup(f.deps, { id: manifest.id, replace: true });
    expect(await dumpHistory(f.store)).toEqual(before);
  });

  it('refuses unknown ids, ids with ../ and incrementals without a full backup', async () => {
    await expect(restoreBackup(f.deps, { id: '20240101T000000000Z-full' })).rejects.toMatchObject({ status: 404 });
    await expect(restoreBackup(f.deps, { id: '../../etc/passwd' })).rejects.toMatchObject({ status: 400 });
    await expect(verifyBackup(localBackups(f.dir), '20240101T000000000Z-full/../x')).rejects.toMatchObject({ status: 400 });
    await expect(runBackup(f.deps, { type: 'incremental' })).rejects.toMatchObject({ status: 409 });
  });

  it('fhir backup is one collection Bundle of the current resources', async () => {
    await seed(f);
    const { manifest } = await runBackup(f.deps, { type: 'fhir' });
    const bundle = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(backupDir(f.dir, manifest.id), 'bundle.json.gz'))).toString());
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    expect(bundle.entry).toHaveLength(90);
    await expect(restoreBackup(f.deps, { id: manifest.id })).rejects.toMatchObject({ status: 400 });
  });

  it('retention keeps the newest N full backups with their incrementals', async () => {
    await seed(f);
    const first = (await runBackup(f.deps, { type: 'full', keep: 2 })).manifest.id;
    const inc = (await runBackup(f.deps, { type: 'incremental', keep: 2 })).manifest.id;
    const second = (await runBackup(f.deps, { type: 'full', keep: 2 })).manifest.id;
    expect(await listBackupIds(localBackups(f.dir))).toEqual([first, inc, second]);
    const third = await runBackup(f.deps, { type: 'full', keep: 2 });
    expect(third.removed).toEqual([first, inc]);
    expect(await listBackupIds(localBackups(f.dir))).toEqual([second, third.manifest.id]);
  });
});
