/**
 * Acceptance check: the MongoDB store behind the HTTP server, over the wire (FerretDB v1 here, so a server
 * without transactions). One line per check with its figures and wall time; exit 1 when any check fails.
 *   1. every bundle of the folders imports strictly over HTTP (`$import`, file by file, support files first): 0 failed
 *   2. every `Type/id` reference of every stored resource names a stored resource, and the stored reference
 *      index (referencesFrom) says the same as the resource's content
 *   3. importing the same files again creates nothing, and updates only resources that several files hold with
 *      different content (each file's version overwrites the last)
 *   4. a transaction with one invalid entry answers 4xx and leaves no trace ($import, and POST /fhir)
 *   5. full backup, wipe, restore give back every version of every resource byte for byte (meta included)
 *   6. REST interactions work, and bad input (check-bad-json.ts, run against this server) answers 4xx
 *      OperationOutcomes while the server stays up
 *   7. FerretDB killed with SIGKILL mid-import (CLI): the import fails within MONGODB_CONNECT_TIMEOUT_MS with a
 *      clear error; after a restart on the same data every resource's versions are consistent, and the same
 *      import then runs to the end with 0 failures
 * Usage:
 *   eval "$(tools/ferretdb/start.sh)"        # exports MONGODB_URI and FERRETDB_DIR
 *   node --import tsx scripts/check-mongo-server.ts ../shared/data/synthea [more folders]
 *        [--db medgen_acceptance] [--kill-at 1000] [--sample 300] [--no-kill] [--bad-json DIR]
 * The database (--db) is dropped first. FerretDB v1 answers every query by scanning the collection, so a read
 * per resource takes hours on 17,000 resources: where a check would read every resource one by one, it reads
 * an even sample of --sample resources, and says so. Check 7 restarts FerretDB on the same FERRETDB_DIR
 * (start.sh rewrites its pid file, so `kill $(cat $FERRETDB_DIR/pid)` still stops it); the new MONGODB_URI is
 * printed at the end. Progress goes to stderr.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Bundle, OperationOutcome, Parameters, Resource } from 'fhir/r4.js';
import { MongoClient } from 'mongodb';
import { loadConfig } from '../src/config.js';
import { listImportFiles } from '../src/import/file-units.js';
import { createLogger } from '../src/logger.js';
import { MAINTENANCE_TASKS } from '../src/maintenance/run-task.js';
import { scheduleVariable } from '../src/maintenance/schedules.js';
import { referenceLinks } from '../src/search/reference-links.js';
import { type RunningServer, startServer } from '../src/server.js';
import { openStore } from '../src/store/open-store.js';
import type { ResourceStore, StoredResource } from '../src/store/resource-store.js';

const repo = path.resolve(import.meta.dirname, '..');
const bin = path.join(repo, 'bin/medgen-data.js');
const { values: opts, positionals: folders } = parseArgs({
  allowPositionals: true,
  options: {
    db: { type: 'string', default: 'medgen_acceptance' },
    'kill-at': { type: 'string', default: '1000' },
    sample: { type: 'string', default: '300' },
    'no-kill': { type: 'boolean', default: false },
    skip: { type: 'string', default: '' },
    'bad-json': { type: 'string', default: path.resolve(repo, '../shared/data/bad-input/JSONTestSuite/test_parsing') },
  },
});
const killAt = Number(opts['kill-at']);
// Checks 2 and 3 read or write every resource again, most of an hour each on FerretDB v1: a run may leave them
// out. Check 1 imports the data the others need, so it always runs.
const skip = new Set(opts.skip.split(',').filter(Boolean).map(Number));
const sample = Number(opts.sample);
const ferretDir = process.env.FERRETDB_DIR;
const usage = 'usage: MONGODB_URI=… [FERRETDB_DIR=…] check-mongo-server.ts <folder>… [--db NAME] [--kill-at N] [--sample N] [--no-kill] [--skip 2,3] [--bad-json DIR]\n';
if ([...skip].some((n) => !Number.isInteger(n) || n < 2 || n > 7) || folders.length === 0 || folders.some((f) => !fs.statSync(f, { throwIfNoEntry: false })?.isDirectory()) || !Number.isInteger(killAt) || killAt < 1 || !Number.isInteger(sample) || sample < 0) {
  process.stderr.write(usage);
  process.exit(2);
}
if (!process.env.MONGODB_URI) {
  process.stderr.write(`MONGODB_URI is not set (eval "$(tools/ferretdb/start.sh)" starts FerretDB and sets it)\n${usage}`);
  process.exit(2);
}
if (!opts['no-kill'] && !(ferretDir && fs.existsSync(path.join(ferretDir, 'pid')))) {
  process.stderr.write(`check 7 kills and restarts FerretDB: set FERRETDB_DIR (start.sh exports it), or pass --no-kill\n${usage}`);
  process.exit(2);
}
let uri = process.env.MONGODB_URI;
const dbName = opts.db;
const connectTimeoutMs = loadConfig().mongodbConnectTimeoutMs;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-mongo-accept-'));
// A scheduled backup or validation firing mid-run would write and hold the maintenance lock: none runs here.
for (const task of MAINTENANCE_TASKS) process.env[scheduleVariable(task)] = 'off';

const out = (text: string) => process.stdout.write(`${text}\n`);
const note = (text: string) => process.stderr.write(`  ${text}\n`);
const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);
const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

interface CheckResult {
  ok: boolean;
  text: string;
  details?: string[];
}
const verdicts: boolean[] = [];

/** Runs one check; an exception fails that check only, so later checks still report. */
async function check(n: number, title: string, fn: () => Promise<CheckResult>): Promise<boolean> {
  if (skip.has(n)) {
    out(`SKIP ${n}. ${title} (--skip)`);
    return true;
  }
  const started = performance.now();
  note(`${n}. ${title} …`);
  let result: CheckResult;
  try {
    result = await fn();
  } catch (err) {
    result = { ok: false, text: `stopped: ${err instanceof Error ? err.message : String(err)}`, details: err instanceof Error ? err.stack?.split('\n').slice(1, 6) : [] };
  }
  out(`${result.ok ? 'PASS' : 'FAIL'} ${n}. ${title}: ${result.text} [${seconds(started)} s]`);
  for (const d of (result.details ?? []).slice(0, 12)) out(`     ${d}`);
  if ((result.details?.length ?? 0) > 12) out(`     … and ${(result.details?.length ?? 0) - 12} more`);
  verdicts.push(result.ok);
  return result.ok;
}

