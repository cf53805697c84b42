/**
 * Backup ids and folders. An id is the creation instant plus the type (`20240102T030405678Z-full`), so
 * sorting ids sorts backups by age, and the strict pattern is what keeps a request-supplied id such as
 * `../x` from ever naming a path outside `<data dir>/backups`.
 */
import path from 'node:path';
import { badRequest } from '../fhir/outcomes.js';

export type BackupType = 'full' | 'incremental' | 'fhir' | 'snapshot';
export const BACKUP_TYPES: readonly BackupType[] = ['full', 'incremental', 'fhir', 'snapshot'];

export const BACKUP_ID = /^\d{8}T\d{9}Z-(full|incremental|fhir|snapshot)$/;

export function parseBackupType(raw: unknown): BackupType {
  if (raw === undefined || raw === null || raw === '') return 'full';
  if (typeof raw === 'string' && (BACKUP_TYPES as string[]).includes(raw)) return raw as BackupType;
  throw badRequest(`Unknown backup type ${JSON.stringify(raw)}: use ${BACKUP_TYPES.join(' | ')}`, 'type');
}

/** The id for a backup started at `at`. */
export function newBackupId(type: BackupType, at: Date): string {
  return `${at.toISOString().replace(/[-:.]/g, '')}-${type}`;
}

/** The id when it has the backup id shape; 400 otherwise (path separators, `..`, anything else). */
export function assertBackupId(id: unknown): string {
  if (typeof id !== 'string' || !BACKUP_ID.test(id)) {
    throw badRequest(`Invalid backup id ${JSON.stringify(String(id).slice(0, 80))}: expected e.g. 20240102T030405678Z-full`, 'backup');
  }
  return id;
}

export const backupTypeOf = (id: string): BackupType => assertBackupId(id).split('-')[1] as BackupType;


/** The one file of a snapshot backup: the embedded store's database. */
export const SNAPSHOT_FILE = 'store.sqlite';

/** The folder of backup `id` in a data folder's own backups (the local layout, `<data dir>/backups/<id>`). */
export const backupDir = (dataDir: string, id: string): string => path.join(dataDir, 'backups', assertBackupId(id));
