/**
 * Background checkpoints (checkpoint-thread.ts): the decision from the wal-index counters, and a real store whose
 * WAL is copied back by the thread while its writer goes on, SQLite's own checkpoint being far off (256 MB).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Resource } from 'fhir/r4.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { checkpointDue, WAL_INDEX_HEADER_BYTES, walProgress, type WalWatch } from '../../src/store/sqlite/wal-index.mjs';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-checkpoint-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const LIMITS = { frames: 100, idleMs: 1000 };

describe('checkpointDue', () => {
  const watch = (): WalWatch => ({ lastFrames: -1, quietSince: 0 });

  it('is due once the uncopied frames reach the limit, however busy the writer', () => {
    const w = watch();
    expect(checkpointDue({ frames: 99, backfilled: 0 }, w, 10, LIMITS)).toBe(false);
    expect(checkpointDue({ frames: 150, backfilled: 60 }, w, 20, LIMITS)).toBe(false);
    expect(checkpointDue({ frames: 160, backfilled: 60 }, w, 30, LIMITS)).toBe(true);
  });

  it('is due for fewer frames only after the writer has been quiet for idleMs', () => {
    const w = watch();
    expect(checkpointDue({ frames: 5, backfilled: 0 }, w, 1000, LIMITS)).toBe(false);
    expect(checkpointDue({ frames: 5, backfilled: 0 }, w, 1999, LIMITS)).toBe(false);
    expect(checkpointDue({ frames: 5, backfilled: 0 }, w, 2000, LIMITS)).toBe(true);
    expect(checkpointDue({ frames: 6, backfilled: 0 }, w, 2500, LIMITS)).toBe(false);
  });

  it('is never due when everything is copied back', () => {
    const w = watch();
    expect(checkpointDue({ frames: 500, backfilled: 500 }, w, 0, LIMITS)).toBe(false);
    expect(checkpointDue({ frames: 500, backfilled: 500 }, w, 60_000, LIMITS)).toBe(false);
  });
});

describe('walProgress', () => {
  it('reads mxFrame and nBackfill from their places in the header', () => {
    const header = Buffer.alloc(WAL_INDEX_HEADER_BYTES);
    header.writeUInt32LE(1234, 16);
    header.writeUInt32LE(1000, 96);
    expect(walProgress(header)).toEqual({ frames: 1234, backfilled: 1000 });
  });

  it('gives nothing for a short read', () => {
    expect(walProgress(Buffer.alloc(40))).toBeUndefined();
  });
});

const progressOf = (file: string) => walProgress(fs.readFileSync(`${file}-shm`).subarray(0, WAL_INDEX_HEADER_BYTES))!;

async function until(check: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 25))) if (check()) return true;
  return check();
}

describe('a store file', () => {
  it('has its WAL copied back by the thread while a bulk write goes on', async () => {
    const file = path.join(dir, 'bulk.sqlite');
    const store = createSqliteStore({ path: file });
    const text = 'x'.repeat(50_000);
    let copiedDuringWrites = false;
    try {
      // Up to 160 MB of Patients in writes a few ms apart: past the thread's 32 MB, below the writer's 256 MB, and
      // never a second's pause, so only the thread's threshold can have the WAL copied back meanwhile.
      for (let batch = 0; batch < 64 && !copiedDuringWrites; batch++) {
        await store.write(Array.from({ length: 50 }, (_, i) => ({ op: 'put' as const, resource: { resourceType: 'Patient' as const, id: `p${batch}-${i}`, text: { status: 'generated' as const, div: `<div xmlns="http://www.w3.org/1999/xhtml">${text}</div>` } } })));
        copiedDuringWrites = progressOf(file).backfilled > 0;
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(copiedDuringWrites).toBe(true);
      expect((await store.read('Patient', 'p0-0')).id).toBe('p0-0');
    } finally {
      await store.close();
    }
  });

  it('has the tail of a write copied back once the writer is quiet, and no WAL left after close', async () => {
    const file = path.join(dir, 'tail.sqlite');
    const store = createSqliteStore({ path: file });
    try {
      await store.create({ resourceType: 'Patient', gender: 'female' } as Resource);
      expect(progressOf(file).frames).toBeGreaterThan(0);
      expect(await until(() => { const p = progressOf(file); return p.frames > 0 && p.backfilled === p.frames; }, 5000)).toBe(true);
    } finally {
      await store.close();
    }
    // The thread closed its connection first, so the store's was the last: it checkpointed and removed the WAL.
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
  });
});
