/**
 * Asynchronous jobs (`Prefer: respond-async`): a record per job, kept as files under the data directory so
 * jobs survive a restart, with the request's input saved beside it. Workers are plain functions per kind.
 * @see https://hl7.org/fhir/R4/async.html
 */
import type { OperationOutcome } from 'fhir/r4.js';

export const JOB_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export interface JobRecord {
  id: string;
  kind: string;
  status: JobStatus;
  /** What the job was asked: the operation's parameters (JSON-safe). */
  params: Record<string, unknown>;
  /** Name of the saved input file in the job folder, if the job has one. */
  input?: string;
  created: string;
  started?: string;
  finished?: string;
  /** Items done so far, and the total when known. */
  progress: { done: number; total?: number };
  /** Totals the worker reports (created, updated, …). */
  counts?: Record<string, unknown>;
  /** Files the worker wrote in the job folder (besides the error file). */
  output: { type: string; file: string; count?: number }[];
  /** Number of OperationOutcomes in the job's error file. */
  errorCount: number;
  /** Why the job itself failed (not its entries). */
  failure?: OperationOutcome;
}

export interface JobRun {
  record: JobRecord;
  /** Absolute path of the saved input, if any. */
  inputPath?: string;
  /** Absolute path of the job folder, for output files. */
  dir: string;
  signal: AbortSignal;
  progress(done: number, total?: number): void;
  /** Appends an OperationOutcome to the job's NDJSON error file. */
  error(outcome: OperationOutcome): void;
}

export interface JobResult {
  counts?: Record<string, unknown>;
  output?: JobRecord['output'];
}

export type JobWorker = (run: JobRun) => Promise<JobResult>;
