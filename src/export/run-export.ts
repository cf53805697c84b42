/**
 * Runs a Bulk Data export into a folder: one NDJSON file per resource type, and with `_since` the deletions as
 * Bundles of DELETE entries. The export reads the store as of one history mark, taken right after
 * `transactionTime`: every version committed before the mark is read, nothing after it, so an export with
 * `_since` = this one's transactionTime misses no change (reading "now" at the end, as HAPI once did, loses what
 * changed while the export ran). Each type's versions stream in id order, the latest one through the mark
 * deciding, and lines are written in batches bounded by bytes.
 *
 * Patient and Group exports keep the resources in the compartments of the patients in scope, then add what
 * those reference (practitioners, organizations, locations, medications, and what they reference in turn), so
 * the output is closed over references and imports on its own; a referenced resource in the compartment of a
 * patient out of scope is never added. With `_deidentify` each line is de-identified as it is written, and the
 * deletions name pseudonymised ids: the closure follows the original references, which the output rewrites alike.
 * @see https://hl7.org/fhir/uv/bulkdata/export.html#response---complete-status
 */
import path from 'node:path';
import type { Resource } from 'fhir/r4.js';
import { typesWithHistory } from '../maintenance/backup-types.js';
import { referenceLinks } from '../search/reference-links.js';
import type { RawVersionRecord, ResourceStore } from '../store/resource-store.js';
import { exportDeidentifier } from './deidentify-parameter.js';
import { ExportScope, groupMembers, typeFilterIds } from './export-scope.js';
import type { ExportRequest } from './export-request.js';
import { NdjsonOutput } from './ndjson-output.js';
import { isCompartmentType } from './patient-compartment.js';

export interface ExportOptions {
  store: ResourceStore;
  request: ExportRequest;
  /** The folder the files are written into. */
  dir: string;
  signal?: AbortSignal;
  progress?: (done: number, total?: number) => void;
  /** The de-identification key (MEDGEN_DEID_KEY), for a request with `deidentify`. */
  deidKey?: string;
}

export interface ExportFile {
  type: string;
  file: string;
  count: number;
}

export interface ExportResult {
  transactionTime: string;
  output: ExportFile[];
  /** With `_since`: the deletions, as Bundles of DELETE entries. */
  deleted: ExportFile[];
  counts: Record<string, number>;
}

export const DELETED_FILE = 'deleted.ndjson';
/** DELETE entries per Bundle of the deleted file. */
const DELETES_PER_BUNDLE = 500;
const CHECK_EVERY = 1000;

class Export {
  readonly outputs = new Map<string, NdjsonOutput>();
  /** `Type/id` of every resource written (patient and group levels only: what the closure must not repeat). */
  private readonly written = new Set<string>();
  /** References met, not yet written: the closure still to add. */
  private readonly wanted = new Set<string>();
  private readonly deletions: string[] = [];
  deleted?: NdjsonOutput;
  done = 0;

  constructor(
    private readonly o: ExportOptions,
    readonly scope: ExportScope,
  ) {}

  private output(type: string): NdjsonOutput {
    let out = this.outputs.get(type);
    if (!out) this.outputs.set(type, (out = new NdjsonOutput(path.join(this.o.dir, `${type}.ndjson`))));
    return out;
  }

  private async tick(): Promise<void> {
    if (++this.done % CHECK_EVERY !== 0) return;
    this.o.signal?.throwIfAborted();
    this.o.progress?.(this.done);
  }

  async write(type: string, json: string, parsed?: Resource): Promise<void> {
    await this.output(type).add(this.scope.lineOf(type, json, parsed));
    if (!this.scope.byPatient) return;
    const key = `${type}/${(parsed as Resource).id}`;
    this.written.add(key);
    this.wanted.delete(key);
    for (const link of referenceLinks(parsed as Resource)) {
      if (link.targetType === null || link.targetId === null) continue;
      const target = `${link.targetType}/${link.targetId}`;
      if (!this.written.has(target)) this.wanted.add(target);
    }
  }

  async deletion(type: string, id: string): Promise<void> {
    const deid = this.scope.deid;
    this.deletions.push(`${type}/${deid === undefined ? id : deid.pseudonymId(type, id)}`);
    if (this.deletions.length >= DELETES_PER_BUNDLE) await this.flushDeletions();
  }

