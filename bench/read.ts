/**
 * `read`: GET /fhir/Patient/{id} over HTTP on loopback with 10,000 patients stored (issue: >= 5,000/s),
 * against reading the same ids straight from the same store in-process (the baseline).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { startServer } from '../src/server.js';
import { openStore } from '../src/store/open-store.js';
import { benchResult, printResult, secondsSince, type BenchResult } from './result.js';

const PATIENTS = 10_000;
const REQUESTS = 50_000;

function patient(i: number) {
  return {
    resourceType: 'Patient' as const,
    id: `bench-${i}`,
    identifier: [{ system: 'urn:bench:mrn', value: String(i) }],
    name: [{ family: `Family${i % 500}`, given: [`Given${i}`] }],
    gender: i % 2 ? ('male' as const) : ('female' as const),
    birthDate: `19${String(40 + (i % 60)).padStart(2, '0')}-0${1 + (i % 9)}-1${i % 10}`,
    address: [{ city: 'Springfield', state: 'MA', postalCode: '01101' }],
  };
}

export async function benchRead(): Promise<BenchResult[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-bench-read-'));
  const config = loadConfig({}, { dataDir, port: 0 });
  const seed = await openStore(config);
  const ops = Array.from({ length: PATIENTS }, (_, i) => ({ op: 'put' as const, resource: patient(i) }));
  await seed.write(ops);
  const ids = ops.map((o) => o.resource.id);
  let start = process.hrtime.bigint();
  for (let i = 0; i < REQUESTS; i++) await seed.read('Patient', ids[i % ids.length]);
  const baselineRate = REQUESTS / secondsSince(start);
  await seed.close();

  const running = await startServer(config, createLogger('warn'));
  const paths = ids.map((id) => `/fhir/Patient/${id}`);
  const load = (requests: number) =>
    new Promise<{ ok: number; failed: number; seconds: number }>((resolve, reject) => {
      const child = fork(fileURLToPath(new URL('./http-load.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'] });
      child.send({ url: running.url, paths, concurrency: 32, requests });
      child.once('message', (m) => resolve(m as { ok: number; failed: number; seconds: number }));
      child.once('error', reject);
    });
  await load(2_000);
  start = process.hrtime.bigint();
  const { ok, failed } = await load(REQUESTS);
  const seconds = secondsSince(start);
  await running.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (failed > 0 || ok !== REQUESTS) throw new Error(`read bench: ${failed} of ${REQUESTS} requests failed`);
  return [benchResult('read', 'requests', ok, seconds, 'store.read in-process', baselineRate)];
}
