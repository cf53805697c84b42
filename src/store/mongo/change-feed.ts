/**
 * The outbox on MongoDB (ResourceStore.changes): the `history` documents themselves. A version's history
 * document is written by the write call that writes the resource, inside its transaction on a replica set, and
 * compensated with it on a standalone server or FerretDB (apply-changes.ts), so a change exists exactly when
 * its version does. Its number is its place in commit order: the call's position `q` (history-marks.ts) and
 * the document's place `o` within the call, as q * 2^20 + o.
 *
 * Positions are taken before a call writes and calls land in any order, so a reader must not pass a position
 * whose call is still landing: it reads only up to the settled position (history-marks.ts settledPosition),
 * below every call still open. A call that never closes (its process was killed) holds the feed back until it
 * is abandoned (two minutes, as marks do); the feed then reads what it landed under its position, including the
 * changes only its resource documents hold when it died between their write and their history documents'.
 * Limits: a call abandoned while alive numbers its documents again when it closes, so what the feed had given
 * of it comes again under new numbers; a prior version stored again where it was missing (apply-changes.ts) is
 * a change of its own.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { OperationOutcomeError, outcome, issue } from '../../fhir/outcomes.js';
import type { ChangeEvent, ChangePage, ChangeQuery } from '../resource-store.js';
import type { MongoDatabaseLike, MongoFilter } from './collection.js';
import { HISTORY, type HistoryDoc, ORDINALS, toRawVersionRecord } from './documents.js';
import { settledPosition } from './history-marks.js';
import { escapeRegex } from './search-filter.js';

/**
 * How long a read waits for a call to record its position: one round trip normally, and past the grace after
 * which a registration without one is given up (history-marks.ts, 5 s).
 */
const SETTLE_WAIT_MS = 6_000;

/**
 * Positions one call looks through at most, so a reader of a rare type reads a bounded range however few
 * documents the type filter keeps; a page with fewer changes than asked then ends there.
 */
const WINDOW = 1_000;

const seqOf = (doc: HistoryDoc): number => (doc.q as number) * ORDINALS + (doc.o as number);

const toEvent = (doc: HistoryDoc): ChangeEvent => ({ seq: seqOf(doc), ...toRawVersionRecord(doc) });

/** The settled position, waiting briefly while a call records its own; 503 when it does not. */
async function settled(db: MongoDatabaseLike, abandonMs: number | undefined): Promise<number> {
  const deadline = Date.now() + SETTLE_WAIT_MS;
  for (let pause = 5; Date.now() < deadline; pause = Math.min(pause * 2, 250)) {
    const s = await settledPosition(db, abandonMs);
    if (s !== null) return s.position;
    await sleep(pause);
  }
  throw new OperationOutcomeError(503, outcome(issue('error', 'transient', 'Writes are landing; ask for the changes again')));
}

/** The highest change number the settled position covers: every later change is numbered above it. */
const settledThrough = (position: number) => (position + 1) * ORDINALS - 1;

/** The page of changes after `since`; a call open longer than `abandonMs` is abandoned (history-marks.ts). */
export async function mongoChanges(db: MongoDatabaseLike, since: number, query: ChangeQuery, abandonMs?: number): Promise<ChangePage> {
  const qs = Math.floor(since / ORDINALS);
  const os = since % ORDINALS;
  const settledAt = await settled(db, abandonMs);
  const bound = Math.min(settledAt, qs + WINDOW);
  const through = Math.max(since, settledThrough(bound));
  const more = bound < settledAt;
  if (settledThrough(bound) <= since) return { changes: [], through, more };
  const filter: MongoFilter = {
    q: { $gte: qs, $lte: bound },
    // Documents from before `o` existed are no changes anyone can ask for (`$gte` leaves out a missing field).
    o: { $gte: 0 },
    $or: [{ q: { $gt: qs } }, { o: { $gt: os } }],
    ...(query.types ? { type: { $in: [...query.types] } } : {}),
    ...(query.containing?.length ? { $and: query.containing.map((text) => ({ json: { $regex: escapeRegex(text) } })) } : {}),
  };
  const docs: HistoryDoc[] = [];
  for await (const doc of db.collection<HistoryDoc>(HISTORY).find(filter, { sort: { q: 1, o: 1 }, limit: query.limit })) docs.push(doc);
  if (docs.length < query.limit) return { changes: docs.map(toEvent), through, more };
  return { changes: docs.map(toEvent), through: seqOf(docs[docs.length - 1]), more: true };
}

export async function mongoLastChange(db: MongoDatabaseLike, abandonMs?: number): Promise<number> {
  return settledThrough(await settled(db, abandonMs));
}
