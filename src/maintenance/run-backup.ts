/**
 * `$backup` / `medgen-data backup`: full, incremental or fhir. A backup is written into `<id>.partial`
 * and renamed once its manifest is complete, so a crash never leaves something that looks like a backup.
 * Retention runs after each successful backup.
 * A full or incremental backup first takes a history mark (ResourceStore.markHistory) and then reads the
 * versions committed up to it (after the parent's mark, for an incremental): whatever writers do meanwhile
 * and whatever their clocks say, a full backup and its incrementals hold every version committed before the
 * last one's mark, and the next incremental those committed since.
 */
import fs from 'node:fs';
import path from 'node:path';
import { conflict } from '../fhir/outcomes.js';
import { backupDir, backupTypeOf, newBackupId, type BackupType } from './backup-ids.js';
import { listBackupIds, readManifest, writeManifest, type BackupFile, type BackupManifest } from './backup-manifest.js';
import { applyRetention, parseKeep } from './backup-retention.js';
import type { MaintenanceDeps } from './maintenance-deps.js';
import { writeFhirBundle } from './write-fhir-bundle.js';
import { writeVersionFiles } from './write-version-files.js';

export interface BackupOptions {
  type: BackupType;
  /** Full backups to keep (MEDGEN_BACKUP_KEEP, default 7). */
  keep?: number;
}

export interface BackupResult {
  manifest: BackupManifest;
  removed: string[];
}

/** The newest full or incremental backup: what an incremental continues. */
function parentOf(dataDir: string): BackupManifest {
  const id = listBackupIds(dataDir).filter((i) => backupTypeOf(i) !== 'fhir').pop();
  if (!id) throw conflict('An incremental backup needs an earlier full backup; run a full backup first');
  return readManifest(dataDir, id);
}

/** A fresh id; two backups within one millisecond get consecutive instants. */
function reserve(dataDir: string, type: BackupType): { id: string; at: Date; partial: string } {
  for (let at = new Date(); ; at = new Date(at.getTime() + 1)) {
    const id = newBackupId(type, at);
    if (fs.existsSync(backupDir(dataDir, id))) continue;
    const partial = `${backupDir(dataDir, id)}.partial`;
    fs.mkdirSync(path.dirname(partial), { recursive: true });
    fs.rmSync(partial, { recursive: true, force: true });
    fs.mkdirSync(partial);
    return { id, at, partial };
  }
}

const sum = (files: BackupFile[], key: 'versions' | 'current' | 'deletions') => files.reduce((n, f) => n + f[key], 0);

export async function runBackup(deps: MaintenanceDeps, options: BackupOptions): Promise<BackupResult> {
  const { dataDir } = deps.config;
  const keep = parseKeep(options.keep);
  const parent = options.type === 'incremental' ? parentOf(dataDir) : undefined;
  const { id, at, partial } = reserve(dataDir, options.type);
  try {
    const createdAt = at.toISOString();
    const mark = options.type === 'fhir' ? undefined : await deps.store.markHistory();
    const files =
      mark === undefined
        ? await writeFhirBundle(deps.store, partial, createdAt, deps.signal)
        : await writeVersionFiles(deps.store, partial, { after: parent?.mark, through: mark, signal: deps.signal, progress: deps.progress });
    const manifest: BackupManifest = {
      format: 2,
      id,
      type: options.type,
      createdAt,
      ...(mark === undefined ? {} : { mark }),
      ...(parent ? { ...(parent.mark === undefined ? {} : { after: parent.mark }), parent: parent.id, base: parent.base ?? parent.id } : {}),
      store: deps.store.kind,
      counts: { versions: sum(files, 'versions'), current: sum(files, 'current'), deletions: sum(files, 'deletions') },
      files,
    };
    writeManifest(partial, manifest);
    fs.renameSync(partial, backupDir(dataDir, id));
    deps.logger?.info({ backup: id, versions: manifest.counts.versions }, 'backup written');
    return { manifest: readManifest(dataDir, id), removed: applyRetention(dataDir, keep) };
  } catch (err) {
    fs.rmSync(partial, { recursive: true, force: true });
    throw err;
  }
}
