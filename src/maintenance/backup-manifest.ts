/**
 * The manifest of a backup: what each file holds, its size and SHA-256, and the history marks that chain
 * incrementals together (ResourceStore.markHistory: positions in the store's commit order, not instants, so
 * a version a writer stamped before a backup began but committed after it read past is still in the next
 * incremental). The manifest carries a checksum of itself, so one changed byte anywhere in a backup, the
 * manifest included, fails verification.
 */
import { createHash } from 'node:crypto';
import { notFound, unprocessable } from '../fhir/outcomes.js';
import { type BackupArea, MANIFEST_FILE } from './backup-area.js';
import type { BackupType } from './backup-ids.js';

export { MANIFEST_FILE } from './backup-area.js';

export interface BackupFile {
  /** The type the file holds; `*` for a snapshot's database file, which holds every type. */
  resourceType: string;
  file: string;
  /** Lines: versions (tombstones included), or for a `fhir` backup the Bundle entries. */
  versions: number;
  /** Resources whose newest version in this file is live. */
  current: number;
  deletions: number;
  bytes: number;
  sha256: string;
}

export interface BackupManifest {
  /** 2 since backups chain by mark; format 1 chained by instant (`until`, `since`), which restore ignores. */
  format: 1 | 2;
  id: string;
  type: BackupType;
  createdAt: string;
  /**
   * Full and incremental backups: the history mark taken before reading began. The backup holds the versions
   * committed before it (incrementals: since their parent's), the next incremental those committed after it.
   * Absent in format 1, so an incremental continuing such a backup holds every version.
   */
  mark?: string;
  /** Incrementals: the parent's mark, when it has one; they hold the versions committed after it. */
  after?: string;
  /** Incrementals: the backup this one continues, and the full backup the chain starts with. */
  parent?: string;
  base?: string;
  store: string;
  /** Snapshots: the schema version of the database file, which only a store of that schema restores. */
  schema?: number;
  counts: { versions: number; current: number; deletions: number };
  files: BackupFile[];
  manifestSha256?: string;
}

const digest = (m: Omit<BackupManifest, 'manifestSha256'>) => createHash('sha256').update(JSON.stringify(m)).digest('hex');

/** The manifest's text, with its own checksum. */
export function manifestText(manifest: BackupManifest): string {
  const { manifestSha256: _old, ...body } = manifest;
  return `${JSON.stringify({ ...body, manifestSha256: digest(body) }, null, 1)}\n`;
}

/** The manifest of backup `id`: 404 when there is none, 422 when it is unreadable or its checksum differs. */
export async function readManifest(area: BackupArea, id: string): Promise<BackupManifest> {
  const text = await area.text(id, MANIFEST_FILE);
  if (text === null) throw notFound(`No backup ${id}`);
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(text) as BackupManifest;
  } catch {
    throw unprocessable(`Backup ${id}: ${MANIFEST_FILE} is not valid JSON`);
  }
  const { manifestSha256, ...body } = manifest;
  if (manifestSha256 !== digest(body) || manifest.id !== id) throw unprocessable(`Backup ${id}: ${MANIFEST_FILE} checksum mismatch`);
  return manifest;
}

/** Ids of the complete backups (those with a manifest), oldest first. */
export function listBackupIds(area: BackupArea): Promise<string[]> {
  return area.ids();
}
