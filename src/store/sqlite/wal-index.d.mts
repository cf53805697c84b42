/** The bytes of the wal-index header and checkpoint info that hold the two counters. */
export declare const WAL_INDEX_HEADER_BYTES: number;

export interface WalProgress {
  /** Frames in the WAL (mxFrame). */
  frames: number;
  /** Frames already copied back into the database file (nBackfill). */
  backfilled: number;
}

/** What the checkpointing thread remembers of a file between ticks: `frames` when last seen, and since when it has not moved. */
export interface WalWatch {
  lastFrames: number;
  quietSince: number;
}

export interface CheckpointLimits {
  /** Frames not yet copied back that call for a checkpoint. */
  frames: number;
  /** How long the writer must have been quiet before fewer frames are checkpointed too. */
  idleMs: number;
}

/** The counters from the first WAL_INDEX_HEADER_BYTES of a -shm file (native byte order: little-endian here); nothing for a short read. */
export declare function walProgress(header: Buffer): WalProgress | undefined;

/** Whether to checkpoint now; updates `watch`. */
export declare function checkpointDue(progress: WalProgress, watch: WalWatch, now: number, limits: CheckpointLimits): boolean;
