/**
 * Runs the ops of one `write()` call in one SQLite transaction: atomic calls roll everything back on the
 * first failure; non-atomic calls report failures per op and keep the others.
 * No savepoint per op (it cost ~90 µs each, more than the op): write-op.ts does every check that can
 * reject an op before its first row changes, so a rejected op has nothing to undo. A storage error
 * (SqliteError) is different: it fails the whole call, which rolls back.
 * One transaction per call is also what makes bulk imports fast (one commit per batch, not per resource).
 * Index rows are queued while the ops run and inserted before the commit (index-row-buffer.ts); a rollback
 * forgets the queue with the rest.
 * @see https://hl7.org/fhir/R4/http.html#transaction
 */
import Database from 'better-sqlite3';
import { toOperationOutcomeError } from '../../fhir/outcomes.js';
import { WriteOpError } from '../store-errors.js';
import type { WriteOp, WriteResult } from '../resource-store.js';
import { applyOp, type WriteContext } from './write-op.js';

export type BatchWriter = (ctx: WriteContext, ops: WriteOp[], atomic: boolean) => WriteResult[];

/** The failing op's error, its diagnostics naming the op so a log line alone says which entry failed. */
function opError(index: number, err: unknown): WriteOpError {
  const cause = toOperationOutcomeError(err);
  const outcome = structuredClone(cause.outcome);
  const first = outcome.issue?.[0];
  if (first) first.diagnostics = `${first.diagnostics ?? 'error'} (write op ${index})`;
  return new WriteOpError(index, cause.status, outcome);
}

/**
 * Builds the transactional writer for a connection (transaction functions are made once, like statements).
 * `onRollback` runs after a call rolled back, to drop caches of rows that no longer exist.
 */
export function createBatchWriter(db: Database.Database, onRollback: () => void): BatchWriter {
  const atomic = db.transaction((ctx: WriteContext, ops: WriteOp[]) => {
    const results = ops.map((op, index) => {
      try {
        return applyOp(ctx, op, index);
      } catch (err) {
        throw opError(index, err);
      }
    });
    ctx.rows.flush();
    ctx.seq.save();
    return results;
  });
  const independent = db.transaction((ctx: WriteContext, ops: WriteOp[]) => {
    const results = ops.map((op, index): WriteResult => {
      try {
        return applyOp(ctx, op, index);
      } catch (err) {
        if (err instanceof Database.SqliteError) throw err;
        const e = toOperationOutcomeError(err);
        return { index, status: 'failed', error: { status: e.status, outcome: e.outcome } };
      }
    });
    ctx.rows.flush();
    ctx.seq.save();
    return results;
  });
  return (ctx, ops, isAtomic) => {
    try {
      // IMMEDIATE takes the write lock at BEGIN, waiting (busy timeout) for another process's write to end; a
      // deferred transaction that reads first fails at once with "database is locked" when it then writes.
      return isAtomic ? atomic.immediate(ctx, ops) : independent.immediate(ctx, ops);
    } catch (err) {
      ctx.rows.clear();
      ctx.seq.forget();
      onRollback();
      throw err;
    }
  };
}
