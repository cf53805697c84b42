/**
 * Retention: keep the newest N full backups with the incrementals built on them, and the newest N `fhir` and
 * `snapshot` backups; delete the rest. An incremental is useless without its full backup, so it goes with it.
 */
import { badRequest } from '../fhir/outcomes.js';
import type { BackupArea } from './backup-area.js';
import { backupTypeOf } from './backup-ids.js';
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
export async function applyRetention(area: BackupArea, keep: number): Promise<string[]> {
  const ids = await listBackupIds(area);
  const newest = (type: string) => ids.filter((id) => backupTypeOf(id) === type).slice(-keep);
  const keptFull = new Set(newest('full'));
  const keptFhir = new Set(newest('fhir'));
  const keptSnapshots = new Set(newest('snapshot'));
  const removed: string[] = [];
  for (const id of ids) {
    const type = backupTypeOf(id);
    if (type === 'full' ? !keptFull.has(id) : type === 'fhir' ? !keptFhir.has(id) : type === 'snapshot' ? !keptSnapshots.has(id) : await baseDropped(area, id, keptFull)) removed.push(id);
  }
  for (const id of removed) await area.remove(id);
  return removed;
}

async function baseDropped(area: BackupArea, incremental: string, keptFull: Set<string>): Promise<boolean> {
  try {
    return !keptFull.has((await readManifest(area, incremental)).base ?? '');
  } catch {
    return false; // a damaged incremental is left for a person to look at, not silently deleted
  }
}
