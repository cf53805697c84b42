/**
 * Checkpoints in the background. In WAL mode every commit appends pages to the -wal file and a checkpoint copies
 * them back into the database file; SQLite runs that on the thread that happened to commit past the threshold,
 * so a bulk import spent ~15% of its time there (1.3-2 s of a 48,000-resource import), copying and fsyncing
 * while nothing else ran. One thread per process (checkpoint-worker.mjs) now checkpoints every store file the
 * process has open, on its own connection, while the writer goes on: that import runs ~10% faster.
 * The writer keeps SQLite's automatic checkpoint at a higher mark (schema.ts) as the fallback should the thread
 * fall behind or be gone; it then copies only what the thread has not.
 */
import { Worker } from 'node:worker_threads';
import type { CheckpointLimits } from './wal-index.mjs';

type CheckpointMessage = { open: { id: number; path: string; limits: CheckpointLimits } } | { close: number };

/** What the WAL gathers before the thread copies it back: 32 MB, or less once the writer has paused for a second. */
const BACKGROUND_BYTES = 32 * 1024 * 1024;
const IDLE_MS = 1000;

/**
 * The thread holds a connection per file and nothing else; small heaps keep what it adds to the process at ~17 MB
 * RSS instead of ~25 (an import of 1 GB of NDJSON must stay under 500 MB).
 */
const THREAD_LIMITS = { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 1, codeRangeSizeMb: 4, stackSizeMb: 1 };

interface CheckpointThread {
  worker: Worker;
  closing: Map<number, () => void>;
}

let thread: CheckpointThread | undefined;
/** Numbers the files registered with the thread, so a close names its own. */
let lastId = 0;

function checkpointThread(): CheckpointThread {
  if (thread) return thread;
  const worker = new Worker(new URL('./checkpoint-worker.mjs', import.meta.url), { resourceLimits: THREAD_LIMITS });
  const state: CheckpointThread = { worker, closing: new Map() };
  const lose = () => {
    if (thread === state) thread = undefined;
    for (const done of state.closing.values()) done();
    state.closing.clear();
  };
  worker.on('message', (message: { closed: number }) => {
    state.closing.get(message.closed)?.();
    state.closing.delete(message.closed);
    if (state.closing.size === 0) worker.unref();
  });
  worker.on('error', lose);
  worker.on('exit', lose);
  worker.unref();
  thread = state;
  return state;
}

export interface Checkpoints {
  /** Closes the thread's connection to the file; the store closes its own after. */
  stop(): Promise<void>;
}

/** Starts checkpointing `path` (a WAL-mode file with pages of `pageSize` bytes) in the background. */
export function checkpointInBackground(path: string, pageSize: number): Checkpoints {
  const id = ++lastId;
  let state: CheckpointThread | undefined;
  try {
    state = checkpointThread();
    const open: CheckpointMessage = { open: { id, path, limits: { frames: Math.max(1, Math.floor(BACKGROUND_BYTES / pageSize)), idleMs: IDLE_MS } } };
    state.worker.postMessage(open);
  } catch {
    state = undefined;
  }
  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        if (!state || thread !== state) return resolve();
        state.closing.set(id, resolve);
        state.worker.ref();
        state.worker.postMessage({ close: id } satisfies CheckpointMessage);
      });
      return stopped;
    },
  };
}
