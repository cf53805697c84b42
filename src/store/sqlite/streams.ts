/**
 * Streams over a whole resource type, for exports, backups and maintenance. Each chunk is one short
 * `all()` read with an id keyset, so no statement or read transaction stays open while the consumer awaits,
 * and writers are never blocked by a slow reader.
 * @see https://hl7.org/fhir/R4/http.html#history
 */
import { badRequest } from '../../fhir/outcomes.js';
import { markRange } from '../history-mark.js';
import type { HistoryStreamOptions, StoredResource, StreamOptions } from '../resource-store.js';
import type { Statements, VersionRow } from './statements.js';

/** Rows per chunk: big enough to amortise the query, small enough to keep memory flat. */
export const CHUNK_SIZE = 500;

function sinceMs(options?: StreamOptions): number {
  if (options?.since === undefined) return Number.MIN_SAFE_INTEGER;
  const ms = Date.parse(options.since);
  if (Number.isNaN(ms)) throw badRequest(`Invalid since instant ${JSON.stringify(options.since)}`);
  return ms;
}

/** Live current resources of a type in id order. */
export async function* streamCurrent(s: Statements, type: string, options?: StreamOptions): AsyncGenerator<StoredResource> {
  const since = sinceMs(options);
  let after = '';
  for (;;) {
    const rows = s.streamChunk.all(type, after, since, CHUNK_SIZE);
    for (const row of rows) yield JSON.parse(row.json) as StoredResource;
    if (rows.length < CHUNK_SIZE) return;
    after = rows[rows.length - 1].id;
  }
}

/**
 * Every version of every resource of a type, by id then version (oldest first), each row mapped by `as`;
 * with marks, those whose `seq` is in their range. Every version numbered up to `through` was committed
 * before that mark was read, so the chunks, though each its own read, all see it.
 */
export async function* streamVersions<T>(s: Statements, type: string, as: (row: VersionRow) => T, options?: HistoryStreamOptions): AsyncGenerator<T> {
  const { after = -1, through = Number.MAX_SAFE_INTEGER } = markRange(options, s.lastSeq.get()!.series);
  let afterId = '';
  let afterVersion = 0;
  for (;;) {
    const rows = s.historyChunk.all(type, afterId, afterVersion, after, through, CHUNK_SIZE);
    for (const row of rows) yield as(row);
    if (rows.length < CHUNK_SIZE) return;
    afterId = rows[rows.length - 1].id;
    afterVersion = rows[rows.length - 1].version;
  }
}
