/**
 * Reading a WAL-mode file's progress from its wal-index (the -shm file) and deciding when to checkpoint
 * (checkpoint-worker.ts). The header is read without SQLite's locks: a read torn by a concurrent commit only
 * misjudges one tick, and a checkpoint run too early or too late is harmless either way.
 * @see https://www.sqlite.org/walformat.html#the_wal_index_file_format (mxFrame at byte 16, nBackfill at byte 96)
 */

/** The bytes of the wal-index header and checkpoint info that hold the two counters. */
export const WAL_INDEX_HEADER_BYTES = 136;

export interface WalProgress {
  /** Frames in the WAL (mxFrame). */
  frames: number;
  /** Frames already copied back into the database file (nBackfill). */
  backfilled: number;
}

/** The counters from the first WAL_INDEX_HEADER_BYTES of a -shm file (native byte order: little-endian here). */
export function walProgress(header: Buffer): WalProgress | undefined {
  if (header.length < WAL_INDEX_HEADER_BYTES) return undefined;
  return { frames: header.readUInt32LE(16), backfilled: header.readUInt32LE(96) };
}

/** What the checkpointing thread remembers of a file between ticks. */
export interface WalWatch {
  /** `frames` when last seen, and since when it has not moved. */
  lastFrames: number;
  quietSince: number;
}

export interface CheckpointLimits {
  /** Frames not yet copied back that call for a checkpoint. */
  frames: number;
  /** How long the writer must have been quiet before fewer frames are checkpointed too. */
  idleMs: number;
}

/**
 * Whether to checkpoint now: when the uncopied frames reach the limit (a bulk write going on), or when any are
 * left once the writer has been quiet for idleMs (the tail of a write, so the next one starts the WAL over).
 * Updates `watch`.
 */
export function checkpointDue(progress: WalProgress, watch: WalWatch, now: number, limits: CheckpointLimits): boolean {
  if (progress.frames !== watch.lastFrames) {
    watch.lastFrames = progress.frames;
    watch.quietSince = now;
  }
  const uncopied = progress.frames - progress.backfilled;
  return uncopied >= limits.frames || (uncopied > 0 && now - watch.quietSince >= limits.idleMs);
}
