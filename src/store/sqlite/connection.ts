/**
 * What the embedded store holds per SQLite connection: the connection, its prepared statements and the caches
 * that describe its file's content (param ids, the version counter, search statements). A snapshot restore
 * replaces the file and opens a new connection (snapshot.ts), and the store takes a fresh Connection for it:
 * nothing prepared on, or cached from, the old file outlives it.
 */
import type Database from 'better-sqlite3';
import { createChangeFeed } from './change-feed.js';
import { createHistoryPager } from './history-page.js';
import { IndexRowBuffer } from './index-row-buffer.js';
import { createParamIds, createRowWriter } from './index-rows.js';
import { createJobTable } from './job-table.js';
import { createRestorer } from './restore-versions.js';
import { prepareStatements } from './statements.js';
import { createSystemTables } from './system-tables.js';
import { VersionSeq } from './version-seq.js';
import { createBatchWriter } from './write-batch.js';

export function connect(db: Database.Database) {
  const s = prepareStatements(db);
  const params = createParamIds(s);
  return {
    db,
    s,
    rows: new IndexRowBuffer(createRowWriter(db), params.pid, (type, id) => s.current.get(type, id)?.rid, (base) => {
      s.insertSource.run(base);
      return s.sid.get(base)!;
    }),
    seq: new VersionSeq(db),
    writer: createBatchWriter(db, params.reset),
    /** Forgets cached param ids after a rollback the batch writer did not see. */
    resetParams: params.reset,
    restorer: createRestorer(db, params.reset),
    system: createSystemTables(db),
    jobs: createJobTable(db),
    historyPager: createHistoryPager(db),
    feed: createChangeFeed(db),
    /** Generated search SQL, prepared on first use (SqliteStore.prepared). */
    searchCache: new Map<string, Database.Statement>(),
  };
}

export type Connection = ReturnType<typeof connect>;
