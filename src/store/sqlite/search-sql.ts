/**
 * Translates a SearchQuery into SQL over the resources table and the index tables.
 * Criteria are ANDed, the predicates of one criterion ORed. The most selective criterion becomes
 * `r.rid IN (SELECT … FROM idx_…)`, so SQLite starts from its value index; the others are EXISTS probes on
 * each candidate's own index rows. Values, codes and types are all bound parameters.
 * @see https://hl7.org/fhir/R4/search.html
 */
import { badRequest } from '../../fhir/outcomes.js';
import type { Criterion, IndexedParamType, Predicate, SearchQuery, SortKey } from '../../search/types.js';
import { dateCondition } from '../range-conditions.js';
import { paramAliases } from './param-aliases.js';
import type { Branch } from './reference-target-sql.js';
import { predicateSql, rangeSql, referenceBranches, type SqlValue } from './search-predicates.js';
import { SOURCE_PARAM, sourceCondition, sourceSortSql } from './source-index.js';

const TABLES: Record<IndexedParamType, string> = {
  token: 'idx_token',
  string: 'idx_string',
  date: 'idx_date',
  reference: 'idx_ref',
  number: 'idx_number',
  quantity: 'idx_number',
  uri: 'idx_uri',
};

/** Which predicate kinds each parameter type accepts; anything else is a parser bug or a hostile query. */
const KINDS: Record<IndexedParamType, Predicate['kind'][]> = {
  token: ['token', 'missing'],
  string: ['string', 'missing'],
  date: ['date', 'missing'],
  reference: ['reference', 'missing'],
  number: ['number', 'missing'],
  quantity: ['number', 'missing'],
  uri: ['uri', 'missing'],
};

/** The parameter id of (type, code); an unknown pair gives NULL, which matches no index row. */
const PID = 'SELECT pid FROM params WHERE type = ? AND code = ?';

/**
 * Which index rows `x` belong to parameter `code`: its own, and for an alias its bases' as well (the store
 * leaves out alias rows a base row repeats, param-aliases.ts); a restricted base's rows only when they name
 * its target type. An `IN` list keeps the (pid, value) index usable.
 */
function paramRows(resourceType: string, code: string, params: SqlValue[]): string {
  const bases = paramAliases(resourceType).get(code);
  params.push(resourceType, code);
  if (bases === undefined) return `x.pid = (${PID})`;
  params.push(...bases.map((b) => b.code));
  const own = `x.pid IN (SELECT pid FROM params WHERE type = ? AND code IN (?${', ?'.repeat(bases.length)}))`;
  const restrictions = bases.map((b) => {
    if (b.targetType === undefined) return null;
    params.push(resourceType, b.code, b.targetType);
    return `(x.pid <> (${PID}) OR x.target_type = ?)`;
  });
  return [own, ...restrictions.filter((r) => r !== null)].join(' AND ');
}

export interface SqlStatement {
  sql: string;
  params: SqlValue[];
}

function tableFor(type: string): string {
  const table = TABLES[type as IndexedParamType];
  if (!table) throw badRequest(`Search parameter type ${JSON.stringify(type)} is not supported`);
  return table;
}

function idCriterion(c: Criterion, params: SqlValue[]): string {
  return c.predicates.map((p) => {
    if (p.kind === 'missing') return p.missing ? '0' : '1';
    const value = p.kind === 'token' ? p.value : p.kind === 'string' ? p.value : undefined;
    if (value === undefined) throw badRequest('_id takes an id value', '_id');
    params.push(value);
    return p.kind === 'token' && p.not ? 'r.id <> ?' : 'r.id = ?';
  }).join(' OR ');
}

function lastUpdatedCriterion(c: Criterion, params: SqlValue[], now: number): string {
  return c.predicates.map((p) => {
    if (p.kind === 'missing') return p.missing ? '0' : '1';
    if (p.kind !== 'date') throw badRequest('_lastUpdated takes a date value', '_lastUpdated');
    return rangeSql(dateCondition(p.prefix, p.lo, p.hi, now), { lo: 'r.last_updated', hi: '(r.last_updated + 1)' }, params);
  }).join(' OR ');
}

/**
 * How selective a criterion probably is (lower = fewer matches), to pick the one SQLite starts from.
 * Without statistics SQLite cannot tell `subject=Patient/1` (a few rows) from `status=final` (all rows).
 * Criteria with :not or :missing cannot drive: they are not a single index lookup.
 */
