/**
 * The text of a history mark (ResourceStore.markHistory): `<series>:<n>`, where n is a position in the
 * store's commit order and series a random id that order got when the store was created. Positions only
 * compare within one series: a mark of another series comes from another store, or from this store's earlier
 * life (a SQLite file created anew, a MongoDB database dropped), so it bounds nothing here. That is what keeps
 * an incremental backup taken after a restore into a new store from skipping the versions written since.
 * @see ./resource-store.ts (HistoryStreamOptions)
 */
import { randomUUID } from 'node:crypto';
import { badRequest } from '../fhir/outcomes.js';
import type { HistoryStreamOptions } from './resource-store.js';

/** A new series id. */
export const newSeries = (): string => randomUUID();

export const formatMark = (series: string, position: number): string => `${series}:${position}`;

const MARK = /^([0-9a-f-]{36}):(0|[1-9]\d{0,15})$/;

function parseMark(mark: unknown): { series: string; position: number } {
  const m = typeof mark === 'string' ? MARK.exec(mark) : null;
  if (!m) throw badRequest(`Invalid history mark ${JSON.stringify(mark)}`);
  return { series: m[1], position: Number(m[2]) };
}

/**
 * The positions a history stream of the store whose series is `series` gives: after `after` (absent: from
 * the first) and at most `through` (absent: to the last). A foreign `after` is dropped; a foreign `through`
 * is a 400, since it cannot say where to stop.
 */
export function markRange(options: HistoryStreamOptions | undefined, series: string): { after?: number; through?: number } {
  const range: { after?: number; through?: number } = {};
  if (options?.after !== undefined) {
    const after = parseMark(options.after);
    if (after.series === series) range.after = after.position;
  }
  if (options?.through !== undefined) {
    const through = parseMark(options.through);
    if (through.series !== series) throw badRequest(`History mark ${options.through} is not one of this store's`);
    range.through = through.position;
  }
  return range;
}
