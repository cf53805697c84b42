/**
 * The outbox of the embedded store (ResourceStore.changes): the `versions` rows themselves, by `seq`. A version
 * row is written in the transaction that writes the resource, and seq follows commit order exactly
 * (version-seq.ts), so reading `seq > since` in order never skips a change that commits later: every later
 * commit has a higher number. Rows from before `seq` existed have 0 and are not changes anyone can ask for.
 * The page and the counter are read in one read transaction, so `through` is the counter as of the page.
 * @see https://www.sqlite.org/isolation.html
 */
import type Database from 'better-sqlite3';
import { assertChangeArgs } from '../change-args.js';
import { toRawVersionRecord } from './reads.js';
import type { VersionRow } from './statements.js';
import type { ChangeEvent, ChangePage, ChangeQuery } from '../resource-store.js';

/**
 * Numbers one call looks through at most: every version has its own number, so this bounds the rows a call
 * reads however few of them the type filter keeps (the driver is synchronous: a reader of a rare type must not
 * hold the process while it walks a large store). A page with fewer changes than asked then ends here.
 */
const WINDOW = 20_000;

type ChangeRow = VersionRow & { seq: number };

const COLUMNS = 'v.seq, r.type, r.id, v.version, v.last_updated, v.deleted, v.json';
const RANGE = 'v.seq > 0 AND v.seq > ? AND v.seq <= ?';
/** Every version in the range, by number, each then looked up for its type: right for the common types. */
const BY_NUMBER = `SELECT ${COLUMNS} FROM versions v INDEXED BY versions_seq JOIN resources r ON r.rid = v.rid WHERE ${RANGE}`;
/** The resources of the types first, then their versions in the range: right for rare types (CROSS JOIN keeps that order). */
const BY_RESOURCE = `SELECT ${COLUMNS} FROM resources r CROSS JOIN versions v ON v.rid = r.rid WHERE ${RANGE}`;

/**
 * Below this many resources of the asked types a page is read from their versions (BY_RESOURCE) instead of
 * looking at every number in the range: the subscription worker reads Subscription changes every round, and
 * during a 48,000-resource import that walk of every number cost 95 ms of the import's main thread; from the
 * few Subscriptions' versions it costs next to nothing. Past it, walking the numbers is the bounded plan.
 */
const RARE_BELOW = 64;

const toEvent = (row: ChangeRow): ChangeEvent => ({ seq: row.seq, ...toRawVersionRecord(row) });

/**
 * Texts up to this long are first looked for with LIKE, then confirmed with instr: SQLite's LIKE skips to the
 * pattern's first character where instr compares at every byte, so a rare text is ruled out in about 60% of the
 * time (a subscription's reading of a 48,000-resource import: 90 ms instead of 145). LIKE alone would not do: it
 * ignores ASCII case. A pattern longer than SQLITE_MAX_LIKE_PATTERN_LENGTH (50,000) is refused, so long texts take
 * instr alone.
 */
const LIKE_MAX = 1_000;

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, '\\$&')}%`;

/** The conditions and parameters that keep the changes whose JSON contains every text. */
function textFilter(texts: readonly string[]): { sql: string; params: string[] } {
  const short = (t: string) => t.length <= LIKE_MAX;
  return {
    sql: texts.map((t) => (short(t) ? " AND v.json LIKE ? ESCAPE '\\' AND instr(v.json, ?) > 0" : ' AND instr(v.json, ?) > 0')).join(''),
    params: texts.flatMap((t) => (short(t) ? [likePattern(t), t] : [t])),
  };
}

export function createChangeFeed(db: Database.Database) {
  const counter = db.prepare<[], number>('SELECT value FROM version_seq').pluck();
  const statements = new Map<string, Database.Statement>();
  const cached = (key: string, sql: () => string) => {
    let s = statements.get(key);
    if (s === undefined) statements.set(key, (s = db.prepare(sql())));
    return s;
  };
  const inTypes = (types: number) => `r.type IN (${Array(types).fill('?').join(', ')})`;
  const statement = (types: number, byText: string, rare: boolean) =>
    cached(`${types} ${rare} ${byText}`, () => {
      const byType = types === 0 ? '' : ` AND ${inTypes(types)}`;
      // On the stored text: a change without the texts is never turned into a JS string.
      return `${rare ? BY_RESOURCE : BY_NUMBER}${byType}${byText} ORDER BY v.seq LIMIT ?`;
    });
  const isRare = (types: readonly string[]) =>
    types.length > 0 &&
    (cached(`rare ${types.length}`, () => `SELECT count(*) FROM (SELECT 1 FROM resources r WHERE ${inTypes(types.length)} LIMIT ${RARE_BELOW})`)
      .pluck()
      .get(...types) as number) < RARE_BELOW;
  const page = db.transaction((since: number, query: ChangeQuery): ChangePage => {
    const types = query.types ?? [];
    const texts = textFilter(query.containing ?? []);
    const last = counter.get() ?? 0;
    const until = Math.min(last, since + WINDOW);
    const rows = statement(types.length, texts.sql, isRare(types)).all(since, until, ...types, ...texts.params, query.limit) as ChangeRow[];
    const full = rows.length === query.limit;
    const through = full ? rows[rows.length - 1].seq : Math.max(since, until);
    return { changes: rows.map(toEvent), through, more: through < last };
  });
  return {
    changes(since: number, query: ChangeQuery): ChangePage {
      assertChangeArgs(since, query);
      return page.deferred(since, query);
    },
    lastChange(): number {
      return counter.get() ?? 0;
    },
  };
}
