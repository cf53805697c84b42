/** Streaming a backup file back into version records: batches, long lines, multibyte text, damaged files. */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { BackupFile } from '../../src/maintenance/backup-manifest.js';
import { GzipFileWriter } from '../../src/maintenance/gzip-ndjson.js';
import { versionBatches } from '../../src/maintenance/read-version-lines.js';
import { versionLine } from '../../src/maintenance/write-version-files.js';
import type { RawVersionRecord } from '../../src/store/resource-store.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-version-lines-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const record = (id: string, versionId: number, text: string | null): RawVersionRecord => ({
  resourceType: 'Patient',
  id,
  versionId: String(versionId),
  lastUpdated: new Date(Date.UTC(2026, 0, 1, 0, 0, versionId)).toISOString(),
  deleted: text === null,
  json: text === null ? null : JSON.stringify({ resourceType: 'Patient', id, meta: { versionId: String(versionId) }, name: [{ text }] }),
});

async function writeFile(name: string, records: RawVersionRecord[]): Promise<BackupFile> {
  const writer = new GzipFileWriter(path.join(dir, name));
  for (const r of records) await writer.write(versionLine(r));
  const { bytes, sha256 } = await writer.close();
  return { resourceType: 'Patient', file: name, versions: records.length, current: 0, deletions: 0, bytes, sha256 };
}

/** Opens the file from the test folder, as the backup area would. */
const opener = (f: BackupFile) => async () => fs.createReadStream(path.join(dir, f.file));

async function readAll(f: BackupFile, size: number): Promise<RawVersionRecord[][]> {
  const batches: RawVersionRecord[][] = [];
  for await (const batch of versionBatches(opener(f), f, size)) batches.push(batch);
  return batches;
}

/** 40 resources of 1 to 3 versions, some deleted, names of multibyte characters, one resource of about 2 MB. */
function history(): RawVersionRecord[] {
  const records: RawVersionRecord[] = [];
  for (let i = 0; i < 40; i++) {
    const versions = 1 + (i % 3);
    for (let v = 1; v <= versions; v++) {
      const deleted = i % 7 === 0 && v === versions && v > 1;
      records.push(record(`p${i}`, v, deleted ? null : `Zoë 🩺 ${'ñ'.repeat(i * 50)} ${v}`));
    }
  }
  records.push(record('big', 1, `${'🩺é'.repeat(700_000)}`));
  return records;
}

describe('versionBatches', () => {
  it('reads back every record as written, in batches that never split a resource, across chunk boundaries', async () => {
    const records = history();
    const f = await writeFile('Patient.ndjson.gz', records);
    const batches = await readAll(f, 10);
    expect(batches.flat()).toEqual(records);
    expect(batches.length).toBeGreaterThan(3);
    for (const [i, batch] of batches.entries()) {
      if (i < batches.length - 1) expect(batch.length).toBeGreaterThanOrEqual(10);
      const next = batches[i + 1]?.[0];
      if (next) expect(next.id).not.toBe(batch[batch.length - 1].id);
    }
  });

  it('a file whose bytes differ from the manifest fails at its end, its last batch never handed out', async () => {
    const records = history();
    const f = await writeFile('changed.ndjson.gz', records);
    const seen: RawVersionRecord[] = [];
    const read = async () => {
      for await (const batch of versionBatches(opener(f), { ...f, sha256: createHash('sha256').update('other').digest('hex') }, 10)) seen.push(...batch);
    };
    await expect(read()).rejects.toMatchObject({ status: 422, message: expect.stringMatching(/changed\.ndjson\.gz changed after verification/) });
    expect(seen.length).toBeLessThan(records.length);
  });

  it('a line that is not a version record fails with the file and line number', async () => {
    const name = 'bad-line.ndjson.gz';
    const text = `${versionLine(record('a', 1, 'A'))}{"resourceType":"Patient","id":"b","resource":{"trunc\n${versionLine(record('c', 1, 'C'))}`;
    const raw = zlib.gzipSync(text);
    fs.writeFileSync(path.join(dir, name), raw);
    const f: BackupFile = { resourceType: 'Patient', file: name, versions: 3, current: 0, deletions: 0, bytes: raw.length, sha256: createHash('sha256').update(raw).digest('hex') };
    await expect(readAll(f, 10)).rejects.toMatchObject({ status: 422, message: `${name} line 2 is not a version record` });
  });

  it('a truncated gzip file fails as unreadable, naming the file', async () => {
    const name = 'truncated.ndjson.gz';
    const raw = zlib.gzipSync(history().map(versionLine).join('')).subarray(0, 5000);
    fs.writeFileSync(path.join(dir, name), raw);
    const f: BackupFile = { resourceType: 'Patient', file: name, versions: 0, current: 0, deletions: 0, bytes: raw.length, sha256: createHash('sha256').update(raw).digest('hex') };
    await expect(readAll(f, 10)).rejects.toMatchObject({ status: 422, message: expect.stringMatching(/^truncated\.ndjson\.gz cannot be read: /) });
  });
});
