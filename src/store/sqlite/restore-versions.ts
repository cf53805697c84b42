/**
 * restoreVersions on SQLite: recorded versions inserted as they are, in one transaction per call. Only the
 * version that ends up current is parsed and indexed; a restore of a full backup thus costs one index
 * computation per resource instead of one per version (what replaying every version through write() cost).
 * A version over the size limit of document-limit.ts fails the call with 413, as it fails write().
 * @see ../resource-store.ts (restoreVersions)
 */
import type Database from 'better-sqlite3';
import { assertDocumentSize } from '../document-limit.js';
import { groupRawVersions, parseCurrentVersion, versionExists, type RestoreGroup } from '../raw-versions.js';
import type { RawVersionRecord } from '../resource-store.js';
import { removeIndexRows, type WriteContext } from './write-op.js';

type RestoreContext = Omit<WriteContext, 'now'>;

function restoreGroup(ctx: RestoreContext, g: RestoreGroup): void {
  const { s } = ctx;
  // Every version must fit a MongoDB history document, as write() would have refused it; the current one is
  // checked again with its index entries below.
  for (const v of g.versions) if (v.json !== null) assertDocumentSize(g.type, g.id, v.json, null);
  const cur = s.current.get(g.type, g.id);
  const top = g.versions[g.versions.length - 1];
  let rid: number;
  if (cur) {
    rid = cur.rid;
    for (const v of g.versions) if (s.versionExists.get(rid, v.n) !== undefined) throw versionExists(g, v.n);
  } else {
    rid = Number(s.insertResource.run(g.type, g.id, top.n, top.lu, top.deleted ? 1 : 0).lastInsertRowid);
  }
  // Restored versions are committed now, so they take their place in commit order now (see markHistory).
  for (const v of g.versions) s.insertVersion.run(rid, v.n, v.lu, v.deleted ? 1 : 0, v.json, ctx.seq.take());
  // Versions older than the stored current one fill history only; the current row and its index stay.
  if (cur && top.n < cur.version) return;
  if (cur) {
    if (!cur.deleted) removeIndexRows({ ...ctx, now: 0 }, rid);
    s.updateResource.run(top.n, top.lu, top.deleted ? 1 : 0, rid);
  }
  if (top.deleted) return;
  const entries = ctx.computeIndex(parseCurrentVersion(g, top));
  assertDocumentSize(g.type, g.id, top.json as string, entries);
  ctx.rows.add(g.type, g.id, rid, entries);
}

export type Restorer = (ctx: RestoreContext, records: RawVersionRecord[]) => number;

/** The transactional restorer of a connection; `onRollback` drops caches of rows that no longer exist. */
export function createRestorer(db: Database.Database, onRollback: () => void): Restorer {
  const run = db.transaction((ctx: RestoreContext, groups: RestoreGroup[]) => {
    for (const g of groups) restoreGroup(ctx, g);
    ctx.rows.finish();
    ctx.seq.save();
  });
  return (ctx, records) => {
    const groups = groupRawVersions(records);
    try {
      run.immediate(ctx, groups);
    } catch (err) {
      ctx.rows.clear();
      ctx.seq.forget();
      onRollback();
      throw err;
    }
    return records.length;
  };
}