async function forEachLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/**
 * node:http rather than fetch: undici gives up after 300 s without response headers, and one large bundle
 * on FerretDB (every filter a full collection scan) can take longer than that.
 */
function request(method: string, url: string, body?: Buffer | string | object, headers: Record<string, string> = {}): Promise<Reply> {
  const payload = body === undefined || Buffer.isBuffer(body) || typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    // A new connection per request: a pooled keep-alive socket can be closed by the server just as it is reused.
    const req = http.request(url, { method, agent: false, headers: payload === undefined ? headers : { 'Content-Type': 'application/fhir+json', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

function parsed<T = Record<string, unknown>>(reply: Reply): T {
  try {
    return JSON.parse(reply.text) as T;
  } catch {
    throw new Error(`answer ${reply.status} is not JSON: ${reply.text.slice(0, 120)}`);
  }
}

const isOutcome = (reply: Reply) => reply.text.includes('"resourceType":"OperationOutcome"');
const diagnostics = (outcome: OperationOutcome | undefined) =>
  (outcome?.issue ?? []).map((i) => `${i.diagnostics ?? i.code}${i.expression ? ` (${i.expression.join(', ')})` : ''}`).join('; ').slice(0, 300);

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

/** Never spawnSync: the server under test runs in this process and must keep answering meanwhile. */
function runNode(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<CliRun> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env, cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('close', (code) => resolve({ code, stdout, stderr, seconds: (performance.now() - started) / 1000 }));
  });
}

const runCli = (args: string[]) => runNode([bin, ...args], cliEnv());

/** The CLI on the same database as the server, with its files (backups) in this run's temp folder. */
const cliEnv = (): NodeJS.ProcessEnv => ({ ...process.env, MONGODB_URI: uri, MONGODB_DB: dbName, MEDGEN_DATA_DIR: work, LOG_LEVEL: 'warn' });

function lastJson<T>(run: CliRun): T {
  const line = run.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as T;
  } catch {
    throw new Error(`exit ${run.code}, no JSON on stdout; stderr: ${run.stderr.trim().split('\n').slice(-3).join(' | ').slice(0, 400)}`);
  }
}

async function dropDatabase(): Promise<void> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: connectTimeoutMs });
  try {
    await client.connect();
    await client.db(dbName).dropDatabase();
  } finally {
    await client.close();
  }
}

const open = () => openStore(loadConfig(process.env, { mongodbUri: uri, mongodbDb: dbName, dataDir: work }));

async function startMongoServer(): Promise<RunningServer> {
  const config = loadConfig(process.env, { mongodbUri: uri, mongodbDb: dbName, dataDir: path.join(work, 'server'), port: 0, host: '127.0.0.1', apiKeys: [] });
  return startServer(config, createLogger('silent'));
}

interface ImportTotals {
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  /** Resources updated, per type: what a re-import changed. */
  updatedByType: Record<string, number>;
  problems: string[];
}

/** Each file as one `POST $import?mode=strict`, in the CLI's order; per-file progress on stderr. */
async function importOverHttp(baseUrl: string, files: string[]): Promise<ImportTotals> {
  const totals: ImportTotals = { created: 0, updated: 0, unchanged: 0, failed: 0, updatedByType: {}, problems: [] };
  for (const file of files) {
    const started = performance.now();
    const body = fs.readFileSync(file);
    const reply = await request('POST', `${baseUrl}/fhir/$import?mode=strict`, body);
    const name = path.relative(process.cwd(), file);
    if (reply.status === 200) {
      const p = parsed<Parameters>(reply).parameter ?? [];
      const n = (key: string) => p.find((x) => x.name === key)?.valueInteger ?? 0;
      totals.created += n('created');
      totals.updated += n('updated');
      totals.unchanged += n('unchanged');
      totals.failed += n('failed');
      for (const part of p.filter((x) => x.name === 'type').map((x) => x.part ?? [])) {
        const type = part.find((x) => x.name === 'type')?.valueCode as string;
        const updated = part.find((x) => x.name === 'updated')?.valueInteger ?? 0;
        if (updated > 0) totals.updatedByType[type] = (totals.updatedByType[type] ?? 0) + updated;
      }
      for (const f of p.filter((x) => x.name === 'failure')) {
        const index = f.part?.find((x) => x.name === 'index')?.valueInteger;
        totals.problems.push(`${name} entry ${index}: ${diagnostics(f.part?.find((x) => x.name === 'outcome')?.resource as OperationOutcome)}`);
      }
      note(`${name}: ${n('created')} created, ${n('updated')} updated, ${n('unchanged')} unchanged, ${n('failed')} failed (${seconds(started)} s)`);
    } else {
      // A transaction Bundle that fails as a whole answers 4xx: every one of its entries failed.
      const entries = (JSON.parse(body.toString('utf8')) as Bundle).entry?.length ?? 1;
      totals.failed += entries;
      totals.problems.push(`${name}: ${reply.status}, ${entries} entries: ${isOutcome(reply) ? diagnostics(parsed<OperationOutcome>(reply)) : reply.text.slice(0, 200)}`);
      note(`${name}: ${reply.status} (${seconds(started)} s)`);
    }
  }
  return totals;
}

