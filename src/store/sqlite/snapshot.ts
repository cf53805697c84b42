/**
 * Snapshot backups of the embedded store, both ways through SQLite's online backup API (better-sqlite3's
 * `backup`). Writing copies the store's file page by page; SQLite restarts the copy if another connection
 * writes meanwhile, so it is one consistent state. The copy is then taken out of WAL mode, so reading it
 * later leaves no journal beside it and its bytes never change. Restoring copies the snapshot's pages into
 * the store's file through a connection of its own, in one write transaction: every connection to the file,
 * the store's own and other processes', sees the old content or the restored one, never a mix, and the pages
 * move as they are, with no JSON parsed and no index entry computed, which is what makes it many times faster
 * than replaying versions. The store's leases, system documents and jobs describe the deployment, not the
 * data (the restore itself runs as a job), so they are put back as they were, in a transaction right after. Its commit checkpoints the file's pages out of
 * the write-ahead log, the second write an atomic replacement costs. The restored version counter gets a new series, so no history mark taken
 * before the restore bounds what comes after it (history-mark.ts): the next incremental backup holds everything.
 * @see https://www.sqlite.org/backup.html
 */
import Database from 'better-sqlite3';
import { badRequest, unprocessable } from '../../fhir/outcomes.js';
import { newSeries } from '../history-mark.js';
import type { SnapshotCounts } from '../resource-store.js';
import { SCHEMA_VERSION } from './schema.js';

/** Pages per backup step: all of them, so a restore is one write transaction on the store's file. */
const ALL_PAGES = 2 ** 31 - 1;

function counts(db: Database.Database): SnapshotCounts {
  const one = (sql: string) => db.prepare(sql).pluck().get() as number;
  return {
    versions: one('SELECT count(*) FROM versions'),
    current: one('SELECT count(*) FROM resources WHERE deleted = 0'),
    deletions: one('SELECT count(*) FROM resources WHERE deleted = 1'),
    schema: db.pragma('user_version', { simple: true }) as number,
  };
}

export async function writeSnapshot(db: Database.Database, file: string): Promise<SnapshotCounts> {
  await db.backup(file);
  const copy = new Database(file);
  try {
    copy.pragma('journal_mode = DELETE');
    return counts(copy);
  } finally {
    copy.close();
  }
}

/** The snapshot opened read-only with what it holds; 422 when it is no database, or one of another schema. */
function openSnapshot(file: string): { source: Database.Database; found: SnapshotCounts } {
  let source: Database.Database | undefined;
  try {
    source = new Database(file, { readonly: true, fileMustExist: true });
    const found = counts(source);
    if (found.schema === SCHEMA_VERSION) return { source, found };
    source.close();
    throw unprocessable(`The snapshot has schema version ${found.schema} and this store ${SCHEMA_VERSION}: restore a full backup instead`);
  } catch (err) {
    source?.close();
    if (err instanceof Error && 'status' in err) throw err;
    throw unprocessable(`${file} is not a snapshot of this store: ${(err as Error).message}`);
  }
}

/** Replaces the content of the store's file with the snapshot's; `afterRestore` drops the caller's caches. */
export async function restoreSnapshot(db: Database.Database, file: string, afterRestore: () => void): Promise<SnapshotCounts> {
  if (db.memory) throw badRequest('An in-memory store has no file to restore a snapshot into');
  const { source, found } = openSnapshot(file);
  try {
    const locks = db.prepare('SELECT name, owner, expires FROM locks').all();
    const system = db.prepare('SELECT key, json FROM system').all();
    const jobs = db.prepare('SELECT id, status, created, json FROM jobs').all();
    await source.backup(db.name, { progress: () => ALL_PAGES });
    db.transaction(() => {
      db.exec('DELETE FROM locks; DELETE FROM system; DELETE FROM jobs');
      const lock = db.prepare('INSERT INTO locks (name, owner, expires) VALUES (@name, @owner, @expires)');
      for (const row of locks) lock.run(row);
      const doc = db.prepare('INSERT INTO system (key, json) VALUES (@key, @json)');
      for (const row of system) doc.run(row);
      const job = db.prepare('INSERT INTO jobs (id, status, created, json) VALUES (@id, @status, @created, @json)');
      for (const row of jobs) job.run(row);
      db.prepare('UPDATE version_seq SET series = ?').run(newSeries());
    }).immediate();
    afterRestore();
    return found;
  } finally {
    source.close();
  }
}
