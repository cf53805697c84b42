/**
 * Snapshot backups of the embedded store. Writing goes through SQLite's online backup API (better-sqlite3's
 * `backup`): it copies the store's file page by page and restarts if another connection writes meanwhile, so
 * the copy is one consistent state. The copy is then taken out of WAL mode, so reading it later leaves no
 * journal beside it and its bytes never change.
 *
 * Restoring puts a copy of the snapshot in place of the store's file. The snapshot is copied beside that file
 * while the store keeps serving and the file's checksum, which the caller checks, is computed beside the copy,
 * and synced to disk; opening the copy refuses a file that is no database or one of another schema (422). Then, in one synchronous step
 * nothing else in the process can interleave with: the store's leases, system documents and jobs, which
 * describe the deployment, not the data (the restore itself runs as a job), and a new series of the version
 * counter are written into the copy in one transaction; the store's connection closes; the copy is renamed
 * over the file (atomic on POSIX) and the folder synced; a new connection opens it and the store rebuilds its
 * statements and caches on it (connection.ts). A failure before the rename leaves the store's file as it was. With the new series no
 * history mark taken before the restore bounds what comes after it (history-mark.ts): the next incremental
 * backup holds everything. Writes accepted while the copy is made are replaced with the rest of the content,
 * and a stream still reading the old connection fails instead of mixing both.
 * Each page is written once. Copying the pages into the live file through the backup API, as this did before,
 * wrote each twice (to the write-ahead log, then back at the checkpoint) and was 4.5 times faster than
 * replaying the versions of the 1 GB benchmark population; replacing the file is ten times faster or more.
 *
 * Other connections: one holding the old file would go on reading, and writing, a file nobody sees any more,
 * and the param ids another process caches would not match the restored ones. So the file is replaced only
 * when the store's connection was the last: SQLite removes the write-ahead log when the last connection to
 * the file closes, so a log left after the store's close means another is open (say a server beside a CLI
 * restore), and the restore is refused (409) with the store reopened as it was. The embedded store is one
 * process, normally; a process opening the file between that check and the rename goes unnoticed.
 * @see https://www.sqlite.org/backup.html
 * @see https://www.sqlite.org/wal.html
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { badRequest, conflict, unprocessable } from '../../fhir/outcomes.js';
import { newSeries } from '../history-mark.js';
import type { SnapshotCounts, SnapshotDigest } from '../resource-store.js';
import { openDatabase, SCHEMA_VERSION } from './schema.js';

function counts(db: Database.Database): SnapshotCounts {
  const one = (sql: string) => db.prepare(sql).pluck().get() as number;
  return {
    versions: one('SELECT count(*) FROM versions'),
    current: one('SELECT count(*) FROM resources WHERE deleted = 0'),
    deletions: one('SELECT count(*) FROM resources WHERE deleted = 1'),
    schema: db.pragma('user_version', { simple: true }) as number,
  };
}

/** A backup is written to disk before it is reported done; left to the kernel, a restore soon after paid for it. */
function syncFile(file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export async function writeSnapshot(db: Database.Database, file: string): Promise<SnapshotCounts> {
  await db.backup(file);
  const copy = new Database(file);
  try {
    copy.pragma('journal_mode = DELETE');
    return counts(copy);
  } finally {
    copy.close();
    syncFile(file);
  }
}

const notSnapshot = (file: string, err: unknown) => unprocessable(`${file} is not a snapshot of this store: ${(err as Error).message}`);

/** Bytes per read of the checksum: 1 MB reads hashed a 2.3 GB snapshot in 2.3 s, 8 MB ones in 1.5 s. */
const CHUNK = 8 << 20;

/** Size and SHA-256 of `file`, read in large chunks. */
async function digestOf(file: string): Promise<SnapshotDigest> {
  const source = await fs.promises.open(file, 'r');
  try {
    const hash = createHash('sha256');
    const buffer = Buffer.allocUnsafe(CHUNK);
    let bytes = 0;
    for (let read; (read = (await source.read(buffer, 0, CHUNK, null)).bytesRead) > 0; bytes += read) hash.update(buffer.subarray(0, read));
    return { bytes, sha256: hash.digest('hex') };
  } finally {
    await source.close();
  }
}

/** How often the copy's written part is flushed while it is being written. */
const SYNC_EVERY_MS = 200;

/**
 * Flushes `target` every SYNC_EVERY_MS until `writing` settles, then once more: the disk writes the copy while
 * the kernel is still making it, instead of all 2.3 GB at the final sync (copy and sync took 2.9-3.1 s on this
 * benchmark file, 1.9-2.0 s when flushed as it grows; up to 7 s after a restore left the disk busy).
 */
async function syncWhile(target: fs.promises.FileHandle, writing: Promise<unknown>): Promise<void> {
  let done = false;
  const settled = writing.then(
    () => (done = true),
    () => (done = true),
  );
  while (!done) {
    await Promise.race([settled, sleep(SYNC_EVERY_MS)]);
    if (!done) await target.datasync();
  }
  await target.sync();
}

/**
 * `file` copied to `staged` and synced, so the commit made into the copy later writes a few pages, not the whole
 * file, with the size and SHA-256 of `file`. The kernel copies (copy_file_range) on a thread of its own while
 * this one hashes: on two cores the 2.3 GB benchmark snapshot took 2.2 s, where one pass that read, hashed and
 * wrote each chunk took 6.4 to 7.6 s. A backup's file is written once, so the file hashed is the file copied.
 * `staged` is created here (exclusively) and the copy written into it, so its handle can flush it meanwhile.
 */
async function copyHashed(file: string, staged: string): Promise<SnapshotDigest> {
  if (!fs.existsSync(file)) throw notSnapshot(file, new Error('no such file'));
  const target = await fs.promises.open(staged, 'wx');
  try {
    const copying = fs.promises.copyFile(file, staged);
    // All settle before any failure is thrown, so no copy is still being written when the caller cleans up.
    const [digest, copied, synced] = await Promise.allSettled([digestOf(file), copying, syncWhile(target, copying)]);
    for (const step of [digest, copied, synced]) if (step.status === 'rejected') throw step.reason;
    return (digest as PromiseFulfilledResult<SnapshotDigest>).value;
  } finally {
    await target.close();
  }
}

/** The staged copy opened with what it holds; 422 when it is no database, or one of another schema. */
function openStaged(file: string, staged: string): { copy: Database.Database; found: SnapshotCounts } {
  const copy = new Database(staged, { fileMustExist: true });
  try {
    const found = counts(copy);
    if (found.schema === SCHEMA_VERSION) return { copy, found };
    throw unprocessable(`The snapshot has schema version ${found.schema} and this store ${SCHEMA_VERSION}: restore a full backup instead`);
  } catch (err) {
    copy.close();
    if (err instanceof Error && 'status' in err) throw err;
    throw notSnapshot(file, err);
  }
}

/** The store's leases, system documents and jobs into the copy, replacing the snapshot's, with a new version series that goes on from the store's last number. */
function keepDeployment(db: Database.Database, copy: Database.Database): void {
  const locks = db.prepare('SELECT name, owner, expires FROM locks').all();
  const system = db.prepare('SELECT key, json FROM system').all();
  const jobs = db.prepare('SELECT id, status, created, json FROM jobs').all();
  const lastSeq = db.prepare('SELECT value FROM version_seq').pluck().get() as number;
  copy.transaction(() => {
    copy.exec('DELETE FROM locks; DELETE FROM system; DELETE FROM jobs');
    const lock = copy.prepare('INSERT INTO locks (name, owner, expires) VALUES (@name, @owner, @expires)');
    for (const row of locks) lock.run(row);
    const doc = copy.prepare('INSERT INTO system (key, json) VALUES (@key, @json)');
    for (const row of system) doc.run(row);
    const job = copy.prepare('INSERT INTO jobs (id, status, created, json) VALUES (@id, @status, @created, @json)');
    for (const row of jobs) job.run(row);
    // The counter never goes back: change numbers (change-feed.ts) given before the restore stay below what follows.
    copy.prepare('UPDATE version_seq SET series = ?, value = max(value, ?)').run(newSeries(), lastSeq);
  }).immediate();
}

/** Closes the store's connection, renames `staged` over its file when it was the last, and hands `reconnect` the new connection. */
function swap(db: Database.Database, staged: string, reconnect: (db: Database.Database) => void): void {
  const file = db.name;
  db.close();
  if (fs.existsSync(`${file}-wal`)) {
    reconnect(openDatabase(file));
    throw conflict('Another connection has the store open (a server beside this command?): restore through it, or stop it first');
  }
  try {
    fs.renameSync(staged, file);
  } catch (err) {
    reconnect(openDatabase(file));
    throw err;
  }
  if (process.platform !== 'win32') {
    const dir = fs.openSync(path.dirname(file), 'r');
    try {
      fs.fsyncSync(dir);
    } finally {
      fs.closeSync(dir);
    }
  }
  reconnect(openDatabase(file));
}

/**
 * Replaces the store's file with a copy of the snapshot, once `verify` accepts the size and SHA-256 of what was
 * copied; `reconnect` takes the connection to the new file.
 */
export async function restoreSnapshot(
  db: Database.Database,
  file: string,
  reconnect: (db: Database.Database) => void,
  verify: (copied: SnapshotDigest) => void = () => undefined,
): Promise<SnapshotCounts> {
  if (db.memory) throw badRequest('An in-memory store has no file to restore a snapshot into');
  const staged = `${db.name}-restore`;
  let copy: Database.Database | undefined;
  try {
    verify(await copyHashed(file, staged));
    const opened = openStaged(file, staged);
    copy = opened.copy;
    keepDeployment(db, copy);
    copy.close();
    swap(db, staged, reconnect);
    return opened.found;
  } finally {
    if (copy?.open) copy.close();
    for (const left of [staged, `${staged}-journal`]) fs.rmSync(left, { force: true });
  }
}