const totalsText = (t: ImportTotals) => {
  const updated = Object.entries(t.updatedByType).map(([type, n]) => `${type} ${n}`).join(', ');
  return `created ${t.created}, updated ${t.updated}${updated ? ` (${updated})` : ''}, unchanged ${t.unchanged}, failed ${t.failed}`;
};

/** A SHA-256 over every version of every resource of the types, as streamHistoryRaw gives them. */
async function versionDigest(store: ResourceStore, types: string[]): Promise<{ digest: string; versions: number }> {
  const hash = createHash('sha256');
  let versions = 0;
  for (const type of types) {
    for await (const r of store.streamHistoryRaw(type)) {
      hash.update(`${JSON.stringify([r.resourceType, r.id, r.versionId, r.lastUpdated, r.deleted, r.json])}\n`);
      versions++;
    }
  }
  return { digest: hash.digest('hex'), versions };
}

const linkText = (l: { path: string; targetType: string | null; targetId: string | null; url: string | null }) => `${l.path}|${l.targetType}/${l.targetId}|${l.url}`;

/** At most `n` items, evenly spread over the list (every item when it is short enough). */
function spread<T>(items: T[], n: number): T[] {
  if (items.length <= n) return items;
  return Array.from({ length: n }, (_, i) => items[Math.floor((i * items.length) / n)]);
}

/** The HTTP status a store call answers with; an error that is no FHIR answer (network, time limit) is thrown. */
async function statusOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 200;
  } catch (err) {
    const status = (err as { status?: unknown }).status;
    if (typeof status !== 'number') throw err;
    return status;
  }
}

const files = listImportFiles(folders);
out(`check-mongo-server: ${files.length} files from ${folders.join(', ')}; database ${dbName} at ${uri.replace(/\/\/[^@/]*@/, '//***@')}; MONGODB_CONNECT_TIMEOUT_MS ${connectTimeoutMs}`);
await dropDatabase();
const server = await startMongoServer();
let store = await open();
const importedTypes = new Set<string>();
let countsAfterImport: Record<string, number> = {};

await check(1, 'strict import over HTTP, file by file', async () => {
  const started = performance.now();
  const t = await importOverHttp(server.url, files);
  const secs = (performance.now() - started) / 1000;
  countsAfterImport = await patiently(() => store.countByType(), { count: 0 });
  for (const type of Object.keys(countsAfterImport)) importedTypes.add(type);
  const stored = sum(countsAfterImport);
  return {
    ok: t.failed === 0 && t.created > 0,
    text: `${files.length} files, ${totalsText(t)} in ${secs.toFixed(1)} s (${Math.round((t.created + t.updated + t.unchanged) / secs)} resources/s); ${stored} resources stored in ${Object.keys(countsAfterImport).length} types`,
    details: t.problems,
  };
});

await check(2, 'every reference resolves', async () => {
  let started = performance.now();
  const keys = new Set<string>();
  const holders: { type: string; id: string; links: string[] }[] = [];
  let references = 0;
  let other = 0;
  const urns: string[] = [];
  const targets = new Map<string, string>();
  for (const type of Object.keys(countsAfterImport)) {
    for await (const r of store.stream(type)) {
      keys.add(`${type}/${r.id}`);
      const links = referenceLinks(r);
      holders.push({ type, id: r.id, links: links.map(linkText).sort() });
      for (const l of links) {
        references++;
        if (l.targetType !== null) {
          if (!targets.has(`${l.targetType}/${l.targetId}`)) targets.set(`${l.targetType}/${l.targetId}`, `${type}/${r.id} ${l.path}`);
        } else if (l.url?.startsWith('urn:')) urns.push(`${type}/${r.id} ${l.path}: ${l.url} was not rewritten`);
        else other++;
      }
    }
  }
  note(`streamed ${holders.length} resources, ${targets.size} distinct targets (${seconds(started)} s)`);
  // On FerretDB v1 every read is a scan of the collection, so reading each target would take hours on this
  // data: the stream is the listing, and reads confirm every target it lacks plus an even sample of the rest.
  started = performance.now();
  const absent = [...targets.keys()].filter((t) => !keys.has(t));
  const present = spread([...targets.keys()].filter((t) => keys.has(t)), sample);
  const missing: string[] = [];
  let confirmed = 0;
  const retries = { count: 0 };
  await forEachLimit([...absent, ...present], 4, async (target) => {
    const [type, id] = target.split('/');
    const status = await patiently(() => statusOf(store.read(type, id)), retries);
    if (status === 200 && keys.has(target)) confirmed++;
    else if (status !== 200) missing.push(`${targets.get(target)} -> ${target}: read ${status}${keys.has(target) ? ' (yet streamed)' : ''}`);
    else missing.push(`${targets.get(target)} -> ${target}: read 200 but not streamed`);
  });
  note(`read ${absent.length} targets absent from the streams and ${present.length} present (${seconds(started)} s)`);
  // The stored index is what cleanup-orphans and the reports read: it must say what the content says.
  started = performance.now();
  const indexed = spread(holders, sample);
  const disagree: string[] = [];
  await forEachLimit(indexed, 4, async (h) => {
    const stored = (await patiently(() => store.referencesFrom(h.type, h.id), retries)).map(linkText).sort();
    if (stored.join('\n') !== h.links.join('\n')) disagree.push(`${h.type}/${h.id}: index has ${stored.length} references, content ${h.links.length}`);
  });
  note(`referencesFrom for ${indexed.length} resources (${seconds(started)} s${retries.count ? `, ${retries.count} reads retried after MaxTimeMSExpired` : ''})`);
  return {
    // Nothing streamed is nothing checked: a failure of check 1 must not pass this one.
    ok: holders.length > 0 && missing.length === 0 && urns.length === 0 && disagree.length === 0,
    text:
      `${holders.length} resources hold ${references} references: ${references - other - urns.length} Type/id to ${targets.size} distinct targets, ` +
      `${targets.size - absent.length} of them streamed, ${absent.length} not; read: ${missing.length} missing (${absent.length} not streamed + ${present.length} sampled streamed targets read, ${confirmed} confirmed); ` +
      `${urns.length} urn: left; ${other} other (absolute URLs, not checked); reference index (referencesFrom) agrees for ${indexed.length - disagree.length}/${indexed.length} sampled resources`,
    details: [...missing, ...urns, ...disagree],
  };
});

