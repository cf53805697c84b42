/**
 * One output file of an export: NDJSON lines gathered up to a fixed number of bytes and then written, so that
 * memory stays bounded by bytes, not by a count of resources whose size nobody knows (a DocumentReference with
 * its attachment inline weighs more than a thousand Observations).
 */
import fs from 'node:fs';

/** Bytes gathered before a write: large enough that writes are few, small enough to ignore. */
const FLUSH_BYTES = 1 << 20;

export class NdjsonOutput {
  count = 0;
  private parts: string[] = [];
  private pending = 0;
  private handle: fs.promises.FileHandle | undefined;

  constructor(readonly file: string) {}

  /** Adds one line (a resource's JSON, without the newline). */
  async add(json: string): Promise<void> {
    this.parts.push(json, '\n');
    this.pending += json.length + 1;
    this.count++;
    if (this.pending >= FLUSH_BYTES) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    this.handle ??= await fs.promises.open(this.file, 'w');
    const text = this.parts.join('');
    this.parts = [];
    this.pending = 0;
    await this.handle.write(text);
  }

  /** Writes what is left and closes the file (created even when empty of lines only if anything was added). */
  async close(): Promise<void> {
    await this.flush();
    await this.handle?.close();
    this.handle = undefined;
  }
}
