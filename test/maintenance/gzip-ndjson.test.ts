/** The backup gzip writer: members compressed in parallel, written in order, hashed as written. */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { GzipFileWriter, hashFile } from '../../src/maintenance/gzip-ndjson.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-gzip-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('a file of many members reads back as exactly the text written, in order, and its hash is of the file', async () => {
  const file = path.join(dir, 'Observation.ndjson.gz');
  const writer = new GzipFileWriter(file);
  const lines: string[] = [];
  // About 6 MB: six members or more, more than compress at once.
  for (let i = 0; i < 60_000; i++) lines.push(`${JSON.stringify({ id: `obs-${i}`, n: i, text: 'x'.repeat(i % 150) })}\n`);
  for (const line of lines) await writer.write(line);
  const { bytes, sha256 } = await writer.close();
  const raw = fs.readFileSync(file);
  expect(bytes).toBe(raw.length);
  expect(sha256).toBe(createHash('sha256').update(raw).digest('hex'));
  expect(await hashFile(file)).toEqual({ bytes, sha256 });
  let members = 0;
  for (let at = raw.indexOf(Buffer.from([0x1f, 0x8b, 0x08])); at >= 0; at = raw.indexOf(Buffer.from([0x1f, 0x8b, 0x08]), at + 1)) members++;
  expect(members).toBeGreaterThan(4);
  const text = lines.join('');
  expect(zlib.gunzipSync(raw).toString('utf8')).toBe(text);
  // The standard tool reads every member too.
  expect(execFileSync('gzip', ['-dc', file], { maxBuffer: 64 << 20 }).toString('utf8')).toBe(text);
});

test('a file that already exists is refused, not overwritten', async () => {
  const file = path.join(dir, 'exists.ndjson.gz');
  fs.writeFileSync(file, 'keep');
  const writer = new GzipFileWriter(file);
  await writer.write('{"a":1}\n');
  await expect(writer.close()).rejects.toThrow(/EEXIST/);
  expect(fs.readFileSync(file, 'utf8')).toBe('keep');
});
