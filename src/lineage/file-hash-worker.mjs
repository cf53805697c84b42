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

async function sha256(file) {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: CHUNK })) hash.update(chunk);
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