let countsNow = countsAfterImport;
/**
 * Per type, how many times resources that several files hold with different content occur (Synthea 2.4 repeats
 * its Organizations and Practitioners in every patient bundle, not always alike): file by file, each such
 * occurrence overwrites the last, so a re-import may update those, and only those.
 */
function repeatedWithOtherContent(paths: string[]): Record<string, number> {
  const seen = new Map<string, { contents: Set<string>; files: number }>();
  for (const file of paths) {
    const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as Bundle;
    const inFile = new Map<string, string>();
    for (const e of doc.entry ?? []) {
      const r = e.resource as Resource | undefined;
      if (r?.id) inFile.set(`${r.resourceType}/${r.id}`, JSON.stringify({ ...r, meta: undefined }));
    }
    for (const [key, content] of inFile) {
      const s = seen.get(key) ?? { contents: new Set<string>(), files: 0 };
      s.contents.add(content);
      s.files++;
      seen.set(key, s);
    }
  }
  const out: Record<string, number> = {};
  for (const [key, s] of seen) if (s.contents.size > 1) out[key.split('/')[0]] = (out[key.split('/')[0]] ?? 0) + s.files;
  return out;
}

await check(3, 're-import of the same files creates nothing, and updates only what the files disagree on', async () => {
  const started = performance.now();
  const t = await importOverHttp(server.url, files);
  const after = await store.countByType();
  countsNow = after;
  const same = JSON.stringify(after) === JSON.stringify(countsAfterImport);
  const disagreeing = repeatedWithOtherContent(files);
  const unexplained = Object.entries(t.updatedByType).filter(([type, n]) => n > (disagreeing[type] ?? 0));
  return {
    ok: t.created === 0 && unexplained.length === 0 && t.failed === 0 && same,
    text:
      `${totalsText(t)} in ${seconds(started)} s; counts per type ${same ? 'unchanged' : 'CHANGED'} (${sum(after)} resources); ` +
      `files hold ${Object.entries(disagreeing).map(([type, n]) => `${type} ${n}`).join(', ') || 'nothing'} with content other files differ on` +
      (unexplained.length ? `; updates beyond that: ${unexplained.map(([type, n]) => `${type} ${n}`).join(', ')}` : ''),
    details: t.problems,
  };
});

