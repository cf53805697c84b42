/**
 * Gzip files written and read for backups. The writer hashes the compressed bytes as they go to disk, so
 * the SHA-256 in the manifest is of the file itself and verification never needs to decompress.
 * Level 1: the fastest deflate level, because backup speed is the goal and FHIR JSON compresses well
 * even at level 1 (level 6 was not measured here).
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';

const GZIP_LEVEL = 1;
/** Text gathered before one write to the compressor: fewer, larger writes keep zlib's thread pool busy. */
const FLUSH_CHARS = 1 << 20;

export class GzipFileWriter {
  private readonly gzip = zlib.createGzip({ level: GZIP_LEVEL });
  private readonly hash = createHash('sha256');
  private readonly done: Promise<void>;
  private parts: string[] = [];
  private size = 0;
  private bytes = 0;

  constructor(readonly file: string) {
    const tap = new Transform({
      transform: (chunk: Buffer, _encoding, callback) => {
        this.hash.update(chunk);
        this.bytes += chunk.length;
        callback(null, chunk);
      },
    });
    this.done = pipeline(this.gzip, tap, fs.createWriteStream(file, { flags: 'wx' }));
    this.done.catch(() => undefined);
  }

  async write(text: string): Promise<void> {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= FLUSH_CHARS) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const ok = this.gzip.write(this.parts.join(''));
    this.parts = [];
    this.size = 0;
    if (!ok) await Promise.race([once(this.gzip, 'drain'), this.done]);
  }

  /** Finishes the file; its compressed size and SHA-256. */
  async close(): Promise<{ bytes: number; sha256: string }> {
    await this.flush();
    this.gzip.end();
    await this.done;
    return { bytes: this.bytes, sha256: this.hash.digest('hex') };
  }
}

/** SHA-256 and size of a file, streamed. */
export async function hashFile(file: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { bytes, sha256: hash.digest('hex') };
}

/** A gzip file read whole, with the SHA-256 of exactly the bytes that were decompressed. */
export function readGzipFile(file: string): { text: string; sha256: string } {
  const raw = fs.readFileSync(file);
  return { text: zlib.gunzipSync(raw).toString('utf8'), sha256: createHash('sha256').update(raw).digest('hex') };
}
