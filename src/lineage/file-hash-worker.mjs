// The hashing thread of file-hash.ts: hashes the files it is sent one after another (so an import's input is
// read once more in order, not all at once), each streamed so memory stays bounded whatever its size, and
// answers each with the hex SHA-256 or, for a file it cannot read, the reason. Plain JavaScript, so it starts
// in milliseconds without the TypeScript loader: an import waits for its first file's hash before its first write.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { parentPort } from 'node:worker_threads';

const CHUNK = 1 << 20;
const queue = [];
let busy = false;

// One buffer, read into again and again: a read stream allocates a chunk per read, and on a 1 GB file the chunks
// waiting for the thread's garbage collector had raised the process's peak RSS by ~40 MB.
const buffer = Buffer.allocUnsafe(CHUNK);

async function sha256(file) {
  const hash = createHash('sha256');
  const handle = await fs.promises.open(file, 'r');
  try {
    for (let read; (read = (await handle.read(buffer, 0, CHUNK, null)).bytesRead) > 0; ) hash.update(buffer.subarray(0, read));
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

async function drain() {
  busy = true;
  while (queue.length > 0) {
    const { id, file } = queue.shift();
    try {
      parentPort.postMessage({ id, sha256: await sha256(file) });
    } catch (err) {
      parentPort.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
    }
  }
  busy = false;
}

parentPort.on('message', (message) => {
  queue.push(message);
  if (!busy) void drain();
});
