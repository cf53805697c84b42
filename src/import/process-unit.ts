/**
 * Importing one unit (a Bundle, or a chunk of NDJSON lines): check each entry, give it its id, resolve its
 * references, validate it, check its reference targets, then write. A transaction unit is all or nothing:
 * every problem in it is reported, and nothing of it is written. Other units succeed or fail per entry.
 * @see https://hl7.org/fhir/R4/http.html#trules
 */
import type { OperationOutcome, OperationOutcomeIssue, Resource } from 'fhir/r4.js';
import { ReferenceResolver } from '../fhir/bundle/reference-resolver.js';
import { badRequest, issue, OperationOutcomeError, outcome } from '../fhir/outcomes.js';
import { asResource } from '../fhir/resource-body.js';
import type { WriteOp } from '../store/resource-store.js';
import { sameContent } from '../store/resource-meta.js';
import { WriteOpError } from '../store/store-errors.js';
import { AS_STORED, validateResource } from '../validation/validate-resource.js';
import { importId, keyOf } from './entry-identity.js';
import type { ImportContext } from './import-context.js';
import type { EntryIssues } from './ahead/validate-unit.js';
import type { ImportEntry, ImportFailure, ImportUnit } from './import-types.js';
import { isAbsence } from './reference-targets.js';
import { stampEntry, unitLineage } from './unit-lineage.js';

/** An entry that passed every check and is ready to write. */
interface Ready {
  entry: ImportEntry;
  /** The entry's position in its unit. */
  pos: number;
  resource: Resource & { id: string };
  /** Nothing to write: matched an existing resource through ifNoneExist, or repeats one already imported. */
  existing: boolean;
}

/** Marks an entry put aside until the end of the input, its references pointing ahead (deferred-entries.ts). */
const DEFERRED = issue('information', 'informational', 'deferred');
const isError = (i: OperationOutcomeIssue) => i.severity === 'error' || i.severity === 'fatal';

/** Problems of one entry, and the HTTP status they map to. */
class EntryProblem extends Error {
  constructor(
    readonly status: number,
    readonly issues: OperationOutcomeIssue[],
  ) {
    super(issues[0]?.diagnostics ?? 'invalid entry');
  }
}

const typeOf = (entry: ImportEntry) => (entry.resource as { resourceType?: unknown } | null)?.resourceType;
const typeName = (entry: ImportEntry) => (typeof typeOf(entry) === 'string' ? (typeOf(entry) as string) : undefined);

function failureOf(entry: ImportEntry, status: number, o: OperationOutcome, file: string | undefined): ImportFailure & { status: number } {
  return { index: entry.index, line: entry.line, file: entry.file ?? file, resourceType: typeName(entry), outcome: o, status };
}

/** Checks the entry's shape and fixes its id; matches `ifNoneExist` against the unit and the store. */
async function plan(ctx: ImportContext, resolver: ReferenceResolver, entry: ImportEntry, pos: number): Promise<Ready> {
  if (entry.unreadable !== undefined) throw badRequest(entry.unreadable);
  if (entry.method !== undefined && entry.method !== 'POST' && entry.method !== 'PUT') {
    throw new EntryProblem(400, [issue('error', 'not-supported', `$import takes POST and PUT entries, not ${entry.method}`, 'Bundle.entry.request.method')]);
  }
  const resource = asResource(entry.resource);
  const id = importId(resource, entry.fullUrl);
  if (entry.ifNoneExist !== undefined) {
    const condition = entry.ifNoneExist.replace(/^[^?]*\?/, '');
    const ids = await resolver.matchConditional(resource.resourceType, condition, 'Bundle.entry.request.ifNoneExist');
    const other = ids.filter((m) => m !== id);
    if (ids.length > 1) throw new EntryProblem(412, [issue('error', 'multiple-matches', `ifNoneExist "${entry.ifNoneExist}" matches ${ids.length} resources`, 'Bundle.entry.request.ifNoneExist')]);
    if (other.length === 1) {
      resolver.plan(entry.fullUrl, { type: resource.resourceType, id: other[0] });
      resolver.remember(resource.resourceType, condition, other[0]);
      return { entry, pos, resource: { ...resource, id: other[0] }, existing: true };
    }
  }
  const ready = { ...resource, id } as Resource & { id: string };
  resolver.plan(entry.fullUrl, { type: resource.resourceType, id, resource: ready });
  return { entry, pos, resource: ready, existing: false };
}

