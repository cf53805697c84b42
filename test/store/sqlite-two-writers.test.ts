/**
 * Two processes writing one SQLite file at once (several CLI runs, or a server and a cron task, on one data
 * directory) each wait for the other's write instead of failing with "database is locked": write
 * transactions begin IMMEDIATE, so the busy timeout applies (a deferred one that reads first cannot wait).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const store = path.resolve('src/store/sqlite/sqlite-store.ts');

/** A process that puts `count` Patients one by one and prints how many puts failed. */
function writer(file: string, name: string, count: number): Promise<number> {
  const script = `
    const { createSqliteStore } = await import(${JSON.stringify(store)});
    const s = await createSqliteStore({ path: ${JSON.stringify(file)} });
    let failed = 0;
    for (let i = 0; i < ${count}; i++) {
      try { await s.update({ resourceType: 'Patient', id: '${name}-' + i, gender: 'male' }); } catch { failed++; }
    }
    await s.close();
    process.stdout.write(String(failed));`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(Number(out)) : reject(new Error(`writer ${name} exited ${code}`))));
  });
}

test('two processes putting into one SQLite file at once both succeed on every write', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-two-writers-'));
  const file = path.join(dir, 'medgen.sqlite');
  try {
    expect(await Promise.all([writer(file, 'a', 300), writer(file, 'b', 300)])).toEqual([0, 0]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