function selectivity(c: Criterion): number {
  if (!c.predicates.length || c.predicates.some((p) => p.kind === 'missing' || (p.kind === 'token' && p.not))) return Infinity;
  if (c.type === '_id') return 0;
  if (c.type === '_lastUpdated') return Infinity;
  const ranks = c.predicates.map((p) => {
    if (p.kind === 'reference') return 1;
    if (p.kind === 'token') return p.value === undefined ? 5 : 2;
    if ((p.kind === 'string' || p.kind === 'uri') && p.match === 'exact') return 2;
    if (p.kind === 'string' && p.match === 'prefix') return 3;
    return 4;
  });
  return Math.max(...ranks);
}

/**
 * `r.rid IN (lookup)` for a driver, else an EXISTS probe of the candidate's own rows (see indexedCriterion).
 * Several conditions: a driver unions their lookups, each one index seek; a probe ORs them over the candidate's rows.
 */
function selectRows(table: string, wheres: string[], driver: boolean): string {
  if (driver) return `r.rid IN (${wheres.map((w) => `SELECT x.rid FROM ${table} x WHERE ${w}`).join(' UNION ALL ')})`;
  const where = wheres.length === 1 ? wheres[0] : wheres.map((w) => `(${w})`).join(' OR ');
  return `EXISTS (SELECT 1 FROM ${table} x WHERE x.rid = r.rid AND ${where})`;
}

function checkKind(c: Criterion, p: Predicate): void {
  if (!KINDS[c.type as IndexedParamType].includes(p.kind)) throw badRequest(`${c.param}: a ${p.kind} value does not fit a ${c.type} parameter`, c.param);
}

/** `_source`, whose rows have a table of their own (source-index.ts), without a parameter id. */
function sourceCriterion(c: Criterion, params: SqlValue[], drives: boolean): string {
  const terms: string[] = [];
  const conditions: string[] = [];
  for (const p of c.predicates) {
    checkKind(c, p);
    if (p.kind === 'missing') terms.push(`${p.missing ? 'NOT ' : ''}${selectRows('idx_source', ['1'], false)}`);
    else if (p.kind === 'uri') conditions.push(sourceCondition(p, params));
  }
  if (conditions.length) terms.push(selectRows('idx_source', conditions, drives));
  return terms.join(' OR ');
}

/**
 * An indexed criterion either drives (`r.rid IN (lookup by value)`, the rows SQLite starts from) or probes
 * (`EXISTS` on the candidate's own rows, found by the (rid, seq) key): probing a few rows per candidate
 * costs far less than materialising every match of an unselective value such as `status=final`.
 */
function indexedCriterion(c: Criterion, resourceType: string, params: SqlValue[], now: number, drives: boolean): string {
  if (c.param === SOURCE_PARAM) return sourceCriterion(c, params, drives);
  const table = tableFor(c.type);
  const rows = (condition: string | null, values: SqlValue[], driver: boolean): string => {
    const where = `${paramRows(resourceType, c.param, params)}${condition ? ` AND (${condition})` : ''}`;
    params.push(...values);
    return selectRows(table, [where], driver);
  };
  // Each branch carries the parameter's rows condition, so each is one index seek (reference-target-sql.ts).
  const branches = (list: Branch[], driver: boolean): string =>
    selectRows(table, list.map((b) => {
      const where = `${paramRows(resourceType, c.param, params)} AND ${b.sql}`;
      params.push(...b.values);
      return where;
    }), driver);
  const terms: string[] = [];
  const positive: { sql: string; values: SqlValue[] }[] = [];
  const targets: Branch[] = [];
  for (const p of c.predicates) {
    checkKind(c, p);
    const values: SqlValue[] = [];
    if (p.kind === 'missing') terms.push(`${p.missing ? 'NOT ' : ''}${rows(null, values, false)}`);
    else if (p.kind === 'token' && p.not) {
      const sql = predicateSql(p, values, now);
      terms.push(`NOT ${rows(sql, values, false)}`);
    } else if (p.kind === 'reference') targets.push(...referenceBranches(p));
    else positive.push({ sql: predicateSql(p, values, now), values });
  }
  if (targets.length) terms.push(branches(targets, drives));
  if (positive.length) {
    const condition = positive.map((p) => `(${p.sql})`).join(' OR ');
    terms.push(rows(condition, positive.flatMap((p) => p.values), drives));
  }
  return terms.join(' OR ');
}

