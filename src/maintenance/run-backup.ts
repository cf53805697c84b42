/**
 * `$backup` / `medgen-data backup`: full, incremental, fhir or snapshot (the embedded store's database file,
 * restored without replaying versions; store/sqlite/snapshot.ts). A backup becomes visible only with its
 * manifest, written last (backup-area.ts), so a crash never leaves something that looks like a backup.
 * Retention runs after each successful backup.
 * A full or incremental backup first takes a history mark (ResourceStore.markHistory) and then reads the
 * versions committed up to it (after the parent's mark, for an incremental): whatever writers do meanwhile
 * and whatever their clocks say, a full backup and its incrementals hold every version committed before the
 * last one's mark, and the next incremental those committed since.
 */
import path from 'node:path';
import { badRequest, conflict } from '../fhir/outcomes.js';
import { type BackupArea, openBackupArea } from './backup-area.js';
import { backupTypeOf, newBackupId, SNAPSHOT_FILE, type BackupType } from './backup-ids.js';
import { listBackupIds, manifestText, readManifest, type BackupFile, type BackupManifest } from './backup-manifest.js';
import { applyRetention, parseKeep } from './backup-retention.js';
import { hashFile } from './gzip-ndjson.js';
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
async function parentOf(area: BackupArea): Promise<BackupManifest> {
  const id = (await listBackupIds(area)).filter((i) => ['full', 'incremental'].includes(backupTypeOf(i))).pop();
  if (!id) throw conflict('An incremental backup needs an earlier full backup; run a full backup first');
  return readManifest(area, id);
}

/** A fresh id; two backups within one millisecond get consecutive instants. */
async function reserve(area: BackupArea, type: BackupType): Promise<{ id: string; at: Date }> {
  for (let at = new Date(); ; at = new Date(at.getTime() + 1)) {
    const id = newBackupId(type, at);
    if (!(await area.exists(id))) return { id, at };
  }
}

const sum = (files: BackupFile[], key: 'versions' | 'current' | 'deletions') => files.reduce((n, f) => n + f[key], 0);

/** What a backup wrote: its files, the history mark it read up to (full, incremental), the schema (snapshot). */
interface Written {
  files: BackupFile[];
  mark?: string;
  schema?: number;
}

/** A snapshot of the embedded store into `dir`: its one file, and the schema it has. */
async function writeSnapshotFile(deps: MaintenanceDeps, dir: string): Promise<Written> {
  const { store } = deps;
  if (!store.writeSnapshot) throw badRequest(`A snapshot backup copies the embedded SQLite store's file; this store is ${store.kind}: use a full backup`, 'type');
  const file = path.join(dir, SNAPSHOT_FILE);
  const counts = await store.writeSnapshot(file);
  const { bytes, sha256 } = await hashFile(file);
  return { files: [{ resourceType: '*', file: SNAPSHOT_FILE, versions: counts.versions, current: counts.current, deletions: counts.deletions, bytes, sha256 }], schema: counts.schema };
}

/** The versions a full, incremental or fhir backup reads, written into `dir` (after a history mark for the first two). */
async function writeStoreFiles(deps: MaintenanceDeps, dir: string, type: BackupType, createdAt: string, parent?: BackupManifest): Promise<Written> {
  if (type === 'fhir') return { files: await writeFhirBundle(deps.store, dir, createdAt, deps.signal) };
  const mark = await deps.store.markHistory();
  return { mark, files: await writeVersionFiles(deps.store, dir, { after: parent?.mark, through: mark, signal: deps.signal, progress: deps.progress }) };
}

export async function runBackup(deps: MaintenanceDeps, options: BackupOptions): Promise<BackupResult> {
  const area = openBackupArea(deps.config);
  const keep = parseKeep(options.keep);
  const parent = options.type === 'incremental' ? await parentOf(area) : undefined;
  const { id, at } = await reserve(area, options.type);
  const staged = area.stage(id);
  const partial = staged.dir;
  try {
    const createdAt = at.toISOString();
    const { files, mark, schema }: Written =
      options.type === 'snapshot' ? await writeSnapshotFile(deps, partial) : await writeStoreFiles(deps, partial, options.type, createdAt, parent);
    const manifest: BackupManifest = {
      format: 2,
      id,
      type: options.type,
      createdAt,
      ...(mark === undefined ? {} : { mark }),
      ...(parent ? { ...(parent.mark === undefined ? {} : { after: parent.mark }), parent: parent.id, base: parent.base ?? parent.id } : {}),
      store: deps.store.kind,
      ...(schema === undefined ? {} : { schema }),
      counts: { versions: sum(files, 'versions'), current: sum(files, 'current'), deletions: sum(files, 'deletions') },
      files,
    };
    await staged.commit(manifestText(manifest));
    deps.logger?.info({ backup: id, versions: manifest.counts.versions, at: area.location }, 'backup written');
    return { manifest: await readManifest(area, id), removed: await applyRetention(area, keep) };
  } catch (err) {
    await staged.discard();
    throw err;
  }
}
