/** writeMultipart: WADO-RS parts streamed from a file store into a response, for many files at once. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { LocalFileStore } from '../../src/files/local-file-store.js';
import { writeMultipart } from '../../src/imaging/dicomweb-retrieve.js';

test('40 files: every part holds its file exactly, and the listeners on the response stay few', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-multipart-'));
  const store = new LocalFileStore(dir);
  const keys = Array.from({ length: 40 }, (_, i) => {
    fs.writeFileSync(path.join(dir, `${i}.dcm`), Buffer.alloc(70_000 + i, i));
    return `${i}.dcm`;
  });
  const chunks: Buffer[] = [];
  const out = new Writable({ write: (chunk: Buffer, _encoding, done) => (chunks.push(chunk), done()) });
  let most = 0;
  out.on('newListener', (name) => {
    if (name === 'error' || name === 'finish' || name === 'close') most = Math.max(most, out.listenerCount(name) + 1);
  });
  await writeMultipart(out, store, keys, 'b0undary');
  const body = Buffer.concat(chunks).toString('latin1');
  const parts = body.split('--b0undary').slice(1, -1).map((p) => p.slice(p.indexOf('\r\n\r\n') + 4, -2));
  expect(parts).toHaveLength(40);
  parts.forEach((p, i) => expect(Buffer.from(p, 'latin1').equals(fs.readFileSync(path.join(dir, keys[i])))).toBe(true));
  expect(body.endsWith('--b0undary--\r\n')).toBe(true);
  // A pipeline per file left one more set of listeners on the response per part (Node warns past 10).
  expect(most).toBeLessThan(5);
  fs.rmSync(dir, { recursive: true, force: true });
});
