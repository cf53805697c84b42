/**
 * History marks on MongoDB (ResourceStore.markHistory): positions in commit order, without rewriting history.
 *
 * A writer's clock (meta.lastUpdated) is read before its write lands and differs between processes, and
 * MongoDB's own commit order, the oplog, exists only on a replica set (`mongodump --oplog` and change streams
 * need one; FerretDB v1 has neither transactions nor replication). So order comes from one counter document:
 * - Each write call opens a position: one atomic update takes the next number P and registers the call as
 *   open in the same document. Every history document the call stores carries `q: P`.
 * - When its documents have landed (or its transaction committed), the call closes: it removes its
 *   registration, in one update that matches only while the registration is still there.
 * - markHistory takes the next number G in one atomic update, which also answers the calls open at that
 *   moment: only they can have a position below G and still be landing. It waits until every one of them has
 *   closed, then answers G. Any call opened later gets a position above G.
 * So when markHistory returns, every version with `q <= G` has landed, and every version that lands later has
 * `q > G`: a backup that took G streams `q <= G` (after the previous backup's mark A: `A < q <= G`), the next
 * streams `q > G`, and together they hold every version, on a replica set and on a standalone server alike.
 *
 * A call that does not close within the wait (its process died, or paused) is abandoned: the mark removes its
 * registration and answers G anyway. Its documents that landed are read by this backup; one still landing is
 * seen by the call itself, whose close then matches nothing: it numbers its documents again with a new
 * position, above G, so the next backup holds them. A close that fails (the connection dropped) changes
 * nothing: the documents landed before it, so the mark that abandons the registration reads them.
 * Without a transaction a call writes its resource documents and then their history documents, so a process
 * killed in between leaves versions that only their resource documents hold. Each resource document carries
 * the (q, o) of its version's history document, so whoever abandons a call first stores the history documents
 * of the resource documents still at its position where missing (recoverCall): a single-document write is
 * atomic, so the change is in the database as soon as the resource is. Limit: a call that wrote two versions of
 * one resource leaves only the last in its resource document, so the earlier one is not recovered.
 *
 * Every write stores its resource's prior version again where missing (apply-changes.ts), with its own
 * position, so it is in the next backup too; restore keeps the later backup's copy (maintenance/chain-versions.ts).
 * Limits:
 * - Marks must not be taken concurrently with a backup reading (they are taken under the maintenance lease).
 * - Without transactions an atomic write that fails is undone after its documents landed (apply-changes.ts),
 *   so a backup taken meanwhile may hold a version that was then taken back, as any reader may see it.
 * - One extra round trip before and after each write call, on one small document.
 * History documents from before this layout have no `q`; they sort before every position (markFilter), and
 * a new counter starts a new series, so the first backup after it reads them all.
 * The counter lives outside `history`, so clear() keeps it; without it (a new database, or the document
 * deleted) positions go on from the highest `q` stored, in a new series, so they never repeat and earlier
 * marks bound nothing.
 * @see https://www.mongodb.com/docs/database-tools/mongodump/#std-option-mongodump.--oplog
 * @see https://www.mongodb.com/docs/manual/changeStreams/#availability
 * @see https://docs.ferretdb.io/configuration/oplog-support/
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { formatMark, markRange, newSeries } from '../history-mark.js';
import type { HistoryStreamOptions } from '../resource-store.js';
import type { MongoDatabaseLike, MongoFilter } from './collection.js';
import { HISTORY, type HistoryDoc, RESOURCES, type ResourceDoc, toHistoryDoc } from './documents.js';

/** The collection of the counter document. */
export const POSITIONS = 'positions';
const COUNTER = 'history';

/** How long a mark waits for the write calls open when it was taken, by default. */
export const DEFAULT_MARK_WAIT_MS = 120_000;
/**
 * How long a registration may go without its position before the change feed gives it up: its call stopped
 * between its two updates (its process died, or its connection closed), has written nothing, and never will
 * under that position (nextPosition).
 */
const UNRECORDED_GRACE_MS = 5_000;

/**
 * An open write call: when it opened (epoch ms), once recorded its position (see nextPosition), and `x` when it
 * writes in a transaction (nothing of it lands before it commits, so there is nothing to recover). Releases
 * before the change feed stored 1.
 */