/**
 * A resource this run already imported (here or in an earlier unit) that comes again with other content: the
 * first occurrence wins, so re-running the same import changes nothing. Same content just writes `unchanged`.
 */
async function repeatIssue(ctx: ImportContext, ready: Ready, earlier: Resource | undefined): Promise<OperationOutcomeIssue | undefined> {
  const key = keyOf(ready.resource);
  if (!earlier && !ctx.seen.has(key)) return undefined;
  const first =
    earlier ??
    (await ctx.store.read(ready.resource.resourceType, ready.resource.id).catch((err: unknown) => {
      if (isAbsence(err)) return undefined;
      throw err;
    }));
  if (!first || sameContent(first, ready.resource)) return undefined;
  ready.existing = true;
  return issue('warning', 'duplicate', `${key} was imported earlier in this run with other content; this occurrence was not stored`, ready.resource.resourceType);
}

interface UnitState {
  atomic: boolean;
  planned: ReadonlySet<string>;
  /** Issues validated ahead, by entry position (ahead/); null or absent: validate here. */
  validated?: Promise<EntryIssues[] | undefined>;
}

/** References, content and reference targets, per the import mode. */
async function check(ctx: ImportContext, resolver: ReferenceResolver, ready: Ready, unit: UnitState, earlier: Resource | undefined): Promise<OperationOutcomeIssue[]> {
  await resolver.rewrite(ready.resource, ready.resource.resourceType);
  const repeat = await repeatIssue(ctx, ready, earlier);
  if (repeat) return [repeat];
  if (ctx.mode === 'none') return [];
  const severity = ctx.mode === 'strict' ? 'error' : 'warning';
  const ahead = (await unit.validated)?.[ready.pos];
  const issues = ahead?.key === keyOf(ready.resource) ? ahead.issues : validateResource(ready.resource, AS_STORED);
  const missing = await ctx.targets.check(ready.resource, unit.planned, severity);
  if (missing.length > 0 && !unit.atomic && !issues.some(isError) && ctx.deferred.offer(ready.entry, ready.resource, issues)) return [DEFERRED];
  issues.push(...missing);
  // Strict mode answers with errors; best-practice warnings are `validate`'s to report, not the import's.
  if (ctx.mode === 'strict') return issues.filter(isError);
  for (const i of issues) if (isError(i)) i.severity = 'warning';
  return issues;
}

/**
 * Imports one unit; returns the failures of a transaction unit that failed as a whole (else none).
 * `validated` gives its entries' issues when they are validated ahead of it; it is awaited only once the unit
 * is planned and its first entry's references are resolved, so that work overlaps the validation.
 */
