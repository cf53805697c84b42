/**
 * History marks on MongoDB (ResourceStore.markHistory): commit order, given to versions after they land.
 *
 * Nothing a writer stamps before its documents land follows commit order: its clock (meta.lastUpdated) is
 * read before the write, differs between processes, and a counter it took would be just as early. MongoDB's
 * own commit order is the oplog, which only a replica set keeps: `mongodump --oplog` and change streams need
 * one, and FerretDB v1 has neither transactions nor replication (its oplog is a capped collection created by
 * hand for Meteor's tailing). So the order is given afterwards, by the reader: a history document lands
 * without `q` (pending), and markHistory numbers every pending document with the next position G, in one
 * updateMany, before it answers G. A document is seen (and so numbered) only once it has landed, or with a
 * transaction once it has committed; hence, on a replica set and on a standalone server alike, with no clock
 * compared anywhere:
 * - a version that landed before markHistory was called has `q <= G` when it returns;
 * - one that lands after it returned is pending then, and a later mark gives it a position above G;
 * - one landing meanwhile gets G or a later position, never both: only pending documents are numbered.
 * A backup takes a mark, then streams `q <= G` (after the previous backup's mark A: `A < q <= G`); the next
 * streams `q > G`. Together they hold every version.
 * Writers never set `q`, so a history document stored again (by replacement) is pending again and moves after
 * the next mark: every write stores its resource's prior version again (apply-changes.ts), which is then in
 * the next backup too, and a document an undone write left behind and a later write replaced is backed up
 * again with its new content. Restore keeps the later backup's copy (maintenance/chain-versions.ts).
 * Limits:
 * - Marks must not be taken concurrently: a slower one could number a document below G after a backup
 *   through G had read past it. Backups take them under the maintenance lease.
 * - Without transactions an atomic write that fails is undone after its documents landed (apply-changes.ts),
 *   so a backup taken meanwhile may hold a version that was then taken back, as any reader may see it.
 * - Every backup rewrites the documents stored since the one before (to set `q`): the first after an import
 *   rewrites them all, once.
 * The last position and the series (history-mark.ts) are a system document, which clear() keeps; without it
 * (a new database, or the document deleted) positions go on from the highest `q` stored, in a new series,
 * so they never repeat and earlier marks bound nothing.
 * @see https://www.mongodb.com/docs/database-tools/mongodump/#std-option-mongodump.--oplog
 * @see https://www.mongodb.com/docs/manual/changeStreams/#availability
 * @see https://docs.ferretdb.io/configuration/oplog-support/
 */
import { formatMark, markRange, newSeries } from '../history-mark.js';
import type { HistoryStreamOptions } from '../resource-store.js';
import type { MongoDatabaseLike, MongoFilter } from './collection.js';
import { HISTORY, type HistoryDoc } from './documents.js';
import { getSystemDoc, putSystemDoc } from './system-collections.js';

/** The system document holding the last mark. */
export const MARK_RECORD = 'history-mark';

type MarkRecord = { series: string; position: number };

/** The highest position any history document has. */
async function highestStored(db: MongoDatabaseLike): Promise<number> {
  for await (const doc of db.collection<HistoryDoc>(HISTORY).find({ q: { $gt: 0 } }, { sort: { q: -1 }, limit: 1, projection: { q: 1 } })) return doc.q ?? 0;
  return 0;
}

/** Numbers the pending history documents with a new position and answers its mark (see above). */
export async function markHistory(db: MongoDatabaseLike): Promise<string> {
  const last = await getSystemDoc<MarkRecord>(db, MARK_RECORD);
  const next: MarkRecord = last === null ? { series: newSeries(), position: (await highestStored(db)) + 1 } : { ...last, position: last.position + 1 };
  // Recorded before any document has it: a mark that fails part-way leaves positions the next one passes.
  await putSystemDoc(db, MARK_RECORD, next);
  await db.collection<HistoryDoc>(HISTORY).updateMany({ q: null }, { q: next.position });
  return formatMark(next.series, next.position);
}

/**
 * The part of a history filter that the marks of `options` ask for. Pending documents come after every
 * mark taken so far (the next one numbers them), so they are in a range with no `through`.
 */
export async function markFilter(db: MongoDatabaseLike, options: HistoryStreamOptions | undefined): Promise<MongoFilter> {
  if (options?.after === undefined && options?.through === undefined) return {};
  const series = (await getSystemDoc<MarkRecord>(db, MARK_RECORD))?.series ?? '';
  const { after, through } = markRange(options, series);
  if (through !== undefined) return { q: after === undefined ? { $lte: through } : { $gt: after, $lte: through } };
  return after === undefined ? {} : { q: { $not: { $lte: after } } };
}
