/**
 * SHA-256 of input files, as `sha256sum` prints it (hex, of the bytes on disk: a `.gz` file's compressed
 * bytes). An import starts every hash of its input at once (FileHashes) and waits for a file's only when it
 * records that file's lineage.
 * The hashing runs in a worker thread (file-hash-worker.mjs), reading and hashing there: on the import's own
 * thread, reading the files again and handing their bytes to WebCrypto cost ~100 ms of a 48,000-resource import
 * of generated bundles (74 MB), and a streamed NDJSON file was hashed there chunk by chunk (~0.9 s per GB).
 * Should the worker fail, files are hashed on this thread as before, only slower.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Worker } from 'node:worker_threads';

/** The file's SHA-256, streamed on this thread (the worker's fallback). */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(fs.createReadStream(file, { highWaterMark: 1 << 20 }), async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) hash.update(chunk);
  });
  return hash.digest('hex');
}

export const sha256Of = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

type Answer = { id: number; sha256: string } | { id: number; error: string };

/** A file the worker could not read: its import reports why, and it has no hash. */
class Unreadable extends Error {}

interface HashThread {
  worker: Worker;
  pending: Map<number, { resolve: (sha256: string) => void; reject: (err: Error) => void }>;
}

let thread: HashThread | undefined;
let requests = 0;

/** The shared hashing thread, started on first use; it keeps the process alive only while hashes are awaited. */
function hashThread(): HashThread {
  if (thread) return thread;
  const worker = new Worker(new URL('./file-hash-worker.mjs', import.meta.url));
  const state: HashThread = { worker, pending: new Map() };
  const lose = (err: Error) => {
    if (thread === state) thread = undefined;
    for (const { reject } of state.pending.values()) reject(err);
    state.pending.clear();
  };
  worker.on('message', (answer: Answer) => {
    const waiter = state.pending.get(answer.id);
    state.pending.delete(answer.id);
    if (state.pending.size === 0) worker.unref();
    if ('sha256' in answer) waiter?.resolve(answer.sha256);
    else waiter?.reject(new Unreadable(answer.error));
  });
  worker.on('error', lose);
  worker.on('exit', () => lose(new Error('the hashing thread stopped')));
  worker.unref();
  thread = state;
  return state;
}

/** Hashes the file in the worker thread; on this one if the worker is gone or fails. */
export async function hashFile(file: string): Promise<string> {
  try {
    const state = hashThread();
    const id = ++requests;
    return await new Promise<string>((resolve, reject) => {
      state.pending.set(id, { resolve, reject });
      state.worker.ref();
      state.worker.postMessage({ id, file });
    });
  } catch (err) {
    if (err instanceof Unreadable) throw err;
    return sha256File(file);
  }
}

/** Stops the hashing thread (tests; a later hash starts another). */
export async function stopHashThread(): Promise<void> {
  const state = thread;
  thread = undefined;
  await state?.worker.terminate();
}

/**
 * The hashes of an import's input files by the name its entries carry (the base name, or REQUEST_BODY), all
 * asked for at once and computed in order by the hashing thread. A file that cannot be read has no hash (its
 * import reports why it failed).
 */
export class FileHashes {
  private readonly byName = new Map<string, Promise<string | undefined>>();

  constructor(files: { name: string; path: string }[] = []) {
    for (const f of files) this.byName.set(f.name, hashFile(f.path).catch(() => undefined));
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
