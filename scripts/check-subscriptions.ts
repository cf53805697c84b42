/**
 * Acceptance check of subscriptions (issue #20) against a real server process and a real loopback receiver:
 * 1. a subscription to `Observation?patient=Patient/X` gets every matching change of 2,000 writes and none of
 *    the others, while a second subscription whose receiver answers 500 forever is retried, shows its error in
 *    `$status`, and the writes go on at the speed they had before it;
 * 2. with the receiver down for --down-seconds (default 120), every change made meanwhile arrives after it returns;
 * 3. the server is killed (SIGKILL) during --writes (default 10,000) writes and restarted: every stored Observation
 *    of X is notified, and every change number the outbox holds for the criteria (read from the store itself) is
 *    delivered naming its version, none of another patient's.
 *   node --import tsx scripts/check-subscriptions.ts [--writes N] [--down-seconds S] [--mongo]
 * With --mongo the server runs on MONGODB_URI (a database of its own, dropped at the end).
 * Exit 0 when every check holds, 1 otherwise.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Subscription } from 'fhir/r4.js';
import { MongoClient } from 'mongodb';
import { openStore } from '../src/store/open-store.js';
import { loadConfig } from '../src/config.js';
import { Receiver } from './subscriptions/receiver.js';
import { ServerProcess } from './subscriptions/server-process.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
};
const WRITES = arg('--writes', 10_000);
const DOWN_SECONDS = arg('--down-seconds', 120);
const mongo = process.argv.includes('--mongo');
if (mongo && !process.env.MONGODB_URI) {
  process.stderr.write('--mongo needs MONGODB_URI\n');
  process.exit(2);
}
const SECRET = 'acceptance-secret';
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-subscriptions-'));
const mongodbDb = `medgen_subscriptions_${process.pid}`;
// Without --mongo the embedded store, even where MONGODB_URI is set (as .ci/run sets it for the tests).
const env = { MEDGEN_SUBSCRIPTION_SECRET: SECRET, MONGODB_URI: mongo ? process.env.MONGODB_URI : '', MONGODB_DB: mongodbDb };
const server = new ServerProcess(work, env);
let failed = false;
const check = (ok: boolean, what: string) => {
  process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${what}\n`);
  if (!ok) failed = true;
};

async function fhir(method: string, url: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${server.base}/${url}`, {
    method,
    headers: { 'Content-Type': 'application/fhir+json', Accept: 'application/fhir+json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json().catch(() => null) };
}

const observation = (patient: string, i: number) => ({
  resourceType: 'Observation',
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] },
  subject: { reference: `Patient/${patient}` },
  effectiveDateTime: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
  valueQuantity: { value: 60 + (i % 40), unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
});

/** `count` Observation creates, `concurrency` at a time, alternating X and Y; a failed request is sent again. */
async function writeObservations(count: number, x: string, y: string, concurrency = 8): Promise<number> {
  let next = 0;
  const start = Date.now();
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      for (;;) {
        const done = await fhir('POST', 'Observation', observation(i % 2 === 0 ? x : y, i)).then((r) => r.status === 201, () => false);
        if (done) break;
        await sleep(200);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return count / ((Date.now() - start) / 1000);
}

async function subscribe(criteria: string, endpoint: string): Promise<string> {
  const subscription: Subscription = {
    resourceType: 'Subscription',
    status: 'requested',
    reason: 'acceptance check',
    criteria,
    channel: {
      type: 'rest-hook',
      endpoint,
      payload: 'application/fhir+json',
      _payload: { extension: [{ url: 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-payload-content', valueCode: 'id-only' }] },
    } as Subscription['channel'],
  };
  const res = await fhir('POST', 'Subscription', subscription);
  if (res.status !== 201) throw new Error(`creating the subscription answered ${res.status}: ${JSON.stringify(res.json)}`);
  return res.json.id as string;
}

/** The changes the outbox holds for Observations of `patient` after `since`, read from the store itself. */
async function expectedEvents(since: number, patient: string): Promise<Map<number, string>> {
  const store = await openStore(loadConfig({ ...process.env, ...env, MEDGEN_DATA_DIR: work }));
  const expected = new Map<number, string>();
  try {
    for (let cursor = since; ; ) {
      const page = await store.changes(cursor, { limit: 1000, types: ['Observation'] });
      for (const c of page.changes) {
        if (c.json !== null && (JSON.parse(c.json) as { subject?: { reference?: string } }).subject?.reference === `Patient/${patient}`) {
          expected.set(c.seq, `Observation/${c.id}/_history/${c.versionId}`);
        }
      }
      if (!page.more) break;
      cursor = page.through;
    }
  } finally {
    await store.close();
  }
  return expected;
}

/** Waits until `receiver` holds `count` events (or `seconds` pass); whether it does. */
async function arrived(receiver: Receiver, count: number, seconds: number): Promise<boolean> {
  const deadline = Date.now() + seconds * 1000;
  while (receiver.received.events.size < count && Date.now() < deadline) await sleep(250);
  return receiver.received.events.size >= count;
}

/** The versions (Observation/id/_history/N) of every stored Observation of `patient`, read over the API. */
async function storedFocuses(patient: string): Promise<Set<string>> {
  const focuses = new Set<string>();
  for (let url: string | undefined = `Observation?patient=Patient/${patient}&_count=1000`; url; ) {
    const page = (await fhir('GET', url)).json;
    for (const e of page.entry ?? []) focuses.add(`Observation/${e.resource.id}/_history/${e.resource.meta.versionId}`);
    const next = (page.link ?? []).find((l: { relation: string }) => l.relation === 'next')?.url as string | undefined;
    url = next ? next.slice(next.indexOf('/fhir/') + 6) : undefined;
  }
  return focuses;
}

/** Waits until `receiver` was told of every version of `focuses` (or `seconds` pass); those it was not. */
async function waitForFocuses(receiver: Receiver, focuses: Set<string>, seconds: number): Promise<string[]> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const told = new Set(receiver.received.events.values());
    const missing = [...focuses].filter((f) => !told.has(f));
    if (missing.length === 0 || Date.now() > deadline) return missing;
    await sleep(500);
  }
}

const receiver = new Receiver(SECRET);
const broken = new Receiver(SECRET);
broken.failing = true;
try {
  await Promise.all([receiver.start(), broken.start()]);
  await server.start();
  const x = (await fhir('POST', 'Patient', { resourceType: 'Patient', name: [{ family: 'Watched' }] })).json.id as string;
  const y = (await fhir('POST', 'Patient', { resourceType: 'Patient', name: [{ family: 'Other' }] })).json.id as string;

  // 1. Exactly the matching changes of 2,000 writes; a receiver answering 500 neither loses them nor slows the
  // writes (against the same writes with the healthy subscription alone, so only the failing one is measured).
  await subscribe(`Observation?patient=Patient/${x}`, receiver.url);
  const healthy = await writeObservations(1000, x, y);
  const brokenId = await subscribe(`Observation?patient=Patient/${x}`, broken.url);
  const withBroken = await writeObservations(1000, x, y);
  process.stdout.write(`writes/s: ${healthy.toFixed(0)} with one delivering subscription, ${withBroken.toFixed(0)} with a failing one beside it\n`);
  check(withBroken >= 0.7 * healthy, 'writes go on at full speed (>= 0.7 of the rate before) while a receiver answers 500');
  await sleep(3000);
  const status = await fhir('GET', `Subscription/${brokenId}/$status`);
  const statusText = JSON.stringify(status.json);
  check(status.status === 200 && /error/i.test(statusText) && /500/.test(statusText), `$status of the failing subscription shows its error (${status.status})`);
  check((await fhir('GET', `Subscription/${brokenId}`)).json?.status === 'error', 'the failing Subscription has status error');
  check(await arrived(receiver, 1000, 60), `the 1,000 matching changes arrived (${receiver.received.events.size})`);

  // 2. Receiver down for DOWN_SECONDS, then back: everything arrives.
  await receiver.stop();
  await writeObservations(200, x, y);
  process.stdout.write(`receiver down for ${DOWN_SECONDS} s\n`);
  await sleep(DOWN_SECONDS * 1000);
  const back = Date.now();
  await receiver.start();
  check(await arrived(receiver, 1100, 180), `the 100 changes made while the receiver was down arrived, ${((Date.now() - back) / 1000).toFixed(1)} s after it returned`);

  // 3. SIGKILL during WRITES writes, then a restart.
  const writing = writeObservations(WRITES, x, y);
  await sleep(3000);
  const killedAt = Date.now();
  await server.kill('SIGKILL');
  process.stdout.write('server killed (SIGKILL) during the writes; restarting\n');
  await server.start();
  await writing;
  process.stdout.write(`restarted after ${((Date.now() - killedAt) / 1000).toFixed(1)} s; writes done\n`);
  // What must arrive, read from the stored resources, not from the change feed the delivery itself reads (on
  // MongoDB the feed holds back behind a write the kill cut short, for up to two minutes): every Observation of X.
  const stored = await storedFocuses(x);
  const missingFocus = await waitForFocuses(receiver, stored, DOWN_SECONDS + 180);
  check(missingFocus.length === 0, `every stored Observation of the patient was notified (${missingFocus.length} of ${stored.size} not${missingFocus.length ? `, e.g. ${missingFocus[0]}` : ''})`);
  // Then the numbers: those the outbox holds for the criteria, all delivered, each naming its version.
  const expected = await expectedEvents(0, x);
  const missing = [...expected.keys()].filter((n) => !receiver.received.events.has(n));
  const extra = [...receiver.received.events.keys()].filter((n) => !expected.has(n));
  const wrongFocus = [...expected].filter(([n, focus]) => receiver.received.events.has(n) && receiver.received.events.get(n) !== focus);
  process.stdout.write(`${expected.size} matching changes in the outbox, ${receiver.received.events.size} delivered in ${receiver.received.notifications} notifications\n`);
  check(missing.length === 0, `every matching change number delivered (${missing.length} missing${missing.length ? `: ${missing.slice(0, 5).join(', ')}` : ''})`);
  check(extra.length === 0, `no change of another patient delivered (${extra.length} extra)`);
  check(wrongFocus.length === 0, `each number names the version the outbox holds (${wrongFocus.length} differ)`);
  check(receiver.received.problems.length === 0, `every signature verifies, no number came with two versions (${receiver.received.problems.slice(0, 3).join('; ')})`);
} finally {
  await server.kill('SIGTERM');
  await Promise.all([receiver.stop(), broken.stop()]);
  fs.rmSync(work, { recursive: true, force: true });
  if (mongo) {
    const client = await new MongoClient(process.env.MONGODB_URI as string).connect();
    await client.db(mongodbDb).dropDatabase().finally(() => client.close());
  }
}
process.exit(failed ? 1 : 0);
