/**
 * `$restore` / `medgen-data restore <id>`: the full backup an id starts from and every incremental up to
 * the id, replayed in order into an empty store. Nothing is written until every file of the chain has
 * passed verification and the emptiness check; a store with content is refused unless `replace` is set.
 */
import path from 'node:path';
import { badRequest, conflict, unprocessable } from '../fhir/outcomes.js';
import type { ResourceStore, VersionRecord } from '../store/resource-store.js';
import { backupDir, backupTypeOf } from './backup-ids.js';
import { readManifest, type BackupFile, type BackupManifest } from './backup-manifest.js';
import { readGzipFile } from './gzip-ndjson.js';
import type { MaintenanceDeps } from './maintenance-deps.js';
import { replayOpener } from './replay-store.js';
import { replayVersions } from './replay-versions.js';
import { assertVerified } from './verify-backup.js';

export interface RestoreResult {
  backups: string[];
  versions: number;
  skipped: number;
  byType: Record<string, number>;
}

/** The chain ending at `id`, full backup first. */
function chainOf(dataDir: string, id: string): BackupManifest[] {
  if (backupTypeOf(id) === 'fhir') throw badRequest(`Backup ${id} is a FHIR Bundle export; load it with \`medgen-data import\``, 'backup');
  const chain = [readManifest(dataDir, id)];
  while (chain[0].type === 'incremental') chain.unshift(readManifest(dataDir, chain[0].parent!));
  return chain;
}

/** Whether the store holds anything a restore would collide with, tombstones included. */
async function hasContent(store: ResourceStore, types: string[]): Promise<boolean> {
  if (Object.keys(await store.countByType()).length > 0) return true;
  for (const type of types) for await (const _ of store.streamHistory(type)) return true;
  return false;
}

function readRecords(dir: string, f: BackupFile): VersionRecord[] {
  const { text, sha256 } = readGzipFile(path.join(dir, path.basename(f.file)));
  // Checked again on the bytes actually read, so a file changed after verification is never replayed.
  if (sha256 !== f.sha256) throw unprocessable(`${f.file} changed after verification`);
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => JSON.parse(line) as VersionRecord);
}

/** Drops versions an earlier backup of the chain already held (an incremental starts at its parent's start instant). */
async function newVersions(store: ResourceStore, records: VersionRecord[]): Promise<VersionRecord[]> {
  const have = new Map<string, number>();
  for (const v of records) {
    if (have.has(v.id)) continue;
    const history = await store.history(v.resourceType, v.id).catch(() => []);
    have.set(v.id, history.length ? Number(history[0].versionId) : 0);
  }
  return records.filter((v) => Number(v.versionId) > have.get(v.id)!);
}

export async function restoreBackup(deps: MaintenanceDeps, options: { id: string; replace?: boolean }): Promise<RestoreResult> {
  const { dataDir } = deps.config;
  const chain = chainOf(dataDir, options.id);
  await assertVerified(dataDir, chain.map((m) => m.id));
  const types = [...new Set(chain.flatMap((m) => m.files.map((f) => f.resourceType)))];
  if (await hasContent(deps.store, types)) {
    if (!options.replace) throw conflict('The store is not empty; restore refuses to overwrite it unless asked to replace its content');
    await deps.store.clear();
  }
  const open = replayOpener(deps);
  let versions = 0;
  let skipped = 0;
  for (const manifest of chain) {
    const dir = backupDir(dataDir, manifest.id);
    for (const f of manifest.files) {
      const all = readRecords(dir, f);
      const records = manifest.type === 'incremental' ? await newVersions(deps.store, all) : all;
      skipped += all.length - records.length;
      versions += await replayVersions(open, records, deps.signal);
      deps.progress?.(versions);
    }
  }
  deps.logger?.info({ backup: options.id, versions }, 'backup restored');
  return { backups: chain.map((m) => m.id), versions, skipped, byType: await deps.store.countByType() };
}
