/** The messages between imports and the validation worker (validation-ahead.ts, ahead-worker.ts). */
import type { UnitSource } from '../unit-source.js';
import type { EntryIssues } from './validate-unit.js';

export type ToWorker =
  /** Start validating an import's input, at most `window` units ahead of it. */
  | { type: 'start'; session: number; source: UnitSource; baseUrl?: string; window: number }
  /** The import took a unit: one more may be validated. */
  | { type: 'credit'; session: number }
  /** The import ended or stopped: forget its input. */
  | { type: 'stop'; session: number }
  /** Compile the validators now (answered with `warm`). */
  | { type: 'warm' };

export type FromWorker =
  | { type: 'unit'; session: number; n: number; issues: EntryIssues[] }
  /** Every unit of the session was sent. */
  | { type: 'done'; session: number }
  /** The input could not be read; the import reports that itself. */
  | { type: 'failed'; session: number; message: string }
  | { type: 'warm' };
