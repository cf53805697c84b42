/**
 * The SQLite schema and connection settings of the embedded store.
 *
 * - `resources` has one row per (type, id) with the current version number, deleted ones included so reads
 *   can answer 410. Its integer `rid` is the key everything else uses: index rows keyed by (rid, seq) are
 *   appended in key order on import instead of landing at random places as (type, uuid) keys would, and
 *   they stay small. That measured 4x faster writes and half the file size.
 * - `versions` holds every version by (rid, version); tombstones have json NULL.
 * - `params` numbers the (type, code) pairs of search parameters, so index rows carry an integer `pid`.
 * - one index table per search parameter type, for live current resources only, each with an index for
 *   lookup by (pid, value); `refs` holds the targets of the references no search parameter indexes, so that
 *   idx_ref and refs together find every resource that points at a target (reference-reads.ts). Files
 *   written before this hold every reference in `refs`; reads are the same either way. Rows an alias
 *   parameter shares with its bases (`combo-code`, `patient`) are stored once (param-aliases.ts).
 * - `locks` (maintenance leases) and `system` (documents such as the migrations record), added in version 2;
 *   every statement is `IF NOT EXISTS`, so a version 1 file simply gains them.
 * - `versions.seq` numbers versions in commit order, from the one-row `version_seq` counter, which the write
 *   transaction advances for each version it stores: SQLite has one writer at a time, so the numbers follow
 *   commit order exactly, and backups select changes by them instead of by the writers' clocks
 *   (ResourceStore.markHistory). `series` is a random id of the counter (history-mark.ts). Added in version 3:
 *   the column is added with a default of 0 (instant, no row rewritten), so every version stored before the
 *   upgrade precedes every mark; clear() leaves the counter, so numbers never repeat within a file.
 * - `versions_updated` orders versions by lastUpdated for type- and system-level history (history-page.ts).
 *   Added in version 4; a file made before it is indexed at its first open by this release.
 * - `jobs` holds the asynchronous jobs' records (job-table.ts), listed newest first or by status. Added in
 *   version 5, as a new table.
 * - `versions_seq` reads the versions in commit order: the change feed (change-feed.ts). Added in version 6;
 *   a file made before it is indexed at its first open by this release.
 * - `idx_ref.target_rid` is the rid of a reference's target when it was stored before the row was written, and
 *   (pid, target_rid) indexes those rows; (pid, target_id) indexes only the others (reference-target-sql.ts).
 *   Version 8: a file made before it gains the column (NULL in every row it holds, so all of them stay in the
 *   id index, rebuilt as a partial index at its first open by this release).
 * - `_source` (meta.source) rows live in `idx_source`, the value split at its `#`: the part before it numbered
 *   once in `sources`, the fragment in the row (source-index.ts). Version 9: a file's `_source` rows in idx_uri
 *   (under one parameter id per type before version 7, one for all types since) move there at its first open by
 *   this release.
 * @see https://hl7.org/fhir/R4/search.html
 * @see https://www.sqlite.org/wal.html
 */
import Database from 'better-sqlite3';
import { newSeries } from '../history-mark.js';

/** Bumped when the DDL changes; `user_version` tells which schema a file has. */
export const SCHEMA_VERSION = 9;

/** Tables holding the index rows of a resource; used by delete and clear. */
export const INDEX_TABLES = ['idx_token', 'idx_string', 'idx_date', 'idx_ref', 'idx_number', 'idx_uri', 'idx_source', 'refs'] as const;

const row = (columns: string) => `rid INTEGER NOT NULL, seq INTEGER NOT NULL, ${columns}, PRIMARY KEY (rid, seq)`;

