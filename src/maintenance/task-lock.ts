/**
 * One maintenance run at a time, across processes and machines: a lease in the store (ResourceStore
 * acquireLock), which every process sharing the SQLite file or the MongoDB database sees. It replaces the
 * lock file this module used before, which could not hold across machines sharing one MongoDB.
 * The lease is renewed while the task runs, so a long backup keeps it; a process that dies stops renewing,
 * and its lease is taken over once it expires (what the lock file did by probing the pid, which only worked
 * on the same host). A process that was paused past its lease, or cannot reach the store to renew it, may
 * no longer be the only one running: the lease's signal is then aborted, so the task stops and says why.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { OperationOutcomeError, conflict, issue, outcome } from '../fhir/outcomes.js';
import type { ResourceStore } from '../store/resource-store.js';

export const LOCK_NAME = 'maintenance';
/** Who holds the lease, for the refusal message only (the lease itself is the store's). */
export const HOLDER_KEY = 'maintenance-lock-holder';
export const LEASE_MS = 60_000;
/** Three renewals per lease: one may fail and the next still lands while the lease holds. */
const RENEW_MS = LEASE_MS / 3;
/** How long a refused start waits for the holder's record, which the holder writes just after taking the lease. */
const HOLDER_WAIT_MS = 500;
const HOLDER_POLL_MS = 20;

/** The lease's timing; the defaults are production's, tests shorten them. */
export interface LeaseTiming {
  /** How long the lease lasts unrenewed: another process may take it over after that. */
  leaseMs?: number;
  /** How often it is renewed while the task runs; at most half the lease, so a failed renewal can be retried. */
  renewMs?: number;
}

/** A lease held for one task. */
export interface TaskLease {
  /** Aborted, with the error that says why, once the lease is lost or can no longer be trusted. */
  readonly signal: AbortSignal;
  /** Stops renewing and gives the lease back (a lease lost to another process is left to it). */
  release(): Promise<void>;
}

interface Holder {
  task: string;
  since: string;
  /** When the holder's lease runs out unless renewed; the time it was given back once released. */
  until: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Takes the lease for `task` or throws 409 naming the task that holds it. */
export async function acquireLock(store: ResourceStore, task: string, timing: LeaseTiming = {}): Promise<TaskLease> {
  const { leaseMs = LEASE_MS, renewMs = RENEW_MS } = timing;
  if (!(renewMs > 0 && renewMs * 2 <= leaseMs)) throw new RangeError(`A lease renewed every ${renewMs} ms cannot last ${leaseMs} ms`);
  const owner = `${os.hostname()}:${process.pid}:${task}:${randomUUID()}`;
  // Taken before asking, so the lease (timed by the store when it answers) lasts at least until acquiredAt + leaseMs.
  const acquiredAt = Date.now();
  if (!(await store.acquireLock(LOCK_NAME, owner, leaseMs))) throw await refusal(store, task, acquiredAt);
  const since = iso(acquiredAt);
  try {
    await store.putSystem(HOLDER_KEY, { task, since, until: iso(acquiredAt + leaseMs) } satisfies Holder);
  } catch (err) {
    await store.releaseLock(LOCK_NAME, owner);
    throw err;
  }
  return keepRenewed(store, { task, owner, since, acquiredAt, leaseMs, renewMs });
}

/**
 * The 409 for a start the store refused. The holder writes its record only after taking the lease, so the
 * record read may still be an earlier run's: one that ended before this refusal is waited past, briefly.
 */
async function refusal(store: ResourceStore, task: string, refusedAt: number): Promise<OperationOutcomeError> {
  const deadline = Date.now() + HOLDER_WAIT_MS;
  for (;;) {
    const holder = await store.getSystem<Holder>(HOLDER_KEY);
    if (holder && Date.parse(holder.until) >= refusedAt) {
      return conflict(`Maintenance task ${holder.task} is already running (since ${holder.since}); ${task} was not started`);
    }
    if (Date.now() >= deadline) return conflict(`Another maintenance task holds the lease \`${LOCK_NAME}\`; ${task} was not started`);
    await sleep(HOLDER_POLL_MS);
  }
}

const lost = (task: string) => conflict(`The maintenance lease \`${LOCK_NAME}\` was lost to another process; ${task} was stopped`);

/** 503: the store did not answer, which says nothing about who holds the lease now. */
const unrenewable = (task: string, renewedAt: number, reason: string) =>
  new OperationOutcomeError(
    503,
    outcome(issue('error', 'transient', `The maintenance lease \`${LOCK_NAME}\` could not be renewed since ${iso(renewedAt)} (${reason}); ${task} was stopped`)),
  );

interface Held {
  task: string;
  owner: string;
  since: string;
  acquiredAt: number;
  leaseMs: number;
  renewMs: number;
}

/**
 * Renews the lease every renewMs. An answer of false means another owner holds it now: stop at once. A renewal
 * that fails (or hangs) is retried, until the last renewal is older than the lease minus one interval: the
 * next tick could come after the lease expired and another process took it, so the task is stopped now.
 */
function keepRenewed(store: ResourceStore, held: Held): TaskLease {
  const { task, owner, since, leaseMs, renewMs } = held;
  const controller = new AbortController();
  let renewedAt = held.acquiredAt;
  let failure = 'no answer from the store';
  let inFlight: Promise<void> | undefined;
  const stop = (reason: OperationOutcomeError) => {
    clearInterval(timer);
    controller.abort(reason);
  };
  const stopIfUntrusted = () => {
    if (!controller.signal.aborted && Date.now() - renewedAt >= leaseMs - renewMs) stop(unrenewable(task, renewedAt, failure));
  };
  const renew = async () => {
    const at = Date.now();
    try {
      const ours = await store.acquireLock(LOCK_NAME, owner, leaseMs);
      if (controller.signal.aborted) return;
      if (!ours) return stop(lost(task));
      renewedAt = at;
      await store.putSystem(HOLDER_KEY, { task, since, until: iso(at + leaseMs) } satisfies Holder);
    } catch (err) {
      failure = err instanceof Error ? err.message : String(err);
      stopIfUntrusted();
    }
  };
  const timer = setInterval(() => {
    if (inFlight) return stopIfUntrusted();
    inFlight = renew().finally(() => (inFlight = undefined));
  }, renewMs);
  timer.unref();
  return {
    signal: controller.signal,
    release: async () => {
      clearInterval(timer);
      // Lost or untrusted: the store leaves another owner's lease alone, and one it cannot reach expires on
      // its own; a failure here must not hide why the task was stopped.
      if (controller.signal.aborted) return store.releaseLock(LOCK_NAME, owner).catch(() => undefined);
      // A renewal still under way would take the lease again once it is given back.
      await inFlight;
      // Still ours, so nobody else writes the record meanwhile: it says the run is over.
      await store.putSystem(HOLDER_KEY, { task, since, until: iso(Date.now()) } satisfies Holder);
      await store.releaseLock(LOCK_NAME, owner);
    },
  };
}