export async function processUnit(ctx: ImportContext, unit: ImportUnit, validated?: Promise<EntryIssues[] | undefined>): Promise<(ImportFailure & { status: number })[]> {
  const resolver = new ReferenceResolver(ctx.store, ctx.baseUrl, ctx.resolvedCache);
  const ready: Ready[] = [];
  const failures: (ImportFailure & { status: number })[] = [];
  await resolver.prefetch(unit.entries);
  const fail = (entry: ImportEntry, err: unknown) => {
    if (err instanceof EntryProblem) return failures.push(failureOf(entry, err.status, outcome(...err.issues), unit.file));
    // Not an answer about this entry (a store that cannot be reached, a read past its time limit): every entry
    // after it would wait for the store and fail the same way, so the import stops here; running it again
    // finishes it, since import is idempotent.
    if (!(err instanceof OperationOutcomeError)) throw err;
    if (err.status >= 500) ctx.logger.error({ err }, 'import entry failed');
    failures.push(failureOf(entry, err.status, err.outcome, unit.file));
  };
  for (const [pos, entry] of unit.entries.entries()) {
    try {
      ready.push(await plan(ctx, resolver, entry, pos));
    } catch (err) {
      fail(entry, err);
    }
  }
  const planned = new Set(ready.map((r) => keyOf(r.resource)));
  const firstInUnit = new Map<string, Resource>();
  const writable: Ready[] = [];
  for (const r of ready) {
    try {
      const issues = r.existing ? [] : await check(ctx, resolver, r, { atomic: unit.atomic, planned, validated }, firstInUnit.get(keyOf(r.resource)));
      if (issues[0] === DEFERRED) continue;
      if (!firstInUnit.has(keyOf(r.resource))) firstInUnit.set(keyOf(r.resource), r.resource);
      else if (!r.existing) r.existing = true;
      if (issues.some(isError)) throw new EntryProblem(422, issues);
      if (issues.length > 0) ctx.tally.warned(failureOf(r.entry, 200, outcome(...issues), unit.file));
      writable.push(r);
    } catch (err) {
      fail(r.entry, err);
    }
  }
  ctx.tally.references.rewritten += resolver.stats.rewritten;
  ctx.tally.references.resolved += resolver.stats.resolved;
  if (unit.atomic && failures.length > 0) return failTransaction(ctx, unit, failures);
  for (const f of failures) ctx.tally.failed(f);
  return writeReady(ctx, resolver, unit, writable);
}

function failTransaction(ctx: ImportContext, unit: ImportUnit, failures: (ImportFailure & { status: number })[]) {
  const reported = new Set(failures.map((f) => f.index ?? f.line));
  for (const f of failures) ctx.tally.failed(f);
  for (const entry of unit.entries) if (!reported.has(entry.index ?? entry.line)) ctx.tally.failedWithUnit(typeName(entry) ?? 'unknown');
  return failures;
}

async function writeReady(ctx: ImportContext, resolver: ReferenceResolver, unit: ImportUnit, writable: Ready[]): Promise<(ImportFailure & { status: number })[]> {
  const toWrite = writable.filter((r) => !r.existing);
  for (const r of writable) if (r.existing) ctx.tally.stored(r.resource.resourceType, 'unchanged');
  const { lineage } = ctx;
  const ops: WriteOp[] = toWrite.map((r) => ({ op: 'put', resource: lineage ? stampEntry(lineage, unit, r.entry, r.resource) : r.resource }));
  const follow = lineage ? await unitLineage(lineage, unit, toWrite.map((r) => r.entry)) : undefined;
  try {
    const results = await ctx.store.write(ops, { atomic: unit.atomic, follow });
    results.forEach((result, i) => {
      const { entry, resource } = toWrite[i];
      if (result.status === 'failed' && result.error) ctx.tally.failed(failureOf(entry, result.error.status, result.error.outcome, unit.file));
      else {
        ctx.tally.stored(resource.resourceType, result.status);
        ctx.targets.remember(keyOf(resource));
        ctx.seen.add(keyOf(resource));
        if (entry.ifNoneExist !== undefined) resolver.remember(resource.resourceType, entry.ifNoneExist.replace(/^[^?]*\?/, ''), resource.id);
      }
    });
  } catch (err) {
    // A failure past the unit's ops is its lineage's (WriteOptions.follow): no entry's fault, so the import stops.
    if (!(err instanceof WriteOpError) || err.index >= toWrite.length) throw err;
    const failure = failureOf(toWrite[err.index].entry, err.status, err.outcome, unit.file);
    return failTransaction(ctx, unit, [failure]);
  }
  return [];
}
