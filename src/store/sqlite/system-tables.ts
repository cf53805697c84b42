/**
 * Leases and system documents of the embedded store. A lease is taken by one statement (INSERT … ON CONFLICT
 * DO UPDATE … WHERE expired or mine), which SQLite runs atomically under its write lock, so two processes
 * sharing the file can never both take it.
 * @see https://www.sqlite.org/lang_upsert.html
 */
import type Database from 'better-sqlite3';

export function createSystemTables(db: Database.Database) {
  const take = db.prepare<[{ name: string; owner: string; expires: number; now: number }]>(
    `INSERT INTO locks (name, owner, expires) VALUES (@name, @owner, @expires)
     ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires = excluded.expires
     WHERE locks.expires <= @now OR locks.owner = excluded.owner`,
  );
  const give = db.prepare<[string, string]>('DELETE FROM locks WHERE name = ? AND owner = ?');
  const get = db.prepare<[string], string>('SELECT json FROM system WHERE key = ?').pluck();
  const put = db.prepare<[string, string]>('INSERT INTO system (key, json) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET json = excluded.json');
  return {
    acquire(name: string, owner: string, ttlMs: number, now: number): boolean {
      return take.run({ name, owner, expires: now + ttlMs, now }).changes === 1;
    },
    release(name: string, owner: string): void {
      give.run(name, owner);
    },
    get<T>(key: string): T | null {
      const json = get.get(key);
      return json === undefined ? null : (JSON.parse(json) as T);
    },
    put(key: string, doc: unknown): void {
      put.run(key, JSON.stringify(doc));
    },
  };
}

export type SystemTables = ReturnType<typeof createSystemTables>;
