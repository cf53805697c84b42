/**
 * Asynchronous jobs (`Prefer: respond-async`): a record per job, kept in the store so that every process
 * sharing it answers for every job and jobs survive a restart, with the request's input saved beside the
 * job's other files in the file store. Workers are plain functions per kind.
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
  /** Name of the saved input file among the job's files, if the job has one. */
  input?: string;
  created: string;
  started?: string;
  finished?: string;
  /** Items done so far, and the total when known. */
  progress: { done: number; total?: number };
  /** Totals the worker reports (created, updated, …). */
  counts?: Record<string, unknown>;
  /** Files the worker wrote in the job's folder (besides the error file). */
  output: { type: string; file: string; count?: number }[];
  /** Files listing deletions (a Bulk Data export with `_since`): Bundles of DELETE entries. */
  deleted?: { type: string; file: string; count?: number }[];
  /** The instant the job's output reflects (an export's snapshot); the manifest gives `finished` otherwise. */
  transactionTime?: string;
  /** Number of OperationOutcomes in the job's error file. */
  errorCount: number;
  /** Why the job itself failed (not its entries). */
  failure?: OperationOutcome;
  /** The process running it (host, pid and a random part), while it runs. */
  owner?: string;
  /** How many times a process started it: more than one when a process stopped or died while running it. */
  attempts?: number;
}

export interface JobRun {
  record: JobRecord;
  /** Absolute path of the saved input on this machine, if any. */
  inputPath?: string;
  /** Absolute path of the job's local folder, for output files (sent to the file store when it is remote). */
  dir: string;
  signal: AbortSignal;
  progress(done: number, total?: number): void;
  /** Appends an OperationOutcome to the job's NDJSON error file. */
  error(outcome: OperationOutcome): void;
}

export interface JobResult {
  counts?: Record<string, unknown>;
  output?: JobRecord['output'];
  deleted?: JobRecord['deleted'];
  transactionTime?: string;
}

export type JobWorker = (run: JobRun) => Promise<JobResult>;
