/**
 * Asynchronous jobs shared by every process on one store. A job's record lives in the store and its files in
 * the file store (job-files.ts), so any process answers status, manifest, files and cancel for any job. Each
 * process polls the store for work and claims a job by taking its lease (job-lease.ts): a queued job, or a
 * running one whose owner stopped renewing (it died, or lost the store). The claimer re-runs the job from its
 * saved input; workers are idempotent (import keeps ids), so the end state equals an uninterrupted run. One
 * process runs up to `concurrency` jobs at once. Finished jobs are removed with their files after the
 * retention period, by whichever process sweeps first.
 * @see https://hl7.org/fhir/R4/async.html
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { OperationOutcome } from 'fhir/r4.js';
import type { FileStore } from '../files/file-store.js';
import { newId } from '../fhir/ids.js';
import { notFound, toOperationOutcomeError } from '../fhir/outcomes.js';
import type { Logger } from '../logger.js';
import type { ResourceStore } from '../store/resource-store.js';
import { ERROR_FILE, jobKey, openJobFolder } from './job-files.js';
import { cancelKey, holdJobLease, jobLeaseName, type StopReason } from './job-lease.js';
import type { JobRecord, JobRun, JobStatus, JobWorker } from './job-types.js';

export { ERROR_FILE } from './job-files.js';

const JOB_ID = /^[0-9a-f-]{36}$/;
/** Progress is saved at most this often, so a busy job does not spend its time writing its record. */
const SAVE_INTERVAL_MS = 500;
/** How often an idle process looks for work; a job submitted to this process starts at once. */
const POLL_MS = 1000;
const SWEEP_EVERY_MS = 60 * 60 * 1000;
/** Jobs a poll or sweep reads at most: far more than any deployment keeps queued at once. */
const SCAN_LIMIT = 10_000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface JobManagerOptions {
  store: ResourceStore;
  files: FileStore;
  /** A local folder of this process for runs whose files are remote. */
  scratch: string;
  workers: Record<string, JobWorker>;
  logger: Logger;
  concurrency?: number;
  leaseMs?: number;
  retentionDays?: number;
}

interface Active {
  record: JobRecord;
  controller: AbortController;
  reason?: StopReason;
  done: Promise<void>;
}

const isPending = (status: JobStatus) => status === 'queued' || status === 'running';

let lastCreated = 0;

/**
 * A job's creation time, later than the one before it in this process even within one millisecond: the queue
 * runs jobs in the order of their creation times, so a client's jobs start in the order it submitted them.
 */
function creationTime(): string {
  lastCreated = Math.max(Date.now(), lastCreated + 1);
  return new Date(lastCreated).toISOString();
}

export class JobManager {
  /** Unique per process and start, so a restarted process does not mistake its predecessor's leases for its own. */
  readonly owner = `${os.hostname()}:${process.pid}:${randomUUID()}`;
  private readonly active = new Map<string, Active>();
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly retentionMs: number;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private pollAgain = false;
  private lastSweep = 0;
  private closed = false;

  constructor(private readonly o: JobManagerOptions) {
    this.concurrency = o.concurrency ?? 1;
    this.leaseMs = o.leaseMs ?? 30_000;
    this.retentionMs = (o.retentionDays ?? 30) * DAY_MS;
  }

  /** Starts looking for work: jobs queued anywhere, and jobs whose process stopped. */
  start(): void {
    if (this.timer || this.closed) return;
    this.timer = setInterval(() => this.poll(), Math.min(POLL_MS, this.leaseMs / 3));
    this.timer.unref();
    this.poll();
  }

  /** Saves the input (if any) in the file store and queues the job; the record answers the request at once. */
  async submit(kind: string, params: Record<string, unknown>, input?: { stream: Readable; name: string }): Promise<JobRecord> {
    if (!this.o.workers[kind]) throw new Error(`no worker for job kind ${kind}`);
    const record: JobRecord = { id: newId(), kind, status: 'queued', params, created: creationTime(), progress: { done: 0 }, output: [], errorCount: 0 };
    if (input) {
      record.input = input.name;
      await this.o.files.write(jobKey(record.id, input.name), input.stream);
    }
    await this.o.store.putJob(record);
    this.poll();
    return record;
  }

  /** The current record, wherever the job runs; 404 for an unknown id. */
  async get(id: string): Promise<JobRecord> {
    if (!JOB_ID.test(id)) throw notFound(`No job ${id.slice(0, 80)}`);
    const active = this.active.get(id);
    if (active) return active.record;
    const record = await this.o.store.getJob<JobRecord>(id);
    if (record === null) throw notFound(`No job ${id}`);
    return record;
  }

