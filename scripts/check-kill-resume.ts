/**
 * Acceptance check: an import killed with SIGKILL mid-way and run again ends in exactly the state of an
 * uninterrupted import (every resource's content and version; lastUpdated aside).
 *   node --import tsx scripts/check-kill-resume.ts ../shared/data/synthea [kill-after-ms]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSqliteStore } from '../src/store/sqlite/sqlite-store.js';

const source = process.argv[2];
const killAfter = Number(process.argv[3] ?? 2500);
if (!source || !fs.existsSync(source)) {
  process.stderr.write('usage: check-kill-resume.ts <folder of bundles> [kill-after-ms]\n');
  process.exit(2);
}
const bin = path.resolve('bin/medgen-data.js');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-kill-'));

function importInto(dataDir: string, killMs?: number): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, 'import', source, '--data-dir', dataDir, '--json'], { stdio: 'ignore' });
    const timer = killMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(signal === 'SIGKILL' ? -9 : code);
    });
  });
}

async function snapshot(dataDir: string): Promise<Map<string, string>> {
  const store = createSqliteStore({ path: path.join(dataDir, 'medgen.sqlite') });
  const state = new Map<string, string>();
  for (const type of Object.keys(await store.countByType())) {
    for await (const r of store.stream(type)) {
      const { lastUpdated: _l, ...meta } = r.meta;
      state.set(`${type}/${r.id}`, JSON.stringify({ ...r, meta }));
    }
  }
  await store.close();
  return state;
}

const whole = path.join(work, 'whole');
const killed = path.join(work, 'killed');
process.stdout.write(`uninterrupted import: exit ${await importInto(whole)}\n`);
process.stdout.write(`killed import: ${(await importInto(killed, killAfter)) === -9 ? 'killed' : 'finished before the kill (use a smaller kill-after-ms)'}\n`);
process.stdout.write(`partial state: ${(await snapshot(killed)).size} resources\n`);
process.stdout.write(`import run again: exit ${await importInto(killed)}\n`);
const [a, b] = [await snapshot(whole), await snapshot(killed)];
const differing = [...a.keys()].filter((k) => a.get(k) !== b.get(k));
const extra = [...b.keys()].filter((k) => !a.has(k));
process.stdout.write(`${a.size} resources uninterrupted, ${b.size} after kill and re-run; ${differing.length} differ, ${extra.length} extra\n`);
for (const k of [...differing, ...extra].slice(0, 10)) process.stdout.write(`  ${k}\n`);
fs.rmSync(work, { recursive: true, force: true });
process.exit(differing.length === 0 && extra.length === 0 ? 0 : 1);
