/**
 * Retention: keep the newest N full backups with the incrementals built on them, and the newest N `fhir` and
 * `snapshot` backups; delete the rest. An incremental is useless without its full backup, so it goes with it.
 */
import fs from 'node:fs';
import { badRequest } from '../fhir/outcomes.js';
import { backupDir, backupTypeOf } from './backup-ids.js';
import { listBackupIds, readManifest } from './backup-manifest.js';

export const DEFAULT_KEEP = 7;

/** N from `--keep` or MEDGEN_BACKUP_KEEP; a positive integer. */
export function parseKeep(raw: unknown, env: NodeJS.ProcessEnv = process.env): number {
  const value = raw ?? env.MEDGEN_BACKUP_KEEP;
  if (value === undefined || value === '') return DEFAULT_KEEP;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw badRequest(`keep (MEDGEN_BACKUP_KEEP) must be a positive integer, got ${JSON.stringify(value)}`, 'keep');
  return n;
}

/** Deletes what retention drops; the removed ids, oldest first. */
export function applyRetention(dataDir: string, keep: number): string[] {
  const ids = listBackupIds(dataDir);
  const newest = (type: string) => ids.filter((id) => backupTypeOf(id) === type).slice(-keep);
  const keptFull = new Set(newest('full'));
  const keptFhir = new Set(newest('fhir'));
  const keptSnapshots = new Set(newest('snapshot'));
  const removed = ids.filter((id) => {
    const type = backupTypeOf(id);
    if (type === 'full') return !keptFull.has(id);
    if (type === 'fhir') return !keptFhir.has(id);
    if (type === 'snapshot') return !keptSnapshots.has(id);
    try {
      return !keptFull.has(readManifest(dataDir, id).base ?? '');
    } catch {
      return false; // a damaged incremental is left for a person to look at, not silently deleted
    }
  });
  for (const id of removed) fs.rmSync(backupDir(dataDir, id), { recursive: true, force: true });
  return removed;
}