  async flushDeletions(): Promise<void> {
    if (this.deletions.length === 0) return;
    this.deleted ??= new NdjsonOutput(path.join(this.o.dir, DELETED_FILE));
    const entry = this.deletions.splice(0).map((url) => ({ request: { method: 'DELETE', url } }));
    await this.deleted.add(JSON.stringify({ resourceType: 'Bundle', type: 'transaction', entry }));
  }

  /** The latest version of one resource through the mark, with its last live JSON when that version is a deletion. */
  async decide(type: string, latest: RawVersionRecord, lastLive: string | null): Promise<void> {
    await this.tick();
    const { scope } = this;
    if (!scope.changedSince(latest.lastUpdated) || !scope.passesFilter(type, latest.id)) return;
    if (latest.deleted || latest.json === null) {
      if (scope.request.since === undefined) return;
      if (scope.byPatient && (lastLive === null || !this.inScope(type, JSON.parse(lastLive) as Resource))) return;
      await this.deletion(type, latest.id);
      return;
    }
    if (!scope.byPatient) {
      await this.write(type, latest.json);
      return;
    }
    const resource = JSON.parse(latest.json) as Resource;
    if (this.inScope(type, resource)) await this.write(type, latest.json, resource);
  }

  private inScope(type: string, resource: Resource): boolean {
    return type === 'Patient' ? this.scope.patientInScope(resource.id as string) : this.scope.inCompartment(resource);
  }

  /** Every type's versions through the mark, one resource at a time. */
  async exportType(type: string, mark: string): Promise<void> {
    let latest: RawVersionRecord | undefined;
    let lastLive: string | null = null;
    for await (const version of this.o.store.streamHistoryRaw(type, { through: mark })) {
      if (latest !== undefined && version.id !== latest.id) {
        await this.decide(type, latest, lastLive);
        lastLive = null;
      }
      latest = version;
      if (!version.deleted) lastLive = version.json;
    }
    if (latest !== undefined) await this.decide(type, latest, lastLive);
  }

  /**
   * Adds what the written resources reference, and what that references, until nothing is missing. These are
   * read as they are now: they lie outside the compartments, so the mark cannot select them without reading
   * every type whole.
   */
  async closure(): Promise<void> {
    const { scope } = this;
    while (this.wanted.size > 0) {
      const [key] = this.wanted;
      this.wanted.delete(key);
      this.written.add(key);
      const slash = key.indexOf('/');
      const [type, id] = [key.slice(0, slash), key.slice(slash + 1)];
      if (!scope.typeWanted(type) || (type === 'Patient' && !scope.patientInScope(id))) continue;
      const resource = await this.o.store.read(type, id).catch(() => undefined);
      if (resource === undefined || !scope.changedSince(resource.meta.lastUpdated)) continue;
      if (isCompartmentType(type) && !scope.noOtherPatient(resource)) continue;
      await this.tick();
      await this.write(type, JSON.stringify(resource), resource);
    }
  }
}

async function scopeOf(o: ExportOptions): Promise<ExportScope> {
  const { store, request } = o;
  const deid = exportDeidentifier(request.deidentify, o.deidKey);
  let members: Set<string> | undefined;
  if (request.level === 'group') members = await groupMembers(store, request.group as string);
  if (request.patients) members = new Set(request.patients.filter((p) => members === undefined || members.has(p)));
  return new ExportScope(request, members, await typeFilterIds(store, request.typeFilters), deid);
}

export async function runExport(o: ExportOptions): Promise<ExportResult> {
  const scope = await scopeOf(o);
  const transactionTime = new Date().toISOString();
  const mark = await o.store.markHistory();
  const run = new Export(o, scope);
  // Without _since only types holding resources matter; with it, a type whose every resource was deleted too.
  const stored = o.request.since === undefined ? Object.keys(await o.store.countByType()) : await typesWithHistory(o.store);
  const types = stored.filter((t) => scope.typeWanted(t) && (!scope.byPatient || isCompartmentType(t))).sort();
  try {
    for (const type of types) await run.exportType(type, mark);
    if (scope.byPatient) await run.closure();
    await run.flushDeletions();
  } finally {
    for (const out of [...run.outputs.values(), ...(run.deleted ? [run.deleted] : [])]) await out.close();
  }
  o.progress?.(run.done, run.done);
  const output = [...run.outputs.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([type, out]) => ({ type, file: path.basename(out.file), count: out.count }));
  const deleted = run.deleted ? [{ type: 'Bundle', file: DELETED_FILE, count: run.deleted.count }] : [];
  const counts = Object.fromEntries(output.map((f) => [f.type, f.count]));
  return { transactionTime, output, deleted, counts };
}
