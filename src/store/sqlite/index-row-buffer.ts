/**
 * Collects the index rows of every resource a write() call stores and inserts them, table by table, in a
 * few large multi-row INSERTs at the end of the call, still inside its transaction. A Synthea resource has
 * ~15 rows over ~6 tables: a statement per resource and table measured ~15% slower on Synthea imports than
 * statements of up to 512 rows (less per-call binding and VDBE setup).
 * Nothing reads index rows within a write() call; an op that must remove a resource's rows while
 * some of them still wait here flushes first, so deletes always see every row.
 * @see https://hl7.org/fhir/R4/search.html
 */
import type { DateEntry, IndexEntries, NumberEntry, ReferenceEntry, ReferenceLink, TokenEntry } from '../../search/types.js';
import { paramAliases, type ParamAliases } from './param-aliases.js';
import type { ParamIds, RowWriter } from './index-rows.js';
import { SOURCE_PARAM, splitSource } from './source-index.js';

type Value = string | number | null;

/** Rows queued before a flush on the way, so a huge write() call keeps memory bounded. */
const FLUSH_AT = 20_000;

const tokenKey = (t: TokenEntry) => `${t.system ?? ''}|${t.value}`;
const valueKey = (t: { value: string }) => t.value;
const dateKey = (t: DateEntry) => `${t.lo}|${t.hi}`;
const referenceKey = (t: ReferenceEntry) => `${t.type ?? ''}|${t.id ?? ''}|${t.url ?? ''}`;
const numberKey = (t: NumberEntry) => `${t.value}|${t.system ?? ''}|${t.unit ?? ''}`;

/**
 * `list` without the rows of alias parameters that a base parameter's row of the same resource repeats
 * (param-aliases.ts); a restricted base repeats only rows naming its target type. The search reads an
 * alias over its bases' rows too, so these would only be stored twice. Only the base rows that could repeat
 * an alias row present get a key: a Provenance has hundreds of `target` rows and one `patient` row, which
 * only a `target` row naming a Patient can repeat.
 */
function withoutRepeats<T extends { code: string }>(list: T[], aliases: ParamAliases, key: (t: T) => string, targetType?: (t: T) => string | null): T[] {
  if (aliases.size === 0) return list;
  // Base code → the target types its rows must name to repeat an alias row (undefined: any).
  let wanted: Map<string, Set<string | undefined>> | undefined;
  for (const t of list) {
    const bases = aliases.get(t.code);
    if (bases === undefined) continue;
    wanted ??= new Map();
    for (const b of bases) {
      let types = wanted.get(b.code);
      if (types === undefined) wanted.set(b.code, (types = new Set()));
      types.add(b.targetType);
    }
  }
  if (wanted === undefined) return list;
  const rows = new Set<string>();
  for (const t of list) {
    const types = wanted.get(t.code);
    if (types === undefined) continue;
    if (types.has(undefined) || types.has(targetType?.(t) ?? undefined)) rows.add(`${t.code} ${key(t)}`);
  }
  return list.filter((t) => {
    const bases = aliases.get(t.code);
    if (bases === undefined) return true;
    const k = key(t);
    return !bases.some((b) => (b.targetType === undefined || targetType?.(t) === b.targetType) && rows.has(`${b.code} ${k}`));
  });
}

/** A queued idx_ref row: rid, seq, pid, target_type, target_id, url, target_rid (index-rows.ts). */
const REF_WIDTH = 7;
const REF_TYPE = 3;
const REF_ID = 4;
const REF_RID = 6;

/** Above this many reference rows a set of their targets beats scanning them per link. */
const SCAN_LIMIT = 16;

/**
 * The links of a resource that no search parameter row already names: only those go to `refs`
 * (reference-reads.ts finds the others through idx_ref and reads every path from the resource). Most
 * resources have a few references, scanned per link; a Synthea Provenance has one per resource of its
 * bundle, thousands, where scanning would be quadratic.
 */
function uncoveredLinks(e: IndexEntries): ReferenceLink[] {
  const refs = e.references;
  if (refs.length <= SCAN_LIMIT) {
    return e.links.filter((l) => l.targetId !== null && !refs.some((r) => r.id === l.targetId && r.type === l.targetType));
  }
  const named = new Set(refs.map((r) => `${r.type}/${r.id}`));
  return e.links.filter((l) => l.targetId !== null && !named.has(`${l.targetType}/${l.targetId}`));
}

export class IndexRowBuffer {
  private token: Value[] = [];
  private string: Value[] = [];
  private date: Value[] = [];
  private ref: Value[] = [];
  private number: Value[] = [];
  private uri: Value[] = [];
  private source: Value[] = [];
  private links: Value[] = [];
  private readonly rids = new Set<number>();
  /** `type/id` → rid of the resources added in this write() call, and of targets looked up (-1: not stored). */
  private readonly known = new Map<string, number>();
  /** `_source` bases → their number in `sources`, within one write() call (another process may clear the table between calls). */
  private readonly sids = new Map<string, number>();
  private queued = 0;

