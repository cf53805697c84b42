/**
 * Per-parameter sort keys, which the MongoDB documents carry besides the search index. They are precomputed
 * because MongoDB sorts a multikey field over all of its elements, whatever their parameter code, while FHIR
 * `_sort` orders by the values of one parameter only. Each key also carries `has: 1`, so that a plain
 * `$sort` on `srt.<code>.has` descending puts resources without a value last in both directions (MongoDB
 * sorts a missing field as null, first when ascending) with no computed field: a computed field would keep
 * MongoDB from sorting by index, and FerretDB v1 has no `$cond`/`$ifNull` to compute it with.
 * @see https://hl7.org/fhir/R4/search.html#_sort
 * @see https://www.mongodb.com/docs/manual/reference/bson-type-comparison-order/
 */
import type { IdxFields } from './documents.js';

/** Parameter codes usable as a field name (`srt.<code>`): no `$`, no `.`. */
export const SAFE_CODE = /^[A-Za-z0-9_-]{1,64}$/;

type SortValue = string | number;
type Range = { lo: SortValue; hi: SortValue; kind: string };
/** One parameter's sort key: its lowest and highest value, and the presence marker. */
export type SortKeyEntry = { has: 1; lo: SortValue; hi: SortValue };

function widen(target: Map<string, Range>, code: string, lo: SortValue, hi: SortValue, kind: string): void {
  if (!SAFE_CODE.test(code)) return;
  const current = target.get(code);
  if (!current) target.set(code, { lo, hi, kind });
  else if (current.kind === kind) {
    if (lo < current.lo) current.lo = lo;
    if (hi > current.hi) current.hi = hi;
  }
}

/** The lowest and highest value of each parameter; a code indexed under two types keeps its first type. */
export function sortEntries(idx: IdxFields): Record<string, SortKeyEntry> {
  const ranges = new Map<string, Range>();
  for (const e of idx.str) widen(ranges, e.c, e.v, e.v, 'str');
  for (const e of idx.tok) widen(ranges, e.c, e.v, e.v, 'tok');
  for (const e of idx.dt) widen(ranges, e.c, e.lo, e.hi, 'dt');
  for (const e of idx.num) widen(ranges, e.c, e.v, e.v, 'num');
  for (const e of idx.uri) widen(ranges, e.c, e.v, e.v, 'uri');
  for (const e of idx.ref) {
    // As the SQLite store: "Type/id", else the id, else the URL; nothing to sort by when all are absent.
    const v = e.t !== null && e.i !== null ? `${e.t}/${e.i}` : (e.i ?? e.u);
    if (v !== null) widen(ranges, e.c, v, v, 'ref');
  }
  // fromEntries defines own properties, so no code can reach a prototype.
  return Object.fromEntries([...ranges].map(([code, { lo, hi }]) => [code, { has: 1, lo, hi }]));
}