await check(4, 'transaction with one invalid entry leaves no trace', async () => {
  const before = countsNow;
  const problems: string[] = [];
  const [patientId, encounterId, badId] = [randomUUID(), randomUUID(), randomUUID()];
  const patient = (extra: object) => ({ resourceType: 'Patient', name: [{ family: 'Acceptance', given: ['Tx'] }], birthDate: '1980-01-02', ...extra });
  const importTx = {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      { fullUrl: `urn:uuid:${patientId}`, resource: patient({ gender: 'female' }), request: { method: 'POST', url: 'Patient' } },
      {
        fullUrl: `urn:uuid:${encounterId}`,
        resource: { resourceType: 'Encounter', status: 'finished', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' }, subject: { reference: `urn:uuid:${patientId}` } },
        request: { method: 'POST', url: 'Encounter' },
      },
      { fullUrl: `urn:uuid:${badId}`, resource: patient({ gender: 'not-a-gender' }), request: { method: 'POST', url: 'Patient' } },
    ],
  };
  const viaImport = await request('POST', `${server.url}/fhir/$import?mode=strict`, importTx);
  if (viaImport.status < 400 || viaImport.status >= 500 || !isOutcome(viaImport)) problems.push(`$import answered ${viaImport.status}: ${viaImport.text.slice(0, 200)}`);
  for (const [type, id] of [['Patient', patientId], ['Encounter', encounterId], ['Patient', badId]]) {
    const status = await statusOf(store.read(type, id));
    if (status !== 404) problems.push(`after $import, ${type}/${id} reads ${status}`);
  }

  // The same through POST /fhir, where the failing entry is a version conflict the store itself finds.
  let existing: StoredResource | undefined;
  for await (const r of store.stream('Patient')) {
    existing = r;
    break;
  }
  const restPatientId = `acc-tx-${randomUUID().slice(0, 8)}`;
  const marker = randomUUID();
  const restTx = {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      { fullUrl: `Patient/${restPatientId}`, resource: patient({ id: restPatientId, gender: 'male' }), request: { method: 'PUT', url: `Patient/${restPatientId}` } },
      {
        resource: { resourceType: 'Observation', status: 'final', identifier: [{ system: 'urn:medgen-acceptance', value: marker }], code: { text: 'acceptance' }, subject: { reference: `Patient/${restPatientId}` } },
        request: { method: 'POST', url: 'Observation' },
      },
      ...(existing ? [{ resource: { ...existing, active: false }, request: { method: 'PUT', url: `Patient/${existing.id}`, ifMatch: 'W/"999"' } }] : []),
    ],
  };
  const viaRest = await request('POST', `${server.url}/fhir`, restTx);
  if (viaRest.status < 400 || viaRest.status >= 500 || !isOutcome(viaRest)) problems.push(`POST /fhir answered ${viaRest.status}: ${viaRest.text.slice(0, 200)}`);
  const restStatus = await statusOf(store.read('Patient', restPatientId));
  if (restStatus !== 404) problems.push(`after POST /fhir, Patient/${restPatientId} reads ${restStatus}`);
  const search = await request('GET', `${server.url}/fhir/Observation?identifier=${encodeURIComponent(`urn:medgen-acceptance|${marker}`)}&_summary=count`);
  const found = search.status === 200 ? parsed<Bundle>(search).total : undefined;
  if (found !== 0) problems.push(`after POST /fhir, the Observation is found: search ${search.status}, total ${found}`);
  if (existing) {
    const now = await store.read('Patient', existing.id);
    if (now.meta.versionId !== existing.meta.versionId) problems.push(`Patient/${existing.id} went from version ${existing.meta.versionId} to ${now.meta.versionId}`);
  }
  const after = await store.countByType();
  if (JSON.stringify(after) !== JSON.stringify(before)) problems.push(`counts per type changed: ${sum(before)} -> ${sum(after)}`);
  countsNow = after;
  const firstIssue = (r: Reply) => (isOutcome(r) ? diagnostics(parsed<OperationOutcome>(r)).slice(0, 100) : '');
  return {
    ok: problems.length === 0,
    text: `$import ${viaImport.status} ("${firstIssue(viaImport)}"), POST /fhir ${viaRest.status} ("${firstIssue(viaRest)}"); 4 ids absent, counts per type unchanged (${sum(after)})`,
    details: problems,
  };
});

await check(5, 'backup, wipe, restore is exact', async () => {
  // Nothing has been deleted yet, so the types with live resources are all the types with history.
  const types = [...new Set([...importedTypes, ...Object.keys(countsNow)])].sort();
  let started = performance.now();
  const before = await versionDigest(store, types);
  const hashSeconds = seconds(started);
  const backup = await runCli(['backup', '--type', 'full', '--json']);
  const manifest = lastJson<{ id: string; counts: { versions: number; current: number } }>(backup);
  const verify = await runCli(['backup', '--verify', manifest.id, '--json']);
  const verified = lastJson<{ ok: boolean; problems: string[] }>(verify);
  const wipe = await runCli(['wipe', '--yes']);
  const wiped = await versionDigest(store, types);
  const emptyCounts = await store.countByType();
  const restore = await runCli(['restore', manifest.id, '--json']);
  const restored = lastJson<{ versions: number; byType: Record<string, number> }>(restore);
  started = performance.now();
  const after = await versionDigest(store, types);
  const problems = [
    ...(verified.ok ? [] : [`verify: ${verified.problems.join('; ')}`]),
    ...(wipe.code === 0 ? [] : [`wipe exit ${wipe.code}: ${wipe.stderr.slice(0, 300)}`]),
    ...(wiped.versions === 0 && sum(emptyCounts) === 0 ? [] : [`after wipe ${wiped.versions} versions, ${sum(emptyCounts)} resources remain`]),
    ...(restore.code === 0 ? [] : [`restore exit ${restore.code}: ${restore.stderr.slice(0, 300)}`]),
    ...(manifest.counts.versions === before.versions ? [] : [`backup holds ${manifest.counts.versions} versions, the store ${before.versions}`]),
    ...(after.digest === before.digest ? [] : [`digest before ${before.digest.slice(0, 16)}…, after ${after.digest.slice(0, 16)}…`]),
  ];
  return {
    ok: problems.length === 0,
    text:
      `${before.versions} versions in ${types.length} types hashed (${hashSeconds} s); backup ${manifest.id} ${manifest.counts.versions} versions, ${manifest.counts.current} resources (${backup.seconds.toFixed(1)} s), verified ${verified.ok}; ` +
      `wipe (${wipe.seconds.toFixed(1)} s) left ${wiped.versions}; restore ${restored.versions} versions (${restore.seconds.toFixed(1)} s); sha256 ${after.digest === before.digest ? 'equal' : 'DIFFERENT'} ${after.digest.slice(0, 16)}… over ${after.versions} versions (${seconds(started)} s)`,
    details: problems,
  };
});

