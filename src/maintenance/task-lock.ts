/**
 * One maintenance run at a time, across processes: a lock file created with O_EXCL (`wx`) under the data
 * directory, which every process using the embedded store shares. A lock left by a process that died on
 * this host is taken over; one from another host is left alone (its owner cannot be checked from here).
 * MongoDB deployments need the same guarantee across machines: see the note in the report (a `locks`
 * collection with a unique _id and a lease), which the MongoDB store does not offer yet.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { conflict } from '../fhir/outcomes.js';

export const LOCK_FILE = 'maintenance.lock';

interface LockOwner {
  pid: number;
  host: string;
  task: string;
  since: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(file: string): LockOwner | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as LockOwner;
  } catch {
    return undefined;
  }
}

/** Takes the lock for `task` or throws 409 naming the task that holds it; the result releases it. */
export function acquireLock(dataDir: string, task: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE);
  const me: LockOwner = { pid: process.pid, host: os.hostname(), task, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(me), { flag: 'wx' });
      return () => {
        if (readOwner(file)?.since === me.since && readOwner(file)?.pid === me.pid) fs.rmSync(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = readOwner(file);
      const stale = owner && owner.host === me.host && owner.pid !== process.pid && !alive(owner.pid);
      if (!stale) throw conflict(`Maintenance task ${owner?.task ?? 'unknown'} is already running (since ${owner?.since ?? '?'}); ${task} was not started`);
      fs.rmSync(file, { force: true });
    }
  }
  throw conflict(`Could not take the maintenance lock for ${task}`);
}
