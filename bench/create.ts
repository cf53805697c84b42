/**
 * `create`: POST /fhir/Patient over HTTP on loopback (the REST write path, validation included), against
 * creating the same resource straight in the same kind of store in-process (the baseline); and
 * `create-validation`: the same against a server with write validation off, in the same run (issue #15 asks
 * validating writes to keep the create rate within 10% of the unvalidated one).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadConfig, type WriteValidation } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { startServer } from '../src/server.js';
import { openStore } from '../src/store/open-store.js';
import { benchResult, secondsSince, type BenchResult } from './result.js';

const REQUESTS = 4_000;
const WARM_UP = 400;

/** A patient shaped as generated ones are: the elements a create has to validate. */
const PATIENT = {
  resourceType: 'Patient',
  identifier: [{ system: 'urn:bench:mrn', value: '12345' }],
  name: [{ use: 'official', family: 'Family', given: ['Given'], prefix: ['Mrs.'] }],
  telecom: [{ system: 'phone', value: '555-0100', use: 'home' }],
  gender: 'female',
  birthDate: '1970-05-06',
  address: [{ line: ['1 Main Street'], city: 'Springfield', state: 'MA', postalCode: '01101', country: 'US' }],
  maritalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus', code: 'M', display: 'Married' }] },
  communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'en-US', display: 'English' }] } }],
};

/** POST /fhir/Patient over HTTP with write validation `mode`: REQUESTS creates after a warm-up, on a fresh server. */
async function httpCreates(mode: WriteValidation): Promise<{ ok: number; seconds: number }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-bench-create-'));
  const running = await startServer(loadConfig({}, { dataDir, port: 0, validateWrites: mode }), createLogger('warn'));
  const load = (requests: number) =>
    new Promise<{ ok: number; failed: number; seconds: number }>((resolve, reject) => {
      const child = fork(fileURLToPath(new URL('./http-load.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'] });
      child.send({ url: running.url, paths: ['/fhir/Patient'], concurrency: 32, requests, body: JSON.stringify(PATIENT), headers: { Prefer: 'return=minimal' } });
      child.once('message', (m) => resolve(m as { ok: number; failed: number; seconds: number }));
      child.once('error', reject);
    });
  await load(WARM_UP);
  const start = process.hrtime.bigint();
  const { ok, failed } = await load(REQUESTS);
  const seconds = secondsSince(start);
  await running.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (failed > 0 || ok !== REQUESTS) throw new Error(`create bench (${mode}): ${failed} of ${REQUESTS} requests failed`);
  return { ok, seconds };
}

export async function benchCreate(): Promise<BenchResult[]> {
  const baselineDir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-bench-create-base-'));
  const direct = await openStore(loadConfig({}, { dataDir: baselineDir }));
  for (let i = 0; i < WARM_UP; i++) await direct.create({ ...PATIENT } as never);
  const start = process.hrtime.bigint();
  for (let i = 0; i < REQUESTS; i++) await direct.create({ ...PATIENT } as never);
  const baselineRate = REQUESTS / secondsSince(start);
  await direct.close();
  fs.rmSync(baselineDir, { recursive: true, force: true });

  // Off first, strict second: whatever the machine does meanwhile, each rate comes from a server of its own.
  const unvalidated = await httpCreates('off');
  const { ok, seconds } = await httpCreates('strict');
  return [
    benchResult('create', 'requests', ok, seconds, 'store.create in-process', baselineRate),
    benchResult('create-validation', 'requests', ok, seconds, 'POST /fhir/Patient with MEDGEN_VALIDATE_WRITES=off in the same run', unvalidated.ok / unvalidated.seconds),
  ];
}