type OpenCall = { t: number; p?: number; x?: true } | 1;
type CounterDoc = { _id: string; series: string; position: number; open: Record<string, OpenCall> };

/** The highest position any history document has. */
async function highestStored(db: MongoDatabaseLike): Promise<number> {
  for await (const doc of db.collection<HistoryDoc>(HISTORY).find({ q: { $gt: 0 } }, { sort: { q: -1 }, limit: 1, projection: { q: 1 } })) return doc.q ?? 0;
  return 0;
}

/**
 * The counter's updates of one process, one after another. FerretDB v1 loses concurrent updates of one document
 * (measured against v1.24.2: 40 concurrent `$inc` of one field left it at 4, and two calls were handed the same
 * position), so its updates are never sent concurrently from here; MongoDB serializes updates of one document
 * anyway, so this costs it nothing it had. Processes sharing a FerretDB database can still collide.
 */
const queues = new WeakMap<MongoDatabaseLike, Promise<unknown>>();

function serially<T>(db: MongoDatabaseLike, step: () => Promise<T>): Promise<T> {
  const run = (queues.get(db) ?? Promise.resolve()).then(step, step);
  queues.set(db, run.catch(() => undefined));
  return run;
}

/** Takes the next position, registering `openAs` as an open write call (in a transaction: `x`) when given. */
function nextPosition(db: MongoDatabaseLike, openAs?: string, x = false): Promise<CounterDoc> {
  return serially(db, () => takePosition(db, openAs, x));
}

async function takePosition(db: MongoDatabaseLike, openAs: string | undefined, x: boolean): Promise<CounterDoc> {
  const counter = db.collection<CounterDoc>(POSITIONS);
  for (;;) {
    // The position is the counter's after the update, so the call cannot record it in the same update: a second
    // one does, before the call writes anything. Until then the change feed waits (settledPosition), or, after
    // UNRECORDED_GRACE_MS, gives the registration up; the call then finds it gone and takes another position,
    // so nothing is ever written under a position the feed has passed.
    const doc = await counter.findOneAndUpdate({ _id: COUNTER }, { $inc: { position: 1 }, ...(openAs === undefined ? {} : { $set: { [`open.${openAs}`]: { t: Date.now(), ...(x ? { x: true } : {}) } } }) });
    if (doc === null) {
      // Two processes may create it at once: the unique _id keeps one, and both take positions from it.
      await counter.bulkWrite([{ insertOne: { document: { _id: COUNTER, series: newSeries(), position: await highestStored(db), open: {} } } }]);
      continue;
    }
    if (openAs === undefined) return doc;
    const recorded = await counter.findOneAndUpdate({ _id: COUNTER, [`open.${openAs}`]: { $exists: true } }, { $set: { [`open.${openAs}.p`]: doc.position } });
    if (recorded !== null) return doc;
  }
}

/** Removes the registration of `call`; false when a mark abandoned it first. */
async function close(db: MongoDatabaseLike, call: string): Promise<boolean> {
  return serially(db, async () => (await db.collection<CounterDoc>(POSITIONS).findOneAndUpdate({ _id: COUNTER, [`open.${call}`]: { $exists: true } }, { $unset: { [`open.${call}`]: '' } })) !== null);
}

/** Abandons an open call (see the file comment): removes its registration and recovers what it landed. */
async function abandon(db: MongoDatabaseLike, call: string, open: OpenCall | undefined): Promise<void> {
  if (!(await close(db, call))) return;
  if (open !== undefined && open !== 1 && open.p !== undefined && open.x !== true) await recoverCall(db, open.p);
}

/**
 * Stores the history documents of the resource documents an abandoned call at position `q` left without them. An
 * existing one is kept (a duplicate key refuses the insert). Rare, so `q` of resource documents has no index:
 * this reads the collection once per abandoned call, which costs no write an index entry.
 */