await check(6, 'REST interactions and bad input', async () => {
  const base = `${server.url}/fhir`;
  const problems: string[] = [];
  const expect = (what: string, reply: Reply, status: number | number[]) => {
    const ok = Array.isArray(status) ? status.includes(reply.status) : reply.status === status;
    if (!ok) problems.push(`${what}: ${reply.status} (expected ${status}) ${reply.text.slice(0, 160)}`);
    return ok;
  };
  const marker = randomUUID();
  const identifier = `urn:medgen-acceptance|${marker}`;
  const body = { resourceType: 'Patient', identifier: [{ system: 'urn:medgen-acceptance', value: marker }], name: [{ family: 'Acceptance', given: ['Rest'] }], gender: 'other', birthDate: '1990-03-04' };
  const created = await request('POST', `${base}/Patient`, body);
  let steps = 0;
  if (expect('create', created, 201)) {
    const id = parsed<Resource>(created).id as string;
    steps++;
    if (expect('read', await request('GET', `${base}/Patient/${id}`), 200)) steps++;
    const updated = await request('PUT', `${base}/Patient/${id}`, { ...body, id, birthDate: '1990-03-05' }, { 'If-Match': 'W/"1"' });
    if (expect('update', updated, 200) && parsed<Resource>(updated).meta?.versionId === '2') steps++;
    const v1 = await request('GET', `${base}/Patient/${id}/_history/1`);
    if (expect('vread 1', v1, 200) && parsed<{ birthDate?: string }>(v1).birthDate === '1990-03-04') steps++;
    const history = await request('GET', `${base}/Patient/${id}/_history`);
    if (expect('history', history, 200) && parsed<Bundle>(history).entry?.length === 2) steps++;
    else problems.push(`history has ${parsed<Bundle>(history).entry?.length} entries, expected 2`);
    const search = await request('GET', `${base}/Patient?identifier=${encodeURIComponent(identifier)}`);
    if (expect('search', search, 200) && parsed<Bundle>(search).total === 1) steps++;
    else problems.push(`search total ${parsed<Bundle>(search).total}, expected 1`);
    // Checks 4 and 5 left the counts as check 3 saw them, and the Patient created above is one more.
    const patients = (countsNow.Patient ?? 0) + 1;
    const count = await request('GET', `${base}/Patient?_summary=count`);
    if (expect('_summary=count', count, 200) && parsed<Bundle>(count).total === patients) steps++;
    else problems.push(`_summary=count total ${parsed<Bundle>(count).total}, expected ${patients}`);
    if (expect('delete', await request('DELETE', `${base}/Patient/${id}`), [200, 204])) steps++;
    const gone = await request('GET', `${base}/Patient/${id}`);
    if (expect('read after delete', gone, 410) && isOutcome(gone)) steps++;
    const after = await request('GET', `${base}/Patient?identifier=${encodeURIComponent(identifier)}`);
    if (expect('search after delete', after, 200) && parsed<Bundle>(after).total === 0) steps++;
  }
  // Keys MongoDB would treat as operators or paths must round-trip as data, and never reach a query.
  const odd = await request('POST', `${base}/Patient`, { resourceType: 'Patient', $where: 'sleep(1000)', 'a.b': { $gt: '' } });
  if (odd.status === 201) {
    const id = parsed<Resource>(odd).id as string;
    const back = parsed<Record<string, unknown>>(await request('GET', `${base}/Patient/${id}`));
    if (back.$where !== 'sleep(1000)' || JSON.stringify(back['a.b']) !== '{"$gt":""}') problems.push(`$where / a.b keys did not round-trip: ${JSON.stringify(back).slice(0, 200)}`);
    await request('DELETE', `${base}/Patient/${id}`);
  } else if (odd.status >= 500 || !isOutcome(odd)) problems.push(`Patient with $where / a.b keys: ${odd.status} ${odd.text.slice(0, 160)}`);
  const injections = [`${base}/Patient?_id[$ne]=x`, `${base}/Patient/${encodeURIComponent('{"$gt":""}')}`, `${base}/Patient?identifier=${encodeURIComponent('{"$gt":""}')}&_count=1`];
  const injectionStatus: number[] = [];
  // An unknown parameter such as `_id[$ne]` is ignored, as R4 asks (and named in the Bundle's outcome entry),
  // unless the client asks for strict handling: then it is a 400. Either way it never reaches a query.
  const ignoredAsUnknown = (reply: Reply, name: string) =>
    reply.status === 200 && (parsed<Bundle>(reply).entry ?? []).some((e) => e.search?.mode === 'outcome' && JSON.stringify(e.resource).includes(name));
  for (const url of injections) {
    const reply = await request('GET', url);
    injectionStatus.push(reply.status);
    const harmless = (reply.status >= 400 && reply.status < 500 && isOutcome(reply)) || (reply.status === 200 && parsed<Bundle>(reply).total === 0) || ignoredAsUnknown(reply, '_id[$ne]');
    if (!harmless) problems.push(`GET ${url.slice(base.length)}: ${reply.status} ${reply.text.slice(0, 160)}`);
  }
  const strict = await request('GET', injections[0], undefined, { Prefer: 'handling=strict' });
  injectionStatus.push(strict.status);
  if (strict.status !== 400 || !isOutcome(strict)) problems.push(`GET ${injections[0].slice(base.length)} with Prefer: handling=strict: ${strict.status} ${strict.text.slice(0, 160)}`);

  const badJson = await runNode(['--import', 'tsx', path.join(repo, 'scripts/check-bad-json.ts'), path.resolve(opts['bad-json']), server.url]);
  const badLine = `${badJson.stdout.trim().split('\n')[0] ?? ''} (${badJson.seconds.toFixed(1)} s)`;
  if (badJson.code !== 0) problems.push(`check-bad-json.ts exit ${badJson.code}: ${badJson.stdout.trim().split('\n').slice(0, 6).join(' | ')} ${badJson.stderr.slice(0, 300)}`);
  const health = await request('GET', `${server.url}/health`);
  if (health.status !== 200) problems.push(`/health ${health.status}`);
  return {
    ok: problems.length === 0 && steps === 10,
    text: `REST ${steps}/10 steps (create, read, update, vread, history, search total, _summary=count, delete, 410, search after delete); $where/a.b keys ${odd.status}; operator-shaped queries ${injectionStatus.join(', ')} (the last strict); bad JSON: ${badLine}; /health ${health.status}`,
    details: problems,
  };
});

