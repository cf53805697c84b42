/**
 * The `_source` index (meta.source) of the embedded store, kept apart from the other uri parameters: every
 * resource an import writes carries a source of its own, `urn:medgen:job:{job}/{file}#entry-N` (src/lineage),
 * and a row holding that whole value in idx_uri and again in its value index cost ~240 bytes per resource,
 * nearly half of what lineage added to a 48,000-resource import's file (13 of 29 MB). Here the part before the
 * fragment, shared by a file's or a client's writes, is stored once in `sources`, and a resource's row holds
 * its number and the fragment: ~48 bytes of pages in the row and its index together (2.3 MB for 48,580 rows).
 * A value is split at its first `#`; `fragment` is NULL when there is none (`x` and `x#` stay different).
 * @see https://hl7.org/fhir/R4/search.html#_source
 */
import type { Predicate } from '../../search/types.js';
import { startsWith, type SqlValue } from './search-predicates.js';

export const SOURCE_PARAM = '_source';

export interface SplitSource {
  base: string;
  fragment: string | null;
}

export function splitSource(value: string): SplitSource {
  const hash = value.indexOf('#');
  return hash < 0 ? { base: value, fragment: null } : { base: value.slice(0, hash), fragment: value.slice(hash + 1) };
}

/** The whole value of an idx_source row `x` with its `sources` row `s`. */
const WHOLE = "(s.value || COALESCE('#' || x.fragment, ''))";

/** The fragment condition: equal, or absent. */
function fragmentIs(fragment: string | null, params: SqlValue[]): string {
  if (fragment === null) return 'x.fragment IS NULL';
  params.push(fragment);
  return 'x.fragment = ?';
}

/**
 * The condition a `_source` uri predicate puts on an idx_source row `x`. Exact and below look the base up in
 * the `sources` index and then seek (sid, fragment); above compares the whole value with the query's prefixes,
 * as the other uri parameters do.
 */
export function sourceCondition(p: Extract<Predicate, { kind: 'uri' }>, params: SqlValue[]): string {
  const { base, fragment } = splitSource(p.value);
  if (p.match === 'exact') {
    params.push(base);
    return `x.sid = (SELECT sid FROM sources WHERE value = ?) AND ${fragmentIs(fragment, params)}`;
  }
  if (p.match === 'below') {
    // Without a `#` the prefix lies within the base (a value's `#` comes right after its base); with one, the
    // base is whole and the rest is a prefix of the fragment.
    if (fragment === null) return `x.sid IN (SELECT sid FROM sources WHERE ${startsWith('value', base, params)})`;
    params.push(base);
    return `x.sid = (SELECT sid FROM sources WHERE value = ?) AND ${startsWith('x.fragment', fragment, params)}`;
  }
  params.push(p.value);
  return `EXISTS (SELECT 1 FROM sources s WHERE s.sid = x.sid AND length(${WHOLE}) > 0 AND substr(?, 1, length(${WHOLE})) = ${WHOLE})`;
}

/** A resource's least (or greatest) `_source`, for `_sort`. */
export function sourceSortSql(descending: boolean): string {
  return `(SELECT ${descending ? 'MAX' : 'MIN'}(${WHOLE}) FROM idx_source x JOIN sources s ON s.sid = x.sid WHERE x.rid = r.rid)`;
}
