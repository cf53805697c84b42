/**
 * Collects the index rows of every resource a write() call stores and inserts them, table by table, in a
 * few large multi-row INSERTs at the end of the call, still inside its transaction. A Synthea resource has
 * ~15 rows over ~6 tables: a statement per resource and table measured ~15% slower on Synthea imports than
 * statements of up to 512 rows (less per-call binding and VDBE setup).
 * Nothing reads index rows within a write() call; an op that must remove a resource's rows while
 * some of them still wait here flushes first, so deletes always see every row.
 * @see https://hl7.org/fhir/R4/search.html
 */
import type { IndexEntries, ReferenceEntry } from '../../search/types.js';
import type { ParamIds, RowWriter } from './index-rows.js';

type Value = string | number | null;

/** Rows queued before a flush on the way, so a huge write() call keeps memory bounded. */
const FLUSH_AT = 20_000;

/**
 * Whether a search parameter's row already names this target, so `refs` need not (reference-reads.ts finds
 * the source through idx_ref and reads every path from the resource). A few references per resource: a
 * loop beats building a set.
 */
function covered(references: ReferenceEntry[], type: string | null, id: string): boolean {
  for (const r of references) if (r.id === id && r.type === type) return true;
  return false;
}

export class IndexRowBuffer {
  private token: Value[] = [];
  private string: Value[] = [];
  private date: Value[] = [];
  private ref: Value[] = [];
  private number: Value[] = [];
  private uri: Value[] = [];
  private links: Value[] = [];
  private readonly rids = new Set<number>();
  private queued = 0;

  constructor(private readonly write: RowWriter, private readonly pid: ParamIds) {}

  /** Queues the rows of resource `rid` of `type`; `seq` numbers them per table, so repeated values need no care. */
  add(type: string, rid: number, e: IndexEntries): void {
    const pid = this.pid;
    this.rids.add(rid);
    e.tokens.forEach((t, i) => this.token.push(rid, i, pid(type, t.code), t.system ?? null, t.value));
    e.strings.forEach((t, i) => this.string.push(rid, i, pid(type, t.code), t.value));
    e.dates.forEach((t, i) => this.date.push(rid, i, pid(type, t.code), t.lo, t.hi));
    e.references.forEach((t, i) => this.ref.push(rid, i, pid(type, t.code), t.type ?? null, t.id ?? null, t.url ?? null));
    e.numbers.forEach((t, i) => this.number.push(rid, i, pid(type, t.code), t.value, t.system ?? null, t.unit ?? null));
    e.uris.forEach((t, i) => this.uri.push(rid, i, pid(type, t.code), t.value));
    let links = 0;
    for (const t of e.links) {
      if (t.targetId === null || covered(e.references, t.targetType, t.targetId)) continue;
      this.links.push(rid, links++, t.path, t.targetType, t.targetId, null);
    }
    this.queued += e.tokens.length + e.strings.length + e.dates.length + e.references.length + e.numbers.length + e.uris.length + links;
    if (this.queued > FLUSH_AT) this.flush();
  }

  /** Whether rows of `rid` may still be waiting (then flush before deleting its rows). */
  holds(rid: number): boolean {
    return this.rids.has(rid);
  }

  /** Inserts everything queued. */
  flush(): void {
    this.write('idx_token', this.token);
    this.write('idx_string', this.string);
    this.write('idx_date', this.date);
    this.write('idx_ref', this.ref);
    this.write('idx_number', this.number);
    this.write('idx_uri', this.uri);
    this.write('refs', this.links);
    this.clear();
  }

  /** Forgets everything queued (after a rollback, or once flushed). */
  clear(): void {
    this.token = [];
    this.string = [];
    this.date = [];
    this.ref = [];
    this.number = [];
    this.uri = [];
    this.links = [];
    this.rids.clear();
    this.queued = 0;
  }
}
