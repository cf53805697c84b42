// Reading a WAL-mode file's progress from its wal-index (the -shm file), and deciding when to checkpoint
// (checkpoint-worker.mjs). The header is read without SQLite's locks: a read torn by a concurrent commit only
// misjudges one tick, and a checkpoint run a little early or late is harmless either way.
// Plain JavaScript for the checkpointing thread, which starts without the TypeScript loader; types in wal-index.d.mts.
// @see https://www.sqlite.org/walformat.html#the_wal_index_file_format (mxFrame at byte 16, nBackfill at byte 96)

export const WAL_INDEX_HEADER_BYTES = 136;

export function walProgress(header) {
  if (header.length < WAL_INDEX_HEADER_BYTES) return undefined;
  return { frames: header.readUInt32LE(16), backfilled: header.readUInt32LE(96) };
}

// Due when the frames not yet copied back reach the limit (a bulk write going on), or when any are left once the
// writer has been quiet for idleMs (the tail of a write, so that the next one starts the WAL over).
export function checkpointDue(progress, watch, now, limits) {
  if (progress.frames !== watch.lastFrames) {
    watch.lastFrames = progress.frames;
    watch.quietSince = now;
  }
  const uncopied = progress.frames - progress.backfilled;
  return uncopied >= limits.frames || (uncopied > 0 && now - watch.quietSince >= limits.idleMs);
}
