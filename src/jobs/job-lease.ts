/**
 * The claim a process holds on a job it runs: a store lease named after the job (ResourceStore.acquireLock,
 * atomic across every process sharing the store), renewed every third of its length. Renewal is also when the
 * owner learns of a cancel asked through another process, which cannot write the record the owner keeps
 * writing, and so leaves a system document instead. The run is stopped, with the reason, when another
 * process asks to cancel, when the lease was taken over (this process was paused or cut off past its
 * lease), or when renewals kept failing for so long that it may be.
 */
import type { ResourceStore } from '../store/resource-store.js';

/** Why a run was stopped before its worker finished. */
export type StopReason = 'cancelled' | 'lost' | 'closing';

export const jobLeaseName = (id: string) => `job:${id}`;
export const cancelKey = (id: string) => `job-cancel:${id}`;

export interface JobLease {
  /** Stops renewing; gives the lease back unless it was lost (then it is another's). */
  release(): Promise<void>;
}

export function holdJobLease(
  store: ResourceStore,
  id: string,
  owner: string,
  leaseMs: number,
  stop: (reason: StopReason) => void,
  onRenewFailure: (err: unknown) => void,
): JobLease {
  const renewMs = leaseMs / 3;
  let renewedAt = Date.now();
  let lost = false;
  let inFlight: Promise<void> | undefined;
  const renew = async () => {
    const at = Date.now();
    try {
      if (!(await store.acquireLock(jobLeaseName(id), owner, leaseMs))) {
        lost = true;
        return stop('lost');
      }
      renewedAt = at;
      if (await store.getSystem(cancelKey(id))) stop('cancelled');
    } catch (err) {
      onRenewFailure(err);
    }
  };
  const timer = setInterval(() => {
    // Past this point the next renewal could land after the lease ran out and another process took the job.
    if (Date.now() - renewedAt >= leaseMs - renewMs) {
      lost = true;
      return stop('lost');
    }
    inFlight ??= renew().finally(() => (inFlight = undefined));
  }, renewMs);
  timer.unref();
  return {
    release: async () => {
      clearInterval(timer);
      await inFlight;
      if (!lost) await store.releaseLock(jobLeaseName(id), owner);
    },
  };
}
