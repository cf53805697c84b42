/** SHA-256 of input files (file-hash.ts): in the hashing thread or on this one, it is the value `sha256sum` prints. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileHashes, hashFile, sha256File, stopHashThread } from '../../src/lineage/file-hash.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-file-hash-'));
afterAll(async () => {
  await stopHashThread();
  fs.rmSync(dir, { recursive: true, force: true });
});

// FIPS 180-2 test vectors: "abc", and a million "a" (several stream chunks at a small chunk size).
const ABC = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
const MILLION_A = 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0';
fs.writeFileSync(path.join(dir, 'abc.txt'), 'abc');
fs.writeFileSync(path.join(dir, 'a.txt'), 'a'.repeat(1_000_000));

it.each([
  ['in the hashing thread', hashFile],
  ['on this thread', sha256File],
])('%s, a file hashes to the standard value', async (_where, hash) => {
  expect(await hash(path.join(dir, 'abc.txt'))).toBe(ABC);
  expect(await hash(path.join(dir, 'a.txt'))).toBe(MILLION_A);
});

it('a file the hashing thread cannot read is refused with the reason', async () => {
  await expect(hashFile(path.join(dir, 'gone.json'))).rejects.toThrow(/ENOENT/);
});

it('FileHashes answers by base name, and nothing for a file it cannot read or was not given', async () => {
  const hashes = FileHashes.ofPaths([path.join(dir, 'abc.txt'), path.join(dir, 'gone.json'), path.join(dir, 'a.txt')]);
  expect(await hashes.get('abc.txt')).toBe(ABC);
  expect(await hashes.get('gone.json')).toBeUndefined();
  expect(await hashes.get('a.txt')).toBe(MILLION_A);
  expect(await hashes.get('other.json')).toBeUndefined();
});

it('hashes still come when the hashing thread stops with requests pending', async () => {
  const pending = [hashFile(path.join(dir, 'a.txt')), hashFile(path.join(dir, 'abc.txt'))];
  await stopHashThread();
  expect(await Promise.all(pending)).toEqual([MILLION_A, ABC]);
  expect(await hashFile(path.join(dir, 'abc.txt'))).toBe(ABC);
});
