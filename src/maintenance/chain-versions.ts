/**
 * The versions of one resource type across a backup chain (a full backup and its incrementals), each once,
 * in batches for restoreVersions. Every backup file holds its versions by id, then version
 * (write-version-files.ts), so the chain's files of a type are merged in that order, with memory for one
 * batch per file. A version two backups both hold comes from the later one: backups chained by mark hold a
 * version twice only when MongoDB stored it again under the same `_id` after the earlier backup read it
 * (mongo/history-marks.ts), and the later copy is what the store kept; format 1 backups, chained by instant,
 * overlapped at their boundary. Either way the earlier copy is counted as skipped.
 */
import { unprocessable } from '../fhir/outcomes.js';
import type { RawVersionRecord } from '../store/resource-store.js';
import type { BackupFile } from './backup-manifest.js';
import { type OpenFile, versionBatches } from './read-version-lines.js';

/** One backup's file of the type, oldest backup first, and how to read it. */
export interface ChainFile {
  open: OpenFile;
  file: BackupFile;
}

export interface ChainBatch {
  records: RawVersionRecord[];
  /** Copies left out because a later backup holds the same version. */
  skipped: number;
}

/** A file's records one at a time, read a batch at a time, checked to come in id then version order. */
class Source {
  private batch: RawVersionRecord[] = [];
  private at = 0;
  head: RawVersionRecord | undefined;

  constructor(
    private readonly batches: AsyncGenerator<RawVersionRecord[]>,
    private readonly name: string,
  ) {}

  async advance(): Promise<void> {
    const previous = this.head;
    while (this.at >= this.batch.length) {
      const next = await this.batches.next();
      if (next.done) {
        this.head = undefined;
        return;
      }
      this.batch = next.value;
      this.at = 0;
    }
    this.head = this.batch[this.at++];
    if (previous !== undefined && compare(previous, this.head) >= 0) throw unprocessable(`${this.name} does not hold its versions in id then version order`);
  }

  async close(): Promise<void> {
    await this.batches.return(undefined);
  }
}

/** Record order within a file of one type (ids are ASCII, so string order is the stores' byte order). */
function compare(a: RawVersionRecord, b: RawVersionRecord): number {
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return Number(a.versionId) - Number(b.versionId);
}

const sameResource = (a: RawVersionRecord, b: RawVersionRecord) => a.id === b.id;

/** Batches of at least `size` records (the last may be smaller) that never split one resource's versions. */
export async function* chainBatches(files: ChainFile[], size: number): AsyncGenerator<ChainBatch> {
  // A single backup has nothing to merge: its batches go as they are read.
  if (files.length === 1) {
    for await (const records of versionBatches(files[0].open, files[0].file, size)) yield { records, skipped: 0 };
    return;
  }
  const sources = files.map((f) => new Source(versionBatches(f.open, f.file, size), f.file.file));
  try {
    for (const s of sources) await s.advance();
    let records: RawVersionRecord[] = [];
    let skipped = 0;
    for (;;) {
      // The latest backup holding the lowest version wins; the others' copies of it are passed over.
      let winner: Source | undefined;
      for (const s of sources) if (s.head !== undefined && (winner === undefined || compare(s.head, winner.head!) <= 0)) winner = s;
      if (winner === undefined) break;
      const record = winner.head!;
      if (records.length >= size && !sameResource(records[records.length - 1], record)) {
        yield { records, skipped };
        records = [];
        skipped = 0;
      }
      records.push(record);
      for (const s of sources) {
        if (s === winner || s.head === undefined || compare(s.head, record) !== 0) continue;
        skipped++;
        await s.advance();
      }
      await winner.advance();
    }
    if (records.length > 0) yield { records, skipped };
  } finally {
    await Promise.all(sources.map((s) => s.close()));
  }
}
