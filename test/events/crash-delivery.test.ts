/**
 * At least once across a crash: `medgen-data serve` is killed (SIGKILL) while clients write, a new process starts
 * on the same data folder, and the receiver has every acknowledged matching change, none of the others, and any
 * notification sent twice carries the same event numbers for the same versions.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Subscription } from 'fhir/r4.js';
import { serveProcess, type ServeProcess } from '../e2e/serve-process.js';
import { eventsOf, startReceiver, waitFor, type Receiver } from './receiver.js';
import { subscription } from './subscription-app.js';

const FHIR_JSON = 'application/fhir+json';

describe('subscription delivery across a crash', () => {
  let dataDir: string;
  let receiver: Receiver;
  const servers: ServeProcess[] = [];
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-crash-delivery-'));
    receiver = await startReceiver();
  });
  afterAll(async () => {
    for (const s of servers) if (s.child.exitCode === null) s.child.kill('SIGKILL');
    await Promise.all(servers.map((s) => s.exited));
    await receiver.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const start = async () => {
    const s = serveProcess({ MEDGEN_DATA_DIR: dataDir, MEDGEN_JOB_LEASE_MS: '1500', MEDGEN_SUBSCRIPTION_SECRET: 'crash-test' });
    servers.push(s);
    return `${await s.url}/fhir`;
  };
  const post = async (base: string, type: string, body: unknown) => {
    const res = await fetch(`${base}/${type}`, { method: 'POST', headers: { 'Content-Type': FHIR_JSON }, body: JSON.stringify(body) });
    if (res.status !== 201) throw new Error(`${type}: HTTP ${res.status}`);
    return (await res.json()) as { id: string };
  };
  const observation = (patient: string, i: number) => ({
    resourceType: 'Observation',
    status: 'final',
    code: { text: `n${i}` },
    subject: { reference: `Patient/${patient}` },
  });

  it('after SIGKILL during writes and a restart, every acknowledged matching change is delivered, with stable numbers', async () => {
    let base = await start();
    await post(base, 'Subscription', subscription('Observation?patient=Patient/k', receiver.url, 'id-only') as Subscription);
    const acknowledged: string[] = [];
    const others: string[] = [];
    /** Writes `count` observations, four at a time; those a dead server never answered are left out. */
    const writeMany = async (from: number, count: number, killAfter?: number) => {
      let next = from;
      const writer = async () => {
        while (next < from + count) {
          const i = next++;
          const patient = i % 2 ? 'k' : 'other';
          try {
            const { id } = await post(base, 'Observation', observation(patient, i));
            (patient === 'k' ? acknowledged : others).push(`Observation/${id}/_history/1`);
          } catch {
            return;
          }
          if (killAfter !== undefined && acknowledged.length + others.length === killAfter) servers.at(-1)!.child.kill('SIGKILL');
        }
      };
      await Promise.all([writer(), writer(), writer(), writer()]);
    };
    await writeMany(0, 400, 150);
    await servers.at(-1)!.exited;
    const beforeRestart = acknowledged.length;
    expect(beforeRestart).toBeGreaterThan(60);
    base = await start();
    await writeMany(1000, 100);
    const delivered = () => new Set(receiver.received.flatMap((n) => eventsOf(n.bundle).map((e) => e.focus!)));
    await waitFor('every acknowledged matching change', () => acknowledged.every((f) => delivered().has(f)), 60_000);
    const got = delivered();
    expect(others.filter((f) => got.has(f))).toEqual([]);
    const numberOf = new Map<string, number>();
    for (const n of receiver.received) {
      const events = eventsOf(n.bundle);
      expect(events.map((e) => e.number)).toEqual([...events.map((e) => e.number)].sort((a, b) => a - b));
      for (const e of events) {
        if (numberOf.has(e.focus!)) expect({ focus: e.focus, number: e.number }).toEqual({ focus: e.focus, number: numberOf.get(e.focus!) });
        numberOf.set(e.focus!, e.number);
      }
    }
  }, 120_000);
});
