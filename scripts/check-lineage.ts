/**
 * Acceptance check of lineage (issue #20) on a folder of real input (e.g. ../shared/data/synthea): a strict CLI
 * import into a fresh store, then, read from the store itself, every stored resource's meta.source names the job
 * and a file of the folder (and its entry or line), every version written is a target of a Provenance, and
 * `$lineage` of each Patient (over HTTP) names the job, its file and that file's SHA-256 as computed here.
 *   node --import tsx scripts/check-lineage.ts <folder>
 * Exit 0 when every check holds, 1 otherwise.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Parameters, Provenance } from 'fhir/r4.js';
import { loadConfig } from '../src/config.js';
import { FileArea } from '../src/files/file-area.js';
import { listImportFiles } from '../src/import/file-units.js';
import { createLogger } from '../src/logger.js';
import { createApp } from '../src/server.js';
import { openStore } from '../src/store/open-store.js';

const folder = process.argv[2];
if (!folder || !fs.existsSync(folder)) {
  process.stderr.write('usage: check-lineage.ts <folder of bundles or NDJSON>\n');
  process.exit(2);
}
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-lineage-'));
let failed = false;
const check = (ok: boolean, what: string) => {
  process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${what}\n`);
  if (!ok) failed = true;
};

const summary = JSON.parse(execFileSync(process.execPath, [path.resolve('bin/medgen-data.js'), 'import', folder, '--data-dir', work, '--json'], { encoding: 'utf8', maxBuffer: 1 << 28 }));
process.stdout.write(`imported: ${summary.created} created, ${summary.failed} failed\n`);
const files = listImportFiles([folder]);
const sha256 = new Map(files.map((f) => [path.basename(f), createHash('sha256').update(fs.readFileSync(f)).digest('hex')]));
const names = new Set(files.map((f) => f));

const config = loadConfig({ ...process.env, MEDGEN_DATA_DIR: work });
const store = await openStore(config);
const SOURCE = /^urn:medgen:job:([^/#]+)\/([^#]+)#(entry|line)-\d+$/;
const jobs = new Set<string>();
const badSources: string[] = [];
const versions: string[] = [];
const targets = new Set<string>();
let resources = 0;
for (const type of Object.keys(await store.countByType())) {
  for await (const r of store.stream(type)) {
    if (type === 'Provenance') {
      for (const t of (r as Provenance).target) if (t.reference) targets.add(t.reference);
      continue;
    }
    resources++;
    versions.push(`${type}/${r.id}/_history/${r.meta.versionId}`);
    const m = SOURCE.exec(r.meta.source ?? '');
    const file = m ? decodeURIComponent(m[2]) : '';
    if (!m || !(names.has(file) || sha256.has(path.basename(file)))) badSources.push(`${type}/${r.id}: ${r.meta.source}`);
    else jobs.add(m[1]);
  }
}
check(badSources.length === 0, `all ${resources} resources' meta.source name the job, a file of the folder and its entry or line (${badSources.length} do not${badSources.length ? `, e.g. ${badSources[0]}` : ''})`);
check(jobs.size === 1, `one job named: ${[...jobs].join(', ')}`);
const uncovered = versions.filter((v) => !targets.has(v));
check(uncovered.length === 0, `a Provenance covers every version written (${uncovered.length} not covered${uncovered.length ? `, e.g. ${uncovered[0]}` : ''})`);

const app = createApp({ store, files: new FileArea(work), config, logger: createLogger('silent') });
const server = app.listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`;
const wrong: string[] = [];
let patients = 0;
for await (const patient of store.stream('Patient')) {
  patients++;
  const chain = (await (await fetch(`${base}/$lineage?target=Patient/${patient.id}`)).json()) as Parameters;
  const part = (name: string) => chain.parameter?.find((p) => p.name === 'version')?.part?.find((p) => p.name === name);
  const file = part('file')?.valueString ?? '';
  const ok = part('job')?.valueString === [...jobs][0] && sha256.get(path.basename(file)) === part('sha256')?.valueString;
  if (!ok) wrong.push(`Patient/${patient.id}: ${JSON.stringify(chain).slice(0, 300)}`);
}
check(patients > 0 && wrong.length === 0, `$lineage of all ${patients} Patients names the job, the file and its SHA-256 (${wrong.length} do not${wrong.length ? `: ${wrong[0]}` : ''})`);
server.closeAllConnections();
await new Promise((resolve) => server.close(resolve));
await store.close();
fs.rmSync(work, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