  /** The jobs, newest first, `status` ones only when given, at most `limit`; this process's own with current progress. */
  async list(options: { status?: JobStatus; limit: number }): Promise<JobRecord[]> {
    const records = await this.o.store.listJobs<JobRecord>({ statuses: options.status && [options.status], limit: options.limit });
    return records.map((r) => this.active.get(r.id)?.record ?? r).filter((r) => options.status === undefined || r.status === options.status);
  }

  /** A file the job wrote (an output or the error file); 404 for any other name or one not written yet. */
  async openFile(id: string, name: string): Promise<Readable> {
    const record = await this.get(id);
    const known = name === ERROR_FILE || [...record.output, ...(record.deleted ?? [])].some((o) => o.file === name);
    const body = known ? await this.o.files.read(jobKey(id, name)) : null;
    if (body === null) throw notFound(`Job ${id} has no file ${name.slice(0, 80)}`);
    return body;
  }

  /**
   * Cancels a queued or running job (its record stays, as cancelled); 404 for an unknown id. A job another
   * process runs is asked to stop, and stops at that process's next renewal.
   */
  async cancel(id: string): Promise<JobRecord> {
    const active = this.active.get(id);
    if (active) {
      this.stop(active, 'cancelled');
      return active.record;
    }
    const record = await this.get(id);
    if (!isPending(record.status)) return record;
    const name = jobLeaseName(id);
    if (!(await this.o.store.acquireLock(name, this.owner, this.leaseMs))) {
      await this.o.store.putSystem(cancelKey(id), { requested: new Date().toISOString() });
      return record;
    }
    // Nobody runs it (queued, or its process died), and nobody can start it while this lease is held.
    try {
      const current = await this.o.store.getJob<JobRecord>(id);
      if (current === null || !isPending(current.status)) return current ?? record;
      const cancelled: JobRecord = { ...current, status: 'cancelled', finished: new Date().toISOString() };
      delete cancelled.owner;
      await this.o.store.putJob(cancelled);
      return cancelled;
    } finally {
      await this.o.store.releaseLock(name, this.owner);
    }
  }

  /**
   * DELETE of a job: a pending one is cancelled; a finished one is removed with its files, as a Bulk Data
   * client says it no longer needs them. 404 for an unknown id.
   */
  async remove(id: string): Promise<JobRecord> {
    const record = await this.get(id);
    if (isPending(record.status)) return this.cancel(id);
    await this.o.files.deletePrefix(jobKey(id));
    await this.o.store.deleteJob(id);
    return record;
  }

  private poll(): void {
    if (this.closed || !this.timer) return;
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    this.polling = this.claim()
      .catch((err: unknown) => this.o.logger.warn({ err }, 'looking for jobs failed'))
      .finally(() => {
        this.polling = undefined;
        if (this.pollAgain) {
          this.pollAgain = false;
          this.poll();
        }
      });
  }

  /** Takes pending jobs, oldest first, while this process has room. */
  private async claim(): Promise<void> {
    if (Date.now() - this.lastSweep >= SWEEP_EVERY_MS) await this.sweep();
    if (this.active.size >= this.concurrency) return;
    const pending = (await this.o.store.listJobs<JobRecord>({ statuses: ['queued', 'running'], limit: SCAN_LIMIT })).reverse();
    for (const candidate of pending) {
      if (this.closed || this.active.size >= this.concurrency) return;
      // A process without the worker (another release, a narrower host app) leaves the job to one that has it.
      if (this.active.has(candidate.id) || !this.o.workers[candidate.kind]) continue;
      if (!(await this.o.store.acquireLock(jobLeaseName(candidate.id), this.owner, this.leaseMs))) continue;
      // Read again under the lease: the job may have ended between the list and the lease.
      const record = await this.o.store.getJob<JobRecord>(candidate.id);
      if (record === null || !isPending(record.status) || this.closed) {
        await this.o.store.releaseLock(jobLeaseName(candidate.id), this.owner);
        continue;
      }
      if (await this.o.store.getSystem(cancelKey(record.id))) {
        // Cancelled through another process while its owner was dying: nothing to run.
        const { owner: _owner, ...rest } = record;
        const cancelled: JobRecord = { ...rest, status: 'cancelled', finished: new Date().toISOString() };
        await this.o.store.putJob(cancelled);
        await this.o.store.putSystem(cancelKey(record.id), null);
        await this.o.store.releaseLock(jobLeaseName(record.id), this.owner);
        continue;
      }
      if (record.status === 'running') this.o.logger.info({ job: record.id, kind: record.kind, from: record.owner }, 'taking over job');
      this.begin(record);
    }
  }

  /** Removes finished jobs past the retention period, with their files. */
  private async sweep(): Promise<void> {
    this.lastSweep = Date.now();
    const cutoff = new Date(Date.now() - this.retentionMs).toISOString();
    const finished = await this.o.store.listJobs<JobRecord>({ statuses: ['completed', 'failed', 'cancelled'], limit: SCAN_LIMIT });
    for (const record of finished) {
      if ((record.finished ?? record.created) >= cutoff) continue;
      await this.o.files.deletePrefix(jobKey(record.id));
      await this.o.store.deleteJob(record.id);
      this.o.logger.info({ job: record.id, finished: record.finished }, 'removed job past retention');
    }
  }