/**
 * The WHERE clause (without the keyword) selecting live current resources of the type that match, and
 * whether a criterion drives the lookup (then ORDER BY must not tempt SQLite into a scan in sort order).
 */
export function whereSql(query: SearchQuery, now: number = Date.now()): SqlStatement & { driven: boolean } {
  const active = query.criteria.filter((c) => c.predicates.length > 0);
  const ranks = active.map(selectivity);
  const best = Math.min(...ranks);
  const driver = Number.isFinite(best) ? active[ranks.indexOf(best)] : undefined;
  const params: SqlValue[] = [query.resourceType];
  // `+r.type` stops SQLite from walking every resource of the type through an index on `type` when an
  // index lookup drives; an `_id` driver wants exactly that (type, id) index, so it keeps plain `r.type`.
  const clauses = [driver && driver.type !== '_id' ? '+r.type = ?' : 'r.type = ?', 'r.deleted = 0'];
  for (const c of active) {
    let sql: string;
    if (c.type === '_id') sql = idCriterion(c, params);
    else if (c.type === '_lastUpdated') sql = lastUpdatedCriterion(c, params, now);
    else sql = indexedCriterion(c, query.resourceType, params, now, c === driver);
    clauses.push(`(${sql})`);
  }
  return { sql: clauses.join(' AND '), params, driven: driver !== undefined };
}

function sortExpression(key: SortKey, resourceType: string, params: SqlValue[], filtered: boolean): string {
  // When a criterion drives, `+` keeps SQLite from walking resources_order to avoid a sort: the
  // criterion's index lookup is far more selective than a scan of the whole type in date order.
  if (key.type === '_id') return filtered ? '+r.id' : 'r.id';
  if (key.type === '_lastUpdated') return filtered ? '+r.last_updated' : 'r.last_updated';
  if (key.param === SOURCE_PARAM) return sourceSortSql(key.descending);
  const table = tableFor(key.type);
  const agg = key.descending ? 'MAX' : 'MIN';
  const column =
    key.type === 'date' ? (key.descending ? 'x.hi' : 'x.lo')
    : key.type === 'reference' ? "COALESCE(x.target_type || '/' || x.target_id, x.target_id, x.url)"
    : 'x.value';
  return `(SELECT ${agg}(${column}) FROM ${table} x WHERE x.rid = r.rid AND ${paramRows(resourceType, key.param, params)})`;
}

/**
 * ORDER BY for the sort keys: a parameter with several values sorts by its least value ascending and its
 * greatest descending; resources without a value come last. Without sort keys the order is
 * _lastUpdated then id; `r.id` always ends the list so paging with offsets is stable.
 * @see https://hl7.org/fhir/R4/search.html#sort
 */
export function orderBySql(sort: SortKey[], resourceType: string, filtered: boolean): SqlStatement {
  const params: SqlValue[] = [];
  const keys = sort.length ? sort : [{ param: '_lastUpdated', type: '_lastUpdated', descending: false } as SortKey];
  const terms = keys.map((k) => `${sortExpression(k, resourceType, params, filtered)} ${k.descending ? 'DESC' : 'ASC'} NULLS LAST`);
  if (!keys.some((k) => k.type === '_id')) terms.push(filtered ? '+r.id ASC' : 'r.id ASC');
  return { sql: terms.join(', '), params };
}

/** The page query and the total query for a search. */
export function buildSearchSql(query: SearchQuery, now: number = Date.now()): { page: SqlStatement; count: SqlStatement } {
  const where = whereSql(query, now);
  const order = orderBySql(query.sort, query.resourceType, where.driven);
  // SQLite reads LIMIT -1 as "no limit".
  const count = Number.isFinite(query.count) ? Math.max(0, Math.floor(query.count)) : -1;
  const offset = Number.isFinite(query.offset) ? Math.max(0, Math.floor(query.offset)) : 0;
  return {
    page: {
      sql: `SELECT v.json FROM resources r JOIN versions v ON v.rid = r.rid AND v.version = r.version WHERE ${where.sql} ORDER BY ${order.sql} LIMIT ? OFFSET ?`,
      params: [...where.params, ...order.params, count, offset],
    },
    count: { sql: `SELECT COUNT(*) FROM resources r WHERE ${where.sql}`, params: where.params },
  };
}
