/**
 * Job records of the embedded store: one row per job, the record as JSON beside the two columns the list
 * filters and orders by. Every process sharing the file sees them, which is what lets any of them answer
 * for a job and take over one whose owner died (jobs/job-manager.ts).
 */
import type Database from 'better-sqlite3';
import type { StoredJob } from '../resource-store.js';

export function createJobTable(db: Database.Database) {
  const put = db.prepare<[string, string, string, string]>(
    'INSERT INTO jobs (id, status, created, json) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET status = excluded.status, created = excluded.created, json = excluded.json',
  );
  const get = db.prepare<[string], string>('SELECT json FROM jobs WHERE id = ?').pluck();
  const all = db.prepare<[number], string>('SELECT json FROM jobs ORDER BY created DESC, id LIMIT ?').pluck();
  const byStatus = db
    .prepare<[string, number], string>('SELECT json FROM jobs WHERE status IN (SELECT value FROM json_each(?)) ORDER BY created DESC, id LIMIT ?')
    .pluck();
  const remove = db.prepare<[string]>('DELETE FROM jobs WHERE id = ?');
  return {
    put(record: StoredJob): void {
      put.run(record.id, record.status, record.created, JSON.stringify(record));
    },
    get<T>(id: string): T | null {
      const json = get.get(id);
      return json === undefined ? null : (JSON.parse(json) as T);
    },
    list<T>(statuses: readonly string[] | undefined, limit: number): T[] {
      const rows = statuses === undefined ? all.all(limit) : byStatus.all(JSON.stringify(statuses), limit);
      return rows.map((json) => JSON.parse(json) as T);
    },
    delete(id: string): void {
      remove.run(id);
    },
  };
}