const DDL = `
CREATE TABLE IF NOT EXISTS resources (
  rid INTEGER PRIMARY KEY, type TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL,
  last_updated INTEGER NOT NULL, deleted INTEGER NOT NULL, UNIQUE (type, id));
CREATE INDEX IF NOT EXISTS resources_order ON resources (type, last_updated, id);
CREATE TABLE IF NOT EXISTS versions (
  rid INTEGER NOT NULL, version INTEGER NOT NULL, last_updated INTEGER NOT NULL, deleted INTEGER NOT NULL, json TEXT,
  seq INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (rid, version));
CREATE INDEX IF NOT EXISTS versions_updated ON versions (last_updated);
CREATE TABLE IF NOT EXISTS version_seq (series TEXT NOT NULL, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS params (pid INTEGER PRIMARY KEY, type TEXT NOT NULL, code TEXT NOT NULL, UNIQUE (type, code));
CREATE TABLE IF NOT EXISTS idx_token (${row('pid INTEGER NOT NULL, system TEXT, value TEXT NOT NULL')}) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS idx_token_value ON idx_token (pid, value, system);
CREATE TABLE IF NOT EXISTS idx_string (${row('pid INTEGER NOT NULL, value TEXT NOT NULL')}) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS idx_string_value ON idx_string (pid, value);
CREATE TABLE IF NOT EXISTS idx_date (${row('pid INTEGER NOT NULL, lo REAL NOT NULL, hi REAL NOT NULL')}) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS idx_date_value ON idx_date (pid, lo, hi);
CREATE TABLE IF NOT EXISTS idx_ref (${row('pid INTEGER NOT NULL, target_type TEXT, target_id TEXT, url TEXT, target_rid INTEGER')}) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS idx_ref_target_id ON idx_ref (pid, target_id, target_type) WHERE target_rid IS NULL;
CREATE INDEX IF NOT EXISTS idx_ref_target_rid ON idx_ref (pid, target_rid) WHERE target_rid IS NOT NULL;
CREATE INDEX IF NOT EXISTS idx_ref_url ON idx_ref (pid, url) WHERE url IS NOT NULL;
CREATE TABLE IF NOT EXISTS idx_number (${row('pid INTEGER NOT NULL, value REAL NOT NULL, system TEXT, unit TEXT')}) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS idx_number_value ON idx_number (pid, value);
CREATE TABLE IF NOT EXISTS idx_uri (${row('pid INTEGER NOT NULL, value TEXT NOT NULL')}) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS idx_uri_value ON idx_uri (pid, value);
CREATE TABLE IF NOT EXISTS sources (sid INTEGER PRIMARY KEY, value TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS idx_source (${row('sid INTEGER NOT NULL, fragment TEXT')}) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS idx_source_value ON idx_source (sid, fragment);
CREATE TABLE IF NOT EXISTS refs (${row('path TEXT NOT NULL, target_type TEXT, target_id TEXT, url TEXT')}) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS refs_target ON refs (target_type, target_id);
CREATE INDEX IF NOT EXISTS refs_url ON refs (url) WHERE url IS NOT NULL;
CREATE TABLE IF NOT EXISTS locks (name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS system (key TEXT PRIMARY KEY, json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS jobs (id TEXT PRIMARY KEY, status TEXT NOT NULL, created TEXT NOT NULL, json TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS jobs_status_created ON jobs (status, created);
CREATE INDEX IF NOT EXISTS jobs_created ON jobs (created, id);
`;

/**
 * The writer checkpoints the WAL itself only once it holds 256 MB: the background thread (checkpoint-thread.ts)
 * copies it back from 32 MB on, so this is the fallback should that thread fall behind or be gone, and it then
 * copies only what the thread has not. Rare checkpoints matter because a bulk write dirties the same index
 * pages commit after commit (index values land all over their B-trees) and each checkpoint copies every page
 * once however often it changed: 64 MB instead of SQLite's 1000 pages measured ~15% less CPU per imported
 * resource on Synthea data. journal_size_limit trims the WAL file back after a checkpoint.
 */
const WAL_AUTOCHECKPOINT_BYTES = 256 * 1024 * 1024;
const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * 16 KB pages instead of 4 KB for new files (an existing file keeps the size it was created with): index
 * rows are small and many, and larger pages mean shallower B-trees, fewer page splits and fewer WAL frames
 * per commit. Measured ~20% less time inserting the same rows.
 */
const PAGE_SIZE = 16384;

