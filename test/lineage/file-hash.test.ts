/** SHA-256 of input files (file-hash.ts): read whole or streamed, it is the value `sha256sum` prints. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileHashes, sha256File } from '../../src/lineage/file-hash.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-file-hash-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// FIPS 180-2 test vectors: "abc", and a million "a" (several stream chunks).
const ABC = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
const MILLION_A = 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0';

it.each([
  ['read whole', Infinity],
  ['streamed', 0],
])('%s, a file hashes to the standard value', async (_how, wholeFileMax) => {
  fs.writeFileSync(path.join(dir, 'abc.txt'), 'abc');
  fs.writeFileSync(path.join(dir, 'a.txt'), 'a'.repeat(1_000_000));
  expect(await sha256File(path.join(dir, 'abc.txt'), wholeFileMax)).toBe(ABC);
  expect(await sha256File(path.join(dir, 'a.txt'), wholeFileMax)).toBe(MILLION_A);
});

it('FileHashes answers by base name, and nothing for a file it cannot read or was not given', async () => {
  fs.writeFileSync(path.join(dir, 'abc.txt'), 'abc');
  const hashes = FileHashes.ofPaths([path.join(dir, 'abc.txt'), path.join(dir, 'gone.json')]);
  expect(await hashes.get('abc.txt')).toBe(ABC);
  expect(await hashes.get('gone.json')).toBeUndefined();
  expect(await hashes.get('other.json')).toBeUndefined();
});
