/**
 * Acceptance check: every `n_*` file of a JSONTestSuite `test_parsing` folder, sent as a body to
 * `POST /fhir/Patient`, `POST /fhir`, `POST /fhir/$import` and `POST /fhir/$validate`, answers 4xx with an
 * OperationOutcome (never 5xx), and `/health` answers afterwards. Without a server URL it starts its own server
 * over a temporary embedded store; with one (e.g. a MongoDB-backed server, see check-mongo-server.ts) it checks
 * that server instead.
 *   node --import tsx scripts/check-bad-json.ts ../shared/data/bad-input/JSONTestSuite/test_parsing [http://127.0.0.1:8080]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { type RunningServer, startServer } from '../src/server.js';

const dir = process.argv[2];
const serverUrl = process.argv[3]?.replace(/\/+$/, '');
if (!dir || !fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
  process.stderr.write('usage: check-bad-json.ts <JSONTestSuite test_parsing folder> [server URL]\n');
  process.exit(2);
}
let dataDir: string | undefined;
let running: RunningServer | undefined;
let baseUrl = serverUrl;
if (!baseUrl) {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-bad-json-'));
  running = await startServer(loadConfig({}, { dataDir, port: 0 }), createLogger('silent'));
  baseUrl = running.url;
}
const files = fs.readdirSync(dir).filter((f) => f.startsWith('n_')).sort();
const failures: string[] = [];
for (const file of files) {
  const body = fs.readFileSync(path.join(dir, file));
  for (const target of ['/fhir/Patient', '/fhir', '/fhir/$import', '/fhir/$validate']) {
    const res = await fetch(`${baseUrl}${target}`, { method: 'POST', headers: { 'Content-Type': 'application/fhir+json' }, body });
    const text = await res.text();
    const isOutcome = text.includes('"resourceType":"OperationOutcome"');
    if (res.status < 400 || res.status >= 500 || !isOutcome) failures.push(`${file} -> ${target}: ${res.status} ${text.slice(0, 120)}`);
  }
}
const health = await fetch(`${baseUrl}/health`);
await running?.close();
if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
process.stdout.write(`${files.length} n_ files, ${files.length * 4} requests, ${failures.length} not answered with a 4xx OperationOutcome; /health ${health.status}\n`);
for (const f of failures) process.stdout.write(`  ${f}\n`);
process.exit(failures.length === 0 && health.ok ? 0 : 1);
