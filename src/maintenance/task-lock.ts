/**
 * One maintenance run at a time, across processes and machines: a lease in the store (ResourceStore
 * acquireLock), which every process sharing the SQLite file or the MongoDB database sees. It replaces the
 * lock file this module used before, which could not hold across machines sharing one MongoDB.
 * The lease is renewed while the task runs, so a long backup keeps it; a process that dies stops renewing,
 * and its lease is taken over once it expires (what the lock file did by probing the pid, which only worked
 * on the same host).
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { conflict } from '../fhir/outcomes.js';
import type { ResourceStore } from '../store/resource-store.js';

export const LOCK_NAME = 'maintenance';
/** Who holds the lease, for the refusal message only (the lease itself is the store's). */
export const HOLDER_KEY = 'maintenance-lock-holder';
export const LEASE_MS = 60_000;
const RENEW_MS = LEASE_MS / 3;

interface Holder {
  task: string;
  since: string;
}

/** Takes the lease for `task` or throws 409 naming the task that holds it; the result releases it. */
export async function acquireLock(store: ResourceStore, task: string): Promise<() => Promise<void>> {
  const owner = `${os.hostname()}:${process.pid}:${task}:${randomUUID()}`;
  if (!(await store.acquireLock(LOCK_NAME, owner, LEASE_MS))) {
    const holder = await store.getSystem<Holder>(HOLDER_KEY);
    throw conflict(`Maintenance task ${holder?.task ?? 'unknown'} is already running (since ${holder?.since ?? '?'}); ${task} was not started`);
  }
  await store.putSystem(HOLDER_KEY, { task, since: new Date().toISOString() } satisfies Holder);
  // A failed renewal is retried at the next tick; only a lease left unrenewed for LEASE_MS can be taken over.
  const renew = setInterval(() => void store.acquireLock(LOCK_NAME, owner, LEASE_MS).catch(() => undefined), RENEW_MS);
  renew.unref();
  return async () => {
    clearInterval(renew);
    await store.releaseLock(LOCK_NAME, owner);
  };
}
