/**
 * SHA-256 of input files, as `sha256sum` prints it (hex, of the bytes on disk: a `.gz` file's compressed
 * bytes). Hashing reads at about 1 GB/s, far faster than an import consumes its input, so an import starts
 * every hash at once in the background (FileHashes) and waits for a file's only when it records lineage.
 */
import { createHash, webcrypto } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

/**
 * Files up to this size are read whole and hashed by WebCrypto, which digests on libuv's thread pool: the import
 * that runs beside the hashing keeps the main thread (a stream's `update` calls and reads ran there: about 1% of a
 * profiled import of generated bundles). Larger files, NDJSON exports above all, are streamed so memory stays bounded.
 */
const WHOLE_FILE_MAX = 64 * 1024 * 1024;

/** The file's SHA-256; `wholeFileMax` moves the line between reading whole and streaming (tests try both). */
export async function sha256File(file: string, wholeFileMax = WHOLE_FILE_MAX): Promise<string> {
  if ((await fs.promises.stat(file)).size <= wholeFileMax) {
    return Buffer.from(await webcrypto.subtle.digest('SHA-256', await fs.promises.readFile(file))).toString('hex');
  }
  const hash = createHash('sha256');
  await pipeline(fs.createReadStream(file, { highWaterMark: 1 << 20 }), async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) hash.update(chunk);
  });
  return hash.digest('hex');
}

export const sha256Of = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

/**
 * The hashes of an import's input files by the name its entries carry (the base name, or REQUEST_BODY),
 * computed one file after another from the start. A file that cannot be read has no hash (its import
 * reports why it failed).
 */
export class FileHashes {
  private readonly byName = new Map<string, Promise<string | undefined>>();

  constructor(files: { name: string; path: string }[] = []) {
    let previous: Promise<unknown> = Promise.resolve();
    for (const f of files) {
      const next = previous.then(() => sha256File(f.path)).catch(() => undefined);
      this.byName.set(f.name, next);
      previous = next;
    }
  }

  static ofPaths(files: string[]): FileHashes {
    return new FileHashes(files.map((f) => ({ name: path.basename(f), path: f })));
  }

  /** Records a hash already known (a request body held in memory). */
  set(name: string, sha256: string): void {
    this.byName.set(name, Promise.resolve(sha256));
  }

  get(name: string): Promise<string | undefined> {
    return this.byName.get(name) ?? Promise.resolve(undefined);
  }
}
