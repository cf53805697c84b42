/**
 * The import benchmark's baseline: the import's own writes replayed with none of the import's work. The
 * import's store records how many documents each write() call stored; the replay reads the stored documents
 * back in the order they were written (rid order: a fresh store's rows are numbered as they are inserted)
 * and writes them into a fresh store in calls of the same sizes. Same documents, same order, same
 * transactions: the two runs differ only by what the import adds (parsing, ids, references, validation,
 * reference targets). This baseline first wrote the documents grouped by type, which is faster than the
 * mixed order of patient bundles because each index's rows then arrive together: about 10% on the Synthea
 * folder, 2.8x on the 1 GB NDJSON file, whose indexes outgrow the page cache. That gap is the input's order,
 * not the import's work.
 */
import Database from 'better-sqlite3';
import type { Resource } from 'fhir/r4.js';
import type { ResourceStore, WriteOp } from '../src/store/resource-store.js';
import { createSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { onEachWrite } from './record-writes.js';
import { secondsSince } from './result.js';

/**
 * Counts, per write() call of `store`, the documents it stored (failed ops and rolled-back calls store none),
 * those its `follow` added (an import's Provenance) included.
 */
export function recordWrites(store: ResourceStore): number[] {
  const stored: number[] = [];
  onEachWrite(store, (results, followed) => stored.push(results.filter((r) => r.status === 'created' || r.status === 'updated').length + followed.length));
  return stored;
}

/**
 * Replays into a fresh store at `target` the documents of the closed SQLite store at `source`, in calls of
 * `sizes` documents; returns the documents written per second of write() time.
 */
export async function replayWrites(source: string, sizes: number[], target: string): Promise<number> {
  const db = new Database(source, { readonly: true });
  const documents = db
    .prepare('SELECT v.json FROM resources r JOIN versions v ON v.rid = r.rid AND v.version = r.version WHERE r.deleted = 0 ORDER BY r.rid')
    .pluck()
    .iterate() as IterableIterator<string>;
  const store = createSqliteStore({ path: target });
  let written = 0;
  let seconds = 0;
  try {
    for (const size of sizes) {
      const batch: WriteOp[] = [];
      while (batch.length < size) {
        const next = documents.next();
        if (next.done) break;
        batch.push({ op: 'put', resource: JSON.parse(next.value) as Resource & { id: string } });
      }
      if (batch.length === 0) continue;
      const start = process.hrtime.bigint();
      await store.write(batch);
      seconds += secondsSince(start);
      written += batch.length;
    }
  } finally {
    documents.return?.();
    db.close();
    await store.close();
  }
  return written / seconds;
}