let restartedUri: string | undefined;

/** The import (CLI) FerretDB is killed under: exit code, seconds from the kill to the exit, what it printed. */
async function importKilled(): Promise<{ code: number | null; progress: number; killed: boolean; failSeconds: number; stopped: boolean; errorLines: string[] }> {
  const ferretPid = Number(fs.readFileSync(path.join(ferretDir as string, 'pid'), 'utf8').trim());
  const started = performance.now();
  let killedAt = 0;
  let progress = 0;
  let killedProgress = 0;
  const errorLines: string[] = [];
  const guardMs = connectTimeoutMs * 3 + 60_000;
  let guard: NodeJS.Timeout | undefined;
  const child = spawn(process.execPath, [bin, 'import', ...folders], { env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let buffered = '';
  const take = (line: string) => {
    const m = /^importing: (\d+) resources/.exec(line);
    if (!m) {
      if (line.trim() !== '') errorLines.push(line);
      return;
    }
    progress = Number(m[1]);
    if (killedAt === 0 && progress >= killAt) {
      killedProgress = progress;
      process.kill(ferretPid, 'SIGKILL');
      killedAt = performance.now();
      note(`FerretDB (pid ${ferretPid}) killed at ${progress} resources, ${seconds(started)} s into the import`);
      // Well past the connect timeout, in case the import does not stop: then it is stopped here and the check fails.
      guard = setTimeout(() => child.kill('SIGKILL'), guardMs);
    }
  };
  child.stderr.on('data', (c: Buffer) => {
    buffered += c.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    lines.forEach(take);
  });
  child.stdout.resume();
  const code = await new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));
  clearTimeout(guard);
  take(buffered);
  const failSeconds = killedAt === 0 ? 0 : (performance.now() - killedAt) / 1000;
  const stopped = code === null && failSeconds * 1000 >= guardMs;
  note(`import exit ${code}${stopped ? ' (still running: stopped here)' : ''}, ${failSeconds.toFixed(1)} s after the kill: ${errorLines.join(' | ').slice(0, 300)}`);
  return { code, progress: killedAt === 0 ? progress : killedProgress, killed: killedAt !== 0, failSeconds, stopped, errorLines };
}

/** Reads FerretDB cuts short with MaxTimeMSExpired under load are tried again; other errors are answers. */
async function patiently<T>(read: () => Promise<T>, retries: { count: number }): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (err) {
      const timedOut = /exceeded time limit|MaxTimeMS/i.test(err instanceof Error ? err.message : String(err));
      if (!timedOut || attempt === 3) throw err;
      retries.count++;
    }
  }
}

/**
 * Every resource: its history records (streamHistory, what backups copy) are versions 1..current, each vread
 * answers that version, read answers the streamed current one. history() scans the whole history collection
 * on FerretDB v1, so it is called for the most recently written resources (where a cut write would be) and an
 * even sample of the others.
 */
async function versionConsistency(types: string[]): Promise<{ resources: number; versions: number; historyCalls: number; retries: number; problems: string[] }> {
  const problems: string[] = [];
  const retries = { count: 0 };
  const all: { r: StoredResource; streamed: string[] }[] = [];
  let strays = 0;
  for (const type of types) {
    const raw = new Map<string, string[]>();
    for await (const v of store.streamHistory(type)) raw.set(v.id, [...(raw.get(v.id) ?? []), v.versionId]);
    for await (const r of store.stream(type)) {
      all.push({ r, streamed: raw.get(r.id) ?? [] });
      raw.delete(r.id);
    }
    for (const vs of raw.values()) strays += vs.length;
  }
  if (strays > 0) problems.push(`${strays} history records of ids without a live current version (streamHistory, hence backups, has them)`);
  let versions = 0;
  await forEachLimit(all, 4, async ({ r, streamed }) => {
    const where = `${r.resourceType}/${r.id}`;
    const cur = Number(r.meta.versionId);
    versions += cur;
    const expected = Array.from({ length: cur }, (_, i) => String(i + 1)).join(',');
    if (streamed.join(',') !== expected) problems.push(`${where}: streamHistory has versions [${streamed}], current version ${cur}`);
    for (let v = 1; v <= cur; v++) {
      const status = await patiently(() => statusOf(store.vread(r.resourceType, r.id, String(v))), retries);
      if (status !== 200) problems.push(`${where}: vread ${v} answers ${status}`);
    }
    const read = await patiently(() => store.read(r.resourceType, r.id), retries);
    if (JSON.stringify(read) !== JSON.stringify(r)) problems.push(`${where}: read() differs from the streamed current version`);
  });
  const newest = [...all].sort((a, b) => b.r.meta.lastUpdated.localeCompare(a.r.meta.lastUpdated));
  const third = Math.ceil(sample / 3);
  const picked = [...newest.slice(0, third), ...spread(newest.slice(third), third)];
  await forEachLimit(picked, 2, async ({ r }) => {
    const cur = Number(r.meta.versionId);
    const listed = (await patiently(() => store.history(r.resourceType, r.id), retries)).map((v) => v.versionId).join(',');
    const expected = Array.from({ length: cur }, (_, i) => String(cur - i)).join(',');
    if (listed !== expected) problems.push(`${r.resourceType}/${r.id}: history() lists [${listed}], current version ${cur}`);
  });
  return { resources: all.length, versions, historyCalls: picked.length, retries: retries.count, problems };
}

