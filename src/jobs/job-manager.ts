/**
 * Runs asynchronous jobs one at a time and keeps each job's record, input, outputs and error file in
 * `<data dir>/jobs/<id>/`. A job still queued or running when the process stops is queued again by
 * `resume()` at the next start and re-run from its saved input: workers are idempotent (import keeps ids),
 * so the end state equals an uninterrupted run. Records are written atomically (temp file + rename).
 * @see https://hl7.org/fhir/R4/async.html
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { OperationOutcome } from 'fhir/r4.js';
import type { FileArea } from '../files/file-area.js';
import { newId } from '../fhir/ids.js';
import { notFound, toOperationOutcomeError } from '../fhir/outcomes.js';
import type { Logger } from '../logger.js';
import type { JobRecord, JobRun, JobStatus, JobWorker } from './job-types.js';

export const ERROR_FILE = 'errors.ndjson';
const RECORD_FILE = 'job.json';
const JOB_ID = /^[0-9a-f-]{36}$/;
/** Progress is saved at most this often, so a busy job does not spend its time writing its record. */
const SAVE_INTERVAL_MS = 500;

export class JobManager {
  private readonly root: string;
  private readonly queue: string[] = [];
  private readonly active = new Map<string, { record: JobRecord; controller: AbortController }>();
  private running: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly files: FileArea,
    private readonly workers: Record<string, JobWorker>,
    private readonly logger: Logger,
  ) {
    this.root = files.resolve('jobs');
  }

  private dir(id: string): string {
    if (!JOB_ID.test(id)) throw notFound(`No job ${id.slice(0, 80)}`);
    return this.files.resolve('jobs', id);
  }

  private save(record: JobRecord): void {
    const file = path.join(this.dir(record.id), RECORD_FILE);
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(record));
    fs.renameSync(`${file}.tmp`, file);
  }

  /** Saves the input (if any) and queues the job; the record answers the request at once. */
  async submit(kind: string, params: Record<string, unknown>, input?: { stream: Readable; name: string }): Promise<JobRecord> {
    if (!this.workers[kind]) throw new Error(`no worker for job kind ${kind}`);
    const record: JobRecord = { id: newId(), kind, status: 'queued', params, created: new Date().toISOString(), progress: { done: 0 }, output: [], errorCount: 0 };
    const dir = this.dir(record.id);
    fs.mkdirSync(dir, { recursive: true });
    if (input) {
      record.input = input.name;
      await pipeline(input.stream, fs.createWriteStream(path.join(dir, input.name)));
    }
    this.save(record);
    this.enqueue(record.id);
    return record;
  }

  /** The current record; 404 for an unknown id. */
  get(id: string): JobRecord {
    const active = this.active.get(id);
    if (active) return active.record;
    const file = path.join(this.dir(id), RECORD_FILE);
    if (!fs.existsSync(file)) throw notFound(`No job ${id}`);
    return JSON.parse(fs.readFileSync(file, 'utf8')) as JobRecord;
  }

  /**
   * The jobs this data folder holds, newest first, `status` ones only when given, at most `limit`. Running ones
   * are answered from memory, so their progress is current.
   */
  list(options: { status?: JobStatus; limit: number }): JobRecord[] {
    if (!fs.existsSync(this.root)) return [];
    const records: JobRecord[] = [];
    for (const id of fs.readdirSync(this.root)) {
      if (!JOB_ID.test(id) || !fs.existsSync(path.join(this.root, id, RECORD_FILE))) continue;
      const record = this.get(id);
      if (options.status === undefined || record.status === options.status) records.push(record);
    }
    return records.sort((a, b) => b.created.localeCompare(a.created) || a.id.localeCompare(b.id)).slice(0, options.limit);
  }

  /** Absolute path of a file the job wrote (an output or the error file); 404 for any other name. */
  filePath(id: string, name: string): string {
    const record = this.get(id);
    const known = name === ERROR_FILE || record.output.some((o) => o.file === name);
    const file = path.join(this.dir(id), name);
    if (!known || !fs.existsSync(file)) throw notFound(`Job ${id} has no file ${name.slice(0, 80)}`);
    return file;
  }

  /** Cancels a queued or running job (its record stays, as cancelled); 404 for an unknown id. */
  cancel(id: string): JobRecord {
    const active = this.active.get(id);
    if (active) {
      active.controller.abort();
      return active.record;
    }
    const record = this.get(id);
    if (record.status === 'queued') {
      record.status = 'cancelled';
      record.finished = new Date().toISOString();
      this.save(record);
    }
    return record;
  }

  /** Queues again every job a previous process left queued or running. */
  resume(): void {
    if (!fs.existsSync(this.root)) return;
    const pending = fs
      .readdirSync(this.root)
      .filter((id) => JOB_ID.test(id) && fs.existsSync(path.join(this.root, id, RECORD_FILE)))
      .map((id) => this.get(id))
      .filter((r) => r.status === 'queued' || r.status === 'running')
      .sort((a, b) => a.created.localeCompare(b.created));
    for (const record of pending) {
      this.logger.info({ job: record.id, kind: record.kind }, 'resuming job');
      this.enqueue(record.id);
    }
  }

  private enqueue(id: string): void {
    this.queue.push(id);
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
    });
  }

  private async drain(): Promise<void> {
    while (!this.closed && this.queue.length > 0) {
      const id = this.queue.shift()!;
      const record = this.get(id);
      if (record.status === 'queued' || record.status === 'running') await this.run(record);
    }
  }

  private async run(record: JobRecord): Promise<void> {
    const controller = new AbortController();
    this.active.set(record.id, { record, controller });
    const dir = this.dir(record.id);
    Object.assign(record, { status: 'running', started: new Date().toISOString(), progress: { done: 0 }, errorCount: 0, output: [] });
    this.save(record);
    const errors = fs.createWriteStream(path.join(dir, ERROR_FILE));
    let lastSave = 0;
    const run: JobRun = {
      record,
      dir,
      inputPath: record.input ? path.join(dir, record.input) : undefined,
      signal: controller.signal,
      progress: (done, total) => {
        record.progress = { done, total };
        if (Date.now() - lastSave > SAVE_INTERVAL_MS) {
          lastSave = Date.now();
          this.save(record);
        }
      },
      error: (outcome: OperationOutcome) => {
        record.errorCount++;
        errors.write(`${JSON.stringify(outcome)}\n`);
      },
    };
    // The final state is published (on the in-memory record readers see) only once the error file is
    // closed and the record saved, so a client that sees `completed` can rely on every file being in place.
    let final: Partial<JobRecord>;
    try {
      const result = await this.workers[record.kind](run);
      final = { status: 'completed', counts: result.counts, output: result.output ?? [] };
    } catch (err) {
      if (controller.signal.aborted) final = { status: this.closed ? 'queued' : 'cancelled' };
      else {
        this.logger.error({ err, job: record.id }, 'job failed');
        final = { status: 'failed', failure: toOperationOutcomeError(err).outcome };
      }
    }
    await new Promise<void>((resolve) => errors.end(resolve));
    const done = { ...record, ...final, ...(final.status !== 'queued' ? { finished: new Date().toISOString() } : {}) };
    this.save(done);
    Object.assign(record, done);
    this.active.delete(record.id);
  }

  /** Stops the running job (it is queued again for the next start) and waits for it to wind down. */
  async close(): Promise<void> {
    this.closed = true;
    for (const { controller } of this.active.values()) controller.abort();
    await this.running;
  }
}