/**
 * Opens (creating when needed) the database file and brings the schema up to date.
 * WAL lets readers run beside the writer; synchronous=NORMAL is durable across process crashes in WAL mode
 * and only a power loss can drop the last commits, the usual trade for write speed.
 */
export function openDatabase(path: string): Database.Database {
  const db = new Database(path);
  if (path !== ':memory:') {
    db.pragma(`page_size = ${PAGE_SIZE}`);
    db.pragma('journal_mode = WAL');
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_BYTES / pageSize}`);
    db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
  }
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = OFF');
  db.pragma('temp_store = MEMORY');
  db.pragma('cache_size = -65536');
  migrate(db);
  return db;
}

function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    db.close();
    throw new Error(`Database schema version ${current} is newer than this program (${SCHEMA_VERSION})`);
  }
  if (current === SCHEMA_VERSION) return;
  // IMMEDIATE: the upgrade reads the schema before it writes, and a deferred transaction that reads first
  // cannot wait for another process opening the same file at once: it fails with "database is locked".
  db.exec('BEGIN IMMEDIATE');
  addTargetRid(db);
  db.exec(DDL);
  addVersionSeq(db);
  // After addVersionSeq: a file from before version 3 has no seq column until then.
  db.exec('CREATE INDEX IF NOT EXISTS versions_seq ON versions (seq) WHERE seq > 0');
  moveSources(db);
  db.pragma(`user_version = ${SCHEMA_VERSION}`);
  db.exec('COMMIT');
}

/** Version 8: before the DDL, whose new indexes name it, an existing idx_ref gains target_rid; its id index is replaced by a partial one. */
function addTargetRid(db: Database.Database): void {
  const columns = db.prepare<[], string>("SELECT name FROM pragma_table_info('idx_ref')").pluck().all();
  if (columns.length === 0 || columns.includes('target_rid')) return;
  db.exec('ALTER TABLE idx_ref ADD COLUMN target_rid INTEGER');
  db.exec('DROP INDEX IF EXISTS idx_ref_target');
}

/** SQL splitting a column at its first `#` as splitSource (source-index.ts) does. */
const hashIn = (column: string) => `instr(${column}, '#')`;
const baseOf = (column: string) => `CASE WHEN ${hashIn(column)} > 0 THEN substr(${column}, 1, ${hashIn(column)} - 1) ELSE ${column} END`;
const fragmentOf = (column: string) => `CASE WHEN ${hashIn(column)} > 0 THEN substr(${column}, ${hashIn(column)} + 1) END`;

/** Version 9: `_source` rows move from idx_uri, under whatever parameter ids they were stored, to idx_source. */
function moveSources(db: Database.Database): void {
  const pids = db.prepare<[], number>("SELECT pid FROM params WHERE code = '_source'").pluck().all().join(', ');
  if (pids === '') return;
  db.exec(`INSERT OR IGNORE INTO sources (value) SELECT DISTINCT ${baseOf('value')} FROM idx_uri WHERE pid IN (${pids})`);
  db.exec(`INSERT INTO idx_source (rid, seq, sid, fragment)
    SELECT x.rid, x.seq, s.sid, ${fragmentOf('x.value')} FROM idx_uri x JOIN sources s ON s.value = ${baseOf('x.value')} WHERE x.pid IN (${pids})`);
  db.exec(`DELETE FROM idx_uri WHERE pid IN (${pids})`);
  db.exec(`DELETE FROM params WHERE pid IN (${pids})`);
}

/** Version 3: a file made before it gains `versions.seq` (0 for what it holds); any file without one gets the counter's row. */
function addVersionSeq(db: Database.Database): void {
  const hasSeq = db.prepare("SELECT 1 FROM pragma_table_info('versions') WHERE name = 'seq'").get() !== undefined;
  if (!hasSeq) db.exec('ALTER TABLE versions ADD COLUMN seq INTEGER NOT NULL DEFAULT 0');
  db.prepare('INSERT INTO version_seq (series, value) SELECT ?, 0 WHERE NOT EXISTS (SELECT 1 FROM version_seq)').run(newSeries());
}