if (opts['no-kill']) {
  out('SKIP 7. kill mid-import (--no-kill)');
  await server.close();
} else {
  // FerretDB is about to die under them; the server is not needed any more, and the store is opened again on the restarted one.
  await server.close();
  await store.close();
  await check(7, 'FerretDB killed mid-import, restarted on the same data', async () => {
    const problems: string[] = [];
    await dropDatabase();
    const killed = await importKilled();
    if (!killed.killed) {
      return { ok: false, text: `the import ended (exit ${killed.code}) at ${killed.progress} resources before reaching --kill-at ${killAt}: use a smaller one`, details: killed.errorLines };
    }
    const firstError = killed.errorLines[0] ?? '';
    if (killed.stopped) problems.push(`the import was still running ${killed.failSeconds.toFixed(1)} s after the kill, and was stopped`);
    else if (killed.code === 0 || killed.code === null) problems.push(`import exit ${killed.code} after the kill`);
    if (killed.failSeconds > connectTimeoutMs / 1000 + 5) problems.push(`the import failed ${killed.failSeconds.toFixed(1)} s after the kill, more than MONGODB_CONNECT_TIMEOUT_MS ${connectTimeoutMs} ms + 5 s`);
    if (killed.errorLines.length !== 1 || killed.errorLines.some((l) => /^\s+at /.test(l))) problems.push(`not one clear line: ${killed.errorLines.join(' | ').slice(0, 600)}`);

    const restart = spawnSync('bash', [path.join(repo, 'tools/ferretdb/start.sh')], { env: { ...process.env, FERRETDB_DIR: ferretDir }, encoding: 'utf8' });
    const newUri = /MONGODB_URI=(\S+)/.exec(restart.stdout)?.[1];
    if (restart.status !== 0 || !newUri) throw new Error(`FerretDB did not restart on ${ferretDir}: ${restart.stderr.slice(0, 400)}`);
    uri = newUri;
    restartedUri = newUri;
    note(`FerretDB restarted on ${ferretDir}: ${uri}`);
    const checkStarted = performance.now();
    store = await open();
    const consistency = await versionConsistency([...new Set([...importedTypes, ...Object.keys(await store.countByType())])].sort());
    problems.push(...consistency.problems);
    const consistencySeconds = seconds(checkStarted);
    note(`consistency: ${consistency.resources} resources, ${consistency.problems.length} problems (${consistencySeconds} s)`);

    const rerun = await runCli(['import', ...folders, '--json']);
    const summary = lastJson<{ created: number; updated: number; unchanged: number; failed: number }>(rerun);
    if (rerun.code !== 0 || summary.failed !== 0) problems.push(`import after the restart: exit ${rerun.code}, ${summary.failed} failed`);
    const counts = await store.countByType();
    if (JSON.stringify(counts) !== JSON.stringify(countsAfterImport)) problems.push(`counts per type after the re-run (${sum(counts)}) differ from check 1 (${sum(countsAfterImport)})`);
    return {
      ok: problems.length === 0,
      text:
        `killed at ${killed.progress} resources; ` +
        (killed.stopped ? `import still running ${killed.failSeconds.toFixed(1)} s after the kill (stopped); ` : `import exit ${killed.code} ${killed.failSeconds.toFixed(1)} s after the kill: "${firstError.slice(0, 200)}"; `) +
        `restarted on ${uri}: ${consistency.resources} resources, ${consistency.versions} versions (streamHistory, vread and read of each), history() of ${consistency.historyCalls}; ` +
        `${consistency.problems.length} inconsistencies (${consistencySeconds} s${consistency.retries ? `, ${consistency.retries} reads retried after MaxTimeMSExpired` : ''}); ` +
        `import again: exit ${rerun.code}, created ${summary.created}, updated ${summary.updated}, unchanged ${summary.unchanged}, failed ${summary.failed} (${rerun.seconds.toFixed(1)} s); ${sum(counts)} resources (check 1: ${sum(countsAfterImport)})`,
      details: problems,
    };
  });
}

await store.close();
fs.rmSync(work, { recursive: true, force: true });
const passed = verdicts.filter(Boolean).length;
out(`${passed}/${verdicts.length} checks passed${restartedUri ? `; FerretDB was restarted: export MONGODB_URI=${restartedUri}` : ''}`);
process.exit(passed === verdicts.length ? 0 : 1);