  constructor(
    private readonly write: RowWriter,
    private readonly pid: ParamIds,
    /** The rid of a stored resource (deleted ones too: a rid names its type and id for ever). */
    private readonly ridOf: (type: string, id: string) => number | undefined,
    /** The number of a `_source` base, given on first use. */
    private readonly sourceId: (base: string) => number,
  ) {}

  /** Queues the rows of resource `rid` of `type`; `seq` numbers them per table, so repeated values need no care. */
  add(type: string, id: string, rid: number, e: IndexEntries): void {
    const pid = this.pid;
    const aliases = paramAliases(type);
    this.rids.add(rid);
    this.known.set(`${type}/${id}`, rid);
    const tokens = withoutRepeats(e.tokens, aliases, tokenKey);
    const strings = withoutRepeats(e.strings, aliases, valueKey);
    const dates = withoutRepeats(e.dates, aliases, dateKey);
    const references = withoutRepeats(e.references, aliases, referenceKey, (t) => t.type);
    const numbers = withoutRepeats(e.numbers, aliases, numberKey);
    const uris = withoutRepeats(e.uris, aliases, valueKey);
    tokens.forEach((t, i) => this.token.push(rid, i, pid(type, t.code), t.system ?? null, t.value));
    strings.forEach((t, i) => this.string.push(rid, i, pid(type, t.code), t.value));
    dates.forEach((t, i) => this.date.push(rid, i, pid(type, t.code), t.lo, t.hi));
    references.forEach((t, i) => this.ref.push(rid, i, pid(type, t.code), t.type ?? null, t.id ?? null, t.url ?? null, null));
    numbers.forEach((t, i) => this.number.push(rid, i, pid(type, t.code), t.value, t.system ?? null, t.unit ?? null));
    uris.forEach((t, i) => {
      if (t.code !== SOURCE_PARAM) this.uri.push(rid, i, pid(type, t.code), t.value);
      else {
        const { base, fragment } = splitSource(t.value);
        this.source.push(rid, i, this.sidOf(base), fragment);
      }
    });
    const links = uncoveredLinks(e);
    links.forEach((t, i) => this.links.push(rid, i, t.path, t.targetType, t.targetId, null));
    this.queued += tokens.length + strings.length + dates.length + references.length + numbers.length + uris.length + links.length;
    if (this.queued > FLUSH_AT) this.flush();
  }

  private sidOf(base: string): number {
    let sid = this.sids.get(base);
    if (sid === undefined) {
      sid = this.sourceId(base);
      this.sids.set(base, sid);
    }
    return sid;
  }

  /** Whether rows of `rid` may still be waiting (then flush before deleting its rows). */
  holds(rid: number): boolean {
    return this.rids.has(rid);
  }

  /** Inserts everything queued, within the write() call: the rids it stored stay known. */
  flush(): void {
    this.write('idx_token', this.token);
    this.write('idx_string', this.string);
    this.write('idx_date', this.date);
    this.resolveTargets();
    this.write('idx_ref', this.ref);
    this.write('idx_number', this.number);
    this.write('idx_uri', this.uri);
    this.write('idx_source', this.source);
    this.write('refs', this.links);
    this.forgetRows();
  }

  /**
   * Inserts everything queued at the end of a write() call, and forgets the rids: another process may write the
   * file between calls (even clear it), and a rolled-back call's rids are given out again.
   */
  finish(): void {
    this.flush();
    this.known.clear();
    this.sids.clear();
  }

  /**
   * Sets target_rid on the queued reference rows whose target is stored (reference-target-sql.ts). At the end of
   * the call, so a target the same call stores after the resource pointing at it has its rid too; the rids of
   * the call's own resources are known without a lookup, and each other target is looked up once.
   */
  private resolveTargets(): void {
    const ref = this.ref;
    for (let i = 0; i < ref.length; i += REF_WIDTH) {
      const type = ref[i + REF_TYPE];
      const id = ref[i + REF_ID];
      if (type === null || id === null) continue;
      const key = `${type}/${id}`;
      let rid = this.known.get(key);
      if (rid === undefined) {
        rid = this.ridOf(type as string, id as string) ?? -1;
        this.known.set(key, rid);
      }
      if (rid >= 0) ref[i + REF_RID] = rid;
    }
  }

  /** Forgets everything queued and known (after a rollback). */
  clear(): void {
    this.forgetRows();
    this.known.clear();
    this.sids.clear();
  }

  private forgetRows(): void {
    this.token = [];
    this.string = [];
    this.date = [];
    this.ref = [];
    this.number = [];
    this.uri = [];
    this.source = [];
    this.links = [];
    this.rids.clear();
    this.queued = 0;
  }
}
