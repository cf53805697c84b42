/**
 * Type- and system-level history on SQLite (ResourceStore.historyPage): versions newest first, read along the
 * `versions_updated` index, the type filtered through the join (a type's versions are among the newest of all).
 * @see https://hl7.org/fhir/R4/http.html#history
 */
import type Database from 'better-sqlite3';
import type { HistoryPage, VersionRecord } from '../resource-store.js';
import { toVersionRecord } from './reads.js';
import { VERSION_COLUMNS, type VersionRow } from './statements.js';

const ORDER = 'ORDER BY v.last_updated DESC, r.type DESC, r.id DESC, v.version DESC';
/** `type`: null for every type; `since`: the earliest lastUpdated. */
const WHERE = 'WHERE (@type IS NULL OR r.type = @type) AND v.last_updated >= @since';

export function createHistoryPager(db: Database.Database) {
  const rows = db.prepare<[{ type: string | null; since: number; count: number; offset: number }], VersionRow>(
    `SELECT ${VERSION_COLUMNS} FROM versions v JOIN resources r ON r.rid = v.rid ${WHERE} ${ORDER} LIMIT @count OFFSET @offset`,
  );
  const total = db.prepare<[{ type: string | null; since: number }], number>(`SELECT count(*) FROM versions v JOIN resources r ON r.rid = v.rid ${WHERE}`).pluck();
  return (type: string | null, page: HistoryPage): { versions: VersionRecord[]; total: number } => {
    const bounds = { type, since: page.since ?? -Infinity };
    return { versions: rows.all({ ...bounds, count: page.count, offset: page.offset }).map(toVersionRecord), total: total.get(bounds) ?? 0 };
  };
}