export async function recoverCall(db: MongoDatabaseLike, q: number): Promise<number> {
  const missing: HistoryDoc[] = [];
  for await (const doc of db.collection<ResourceDoc>(RESOURCES).find({ q })) missing.push(toHistoryDoc(doc));
  if (missing.length === 0) return 0;
  const out = await db.collection<HistoryDoc>(HISTORY).bulkWrite(missing.map((document) => ({ insertOne: { document } })));
  return missing.length - out.failures.length;
}

/**
 * Runs one write call with its position (see above): `write` stores every history document with `q` set to
 * it. Answers what `write` answers, whatever the close does. `inTransaction`: all of it commits at once (a
 * replica set's transaction), so an abandoned call leaves nothing to recover.
 */
export async function withPosition<R>(db: MongoDatabaseLike, write: (q: number) => Promise<R>, inTransaction = false): Promise<R> {
  const call = randomUUID().replaceAll('-', '');
  const q = (await nextPosition(db, call, inTransaction)).position;
  try {
    return await write(q);
  } finally {
    const abandoned = !(await close(db, call).catch(() => true));
    if (abandoned) await renumber(db, q);
  }
}

/** Gives the documents of an abandoned call's position `q` a new position, itself closed like any call's. */
async function renumber(db: MongoDatabaseLike, q: number): Promise<void> {
  await withPosition(db, (fresh) => db.collection<HistoryDoc>(HISTORY).updateMany({ q }, { q: fresh }));
}

/** Takes a mark (see above): waits up to `waitMs` for the calls open at that moment, abandoning the rest. */
export async function markHistory(db: MongoDatabaseLike, waitMs = DEFAULT_MARK_WAIT_MS): Promise<string> {
  const taken = await nextPosition(db);
  let open = taken.open ?? {};
  const deadline = Date.now() + waitMs;
  for (let pause = 10; Object.keys(open).length > 0 && Date.now() < deadline; pause = Math.min(pause * 2, 500)) {
    await sleep(Math.min(pause, Math.max(0, deadline - Date.now())));
    const now = (await db.collection<CounterDoc>(POSITIONS).findOne({ _id: COUNTER }))?.open ?? {};
    open = Object.fromEntries(Object.keys(open).filter((call) => call in now).map((call) => [call, now[call]]));
  }
  for (const [call, entry] of Object.entries(open)) await abandon(db, call, entry);
  return formatMark(taken.series, taken.position);
}

/**
 * The part of a history filter that the marks of `options` ask for. Documents without a position come from
 * before this layout and sort before every position.
 */
export async function markFilter(db: MongoDatabaseLike, options: HistoryStreamOptions | undefined): Promise<MongoFilter> {
  if (options?.after === undefined && options?.through === undefined) return {};
  const series = (await db.collection<CounterDoc>(POSITIONS).findOne({ _id: COUNTER }))?.series ?? '';
  const { after, through } = markRange(options, series);
  if (through !== undefined) return { q: after === undefined ? { $not: { $gt: through } } : { $gt: after, $lte: through } };
  return after === undefined ? {} : { q: { $gt: after } };
}

/**
 * The change feed's bound (change-feed.ts): the highest position P such that every write call holding a position
 * up to P has closed, so every history document with `q <= P` has landed; null while a call that has opened
 * has not yet recorded its position (it may be below anything), which lasts one round trip (at most
 * UNRECORDED_GRACE_MS, after which the registration is given up). A call open longer
 * than `abandonMs` is abandoned as a mark abandons it (its process died, or paused: see the file comment).
 */
export async function settledPosition(db: MongoDatabaseLike, abandonMs = DEFAULT_MARK_WAIT_MS): Promise<{ position: number; series: string } | null> {
  const counter = await db.collection<CounterDoc>(POSITIONS).findOne({ _id: COUNTER });
  if (counter === null) return { position: await highestStored(db), series: '' };
  let settled = counter.position;
  const now = Date.now();
  for (const [call, open] of Object.entries(counter.open ?? {})) {
    const opened = open === 1 ? 0 : open.t;
    const recorded = open !== 1 && open.p !== undefined;
    if (now - opened > (recorded ? abandonMs : UNRECORDED_GRACE_MS)) {
      await abandon(db, call, open);
      continue;
    }
    if (!recorded) return null;
    settled = Math.min(settled, (open as { p: number }).p - 1);
  }
  return { position: settled, series: counter.series };
}