  private stop(active: Active, reason: StopReason): void {
    if (active.controller.signal.aborted) return;
    active.reason = reason;
    active.controller.abort(reason);
  }

  private begin(record: JobRecord): void {
    const active: Active = { record, controller: new AbortController(), done: Promise.resolve() };
    this.active.set(record.id, active);
    active.done = this.run(active)
      .catch((err: unknown) => this.o.logger.error({ err, job: record.id }, 'job run failed'))
      .finally(() => {
        this.active.delete(record.id);
        this.poll();
      });
  }

  private async run(active: Active): Promise<void> {
    const { record, controller } = active;
    const { store, logger } = this.o;
    const lease = holdJobLease(store, record.id, this.owner, this.leaseMs, (reason) => this.stop(active, reason), (err) =>
      logger.warn({ err, job: record.id }, 'renewing the job lease failed'),
    );
    let saving: Promise<void> = Promise.resolve();
    const save = () => {
      const copy = structuredClone(record);
      saving = saving.then(() => store.putJob(copy)).catch((err: unknown) => logger.warn({ err, job: record.id }, 'saving job progress failed'));
      return saving;
    };
    Object.assign(record, { status: 'running', started: new Date().toISOString(), progress: { done: 0 }, errorCount: 0, output: [], owner: this.owner, attempts: (record.attempts ?? 0) + 1 });
    delete record.failure;
    delete record.finished;
    await save();
    let final: Partial<JobRecord>;
    let folder: Awaited<ReturnType<typeof openJobFolder>> | undefined;
    try {
      folder = await openJobFolder(this.o.files, this.o.scratch, record.id, record.input);
      const result = await this.work(record, folder.dir, controller.signal, save);
      if (controller.signal.aborted) throw controller.signal.reason;
      final = { status: 'completed', counts: result.counts, output: result.output ?? [] };
      if (result.deleted) final.deleted = result.deleted;
      if (result.transactionTime) final.transactionTime = result.transactionTime;
      const files = [...final.output!, ...(final.deleted ?? [])].map((o) => o.file);
      await folder.publish([...files, ...(record.errorCount > 0 ? [ERROR_FILE] : [])], controller.signal);
    } catch (err) {
      if (active.reason !== undefined) final = { status: active.reason === 'cancelled' ? 'cancelled' : 'queued' };
      else {
        logger.error({ err, job: record.id }, 'job failed');
        final = { status: 'failed', failure: toOperationOutcomeError(err).outcome };
        await folder?.publish([ERROR_FILE]).catch(() => undefined);
      }
    }
    folder?.dispose();
    // A lost lease means another process owns the job now: its record is theirs to write.
    if (active.reason !== 'lost') {
      const done: JobRecord = { ...record, ...final, ...(final.status !== 'queued' ? { finished: new Date().toISOString() } : {}) };
      delete done.owner;
      delete record.owner;
      Object.assign(record, done);
      await save();
      if (final.status === 'cancelled') {
        await store.putSystem(cancelKey(record.id), null).catch(() => undefined);
        // A cancelled job leaves no files behind; its input too is of no use any more.
        await this.o.files.deletePrefix(jobKey(record.id)).catch((err: unknown) => logger.warn({ err, job: record.id }, 'removing a cancelled job\'s files failed'));
      }
    }
    await lease.release().catch((err: unknown) => logger.warn({ err, job: record.id }, 'releasing the job lease failed'));
  }

  /** Runs the worker with its error file open; the file is closed before the result is returned. */
  private async work(record: JobRecord, dir: string, signal: AbortSignal, save: () => Promise<void>) {
    const errors = fs.createWriteStream(path.join(dir, ERROR_FILE));
    let lastSave = 0;
    const run: JobRun = {
      record,
      dir,
      inputPath: record.input ? path.join(dir, record.input) : undefined,
      signal,
      progress: (done, total) => {
        record.progress = { done, total };
        if (Date.now() - lastSave > SAVE_INTERVAL_MS) {
          lastSave = Date.now();
          void save();
        }
      },
      error: (outcome: OperationOutcome) => {
        record.errorCount++;
        errors.write(`${JSON.stringify(outcome)}\n`);
      },
    };
    try {
      return await this.o.workers[record.kind](run);
    } finally {
      await new Promise<void>((resolve) => errors.end(resolve));
    }
  }

  /**
   * Stops looking for work and stops this process's runs, which go back to the queue at once (their leases
   * given back), so another process, or this one's next start, takes them up.
   */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    for (const active of this.active.values()) this.stop(active, 'closing');
    await this.polling;
    await Promise.all([...this.active.values()].map((a) => a.done));
  }
}
