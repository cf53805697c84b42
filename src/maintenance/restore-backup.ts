/**
 * `$restore` / `medgen-data restore <id>`: a snapshot is handed to the embedded store, which puts a copy of
 * it in place of its file in one rename (store/sqlite/snapshot.ts). Otherwise the full backup an id starts from and every
 * incremental up to the id, written type by type into an empty store; the chain's files of a type are merged so that each
 * version is written once, from the latest backup holding it (chain-versions.ts). Nothing is written until
 * every file of the chain has passed verification and the emptiness check; a store with content is refused
 * unless `replace` is set. Versions go back through the store's restoreVersions, exactly as recorded
 * (versionId, lastUpdated, JSON text), one transaction per batch, with only each resource's current version
 * indexed. Files are streamed, so memory holds a batch per file whatever the backups' sizes; a restore that
 * fails part-way leaves the store empty.
 */
import { badRequest, conflict, unprocessable } from '../fhir/outcomes.js';
import { heapCollector } from '../import/heap-collector.js';
import type { ResourceStore, SnapshotDigest } from '../store/resource-store.js';
import { type BackupArea, openBackupArea } from './backup-area.js';
import { backupTypeOf, SNAPSHOT_FILE } from './backup-ids.js';
import { typesWithHistory } from './backup-types.js';
import { readManifest, type BackupManifest } from './backup-manifest.js';
import { chainBatches, type ChainFile } from './chain-versions.js';
import type { MaintenanceDeps } from './maintenance-deps.js';
import { assertVerified } from './verify-backup.js';

/** Versions per restoreVersions call (one transaction): large enough to amortise the commit. */
const BATCH = 5000;

/**
 * JSON text restored between two full collections, once this much has been restored (heap-collector.ts):
 * restoring a 670 MB file, V8 let garbage grow the heap to 475 MB (642 MB RSS); collecting every 64M
 * characters kept it at 210 MB (407 MB RSS), about what one batch of such large resources holds. Smaller
 * restores never collect, so they keep V8's faster, larger heap.
 */
const COLLECT_EVERY_CHARS = 64 << 20;
const COLLECT_FROM_CHARS = 128 << 20;

export interface RestoreResult {
  backups: string[];
  versions: number;
  skipped: number;
  byType: Record<string, number>;
}

/** The chain ending at `id`, full backup first. */
async function chainOf(area: BackupArea, id: string): Promise<BackupManifest[]> {
  if (backupTypeOf(id) === 'fhir') throw badRequest(`Backup ${id} is a FHIR Bundle export; load it with \`medgen-data import\``, 'backup');
  const chain = [await readManifest(area, id)];
  while (chain[0].type === 'incremental') chain.unshift(await readManifest(area, chain[0].parent!));
  return chain;
}

/** Whether the store holds anything a restore would collide with, tombstones included. */
async function hasContent(store: ResourceStore, types: string[]): Promise<boolean> {
  if (Object.keys(await store.countByType()).length > 0) return true;
  for (const type of types) for await (const _ of store.streamHistory(type)) return true;
  return false;
}

/** The chain's files of one type, oldest backup first. */
function filesOf(area: BackupArea, chain: BackupManifest[], type: string): ChainFile[] {
  const open = (id: string, file: string) => async () => {
    const body = await area.open(id, file);
    if (body === null) throw unprocessable(`Backup ${id}: ${file} disappeared after verification`);
    return body;
  };
  return chain.flatMap((m) => m.files.filter((f) => f.resourceType === type).map((file) => ({ open: open(m.id, file.file), file })));
}

/** Throws 422, as verification does, when the copied snapshot is not the file its manifest describes. */
function checkCopied(manifest: BackupManifest, copied: SnapshotDigest): void {
  const entry = manifest.files.find((f) => f.file === SNAPSHOT_FILE);
  const problem =
    entry === undefined ? `the manifest lists no ${SNAPSHOT_FILE}`
    : copied.bytes !== entry.bytes ? `${SNAPSHOT_FILE}: ${copied.bytes} bytes, manifest says ${entry.bytes}`
    : copied.sha256 !== entry.sha256 ? `${SNAPSHOT_FILE}: SHA-256 ${copied.sha256} differs from the manifest's ${entry.sha256}`
    : undefined;
  if (problem) throw unprocessable(`Backup ${manifest.id} failed verification, nothing was restored: ${problem}`);
}

/** A snapshot back into the embedded store it was taken of (or one of the same schema), once its checksum holds. */
async function restoreSnapshot(deps: MaintenanceDeps, id: string, replace: boolean): Promise<RestoreResult> {
  const { store } = deps;
  if (!store.restoreSnapshot) throw badRequest(`Backup ${id} is a snapshot of the embedded SQLite store; this store is ${store.kind}: restore a full backup`, 'backup');
  const area = openBackupArea(deps.config);
  const manifest = await readManifest(area, id);
  if (!replace && (await hasContent(store, await typesWithHistory(store)))) {
    throw conflict('The store is not empty; restore refuses to overwrite it unless asked to replace its content');
  }
  // One rename replaces everything, so a store with content needs no clearing first, and a failure leaves it as
  // it was. The store hashes the file as it copies it, and the copy takes its place only once the checksum holds.
  const file = await area.localFile(id, SNAPSHOT_FILE);
  const restored = await store.restoreSnapshot(file.path, (copied) => checkCopied(manifest, copied)).finally(() => file.dispose());
  deps.logger?.info({ backup: id, versions: restored.versions }, 'snapshot restored');
  return { backups: [id], versions: restored.versions, skipped: 0, byType: await store.countByType() };
}

export async function restoreBackup(deps: MaintenanceDeps, options: { id: string; replace?: boolean }): Promise<RestoreResult> {
  if (backupTypeOf(options.id) === 'snapshot') return restoreSnapshot(deps, options.id, options.replace === true);
  const area = openBackupArea(deps.config);
  const chain = await chainOf(area, options.id);
  await assertVerified(area, chain.map((m) => m.id));
  const types = [...new Set(chain.flatMap((m) => m.files.map((f) => f.resourceType)))];
  if (await hasContent(deps.store, types)) {
    if (!options.replace) throw conflict('The store is not empty; restore refuses to overwrite it unless asked to replace its content');
    await deps.store.clear();
  }
  let versions = 0;
  let skipped = 0;
  let text = 0;
  const collect = heapCollector(COLLECT_EVERY_CHARS, COLLECT_FROM_CHARS);
  try {
    for (const type of types) {
      for await (const batch of chainBatches(filesOf(area, chain, type), BATCH)) {
        deps.signal?.throwIfAborted();
        skipped += batch.skipped;
        versions += await deps.store.restoreVersions(batch.records);
        deps.progress?.(versions);
        for (const r of batch.records) text += r.json?.length ?? 0;
        collect(text);
      }
    }
  } catch (err) {
    // The store was empty when the restore began: a restore that cannot finish leaves it empty again rather
    // than half restored (a file changed while it was read, a line that is not a record, a cancelled job).
    await deps.store.clear().catch((clearErr: unknown) => deps.logger?.error({ err: clearErr }, 'the store could not be emptied after a failed restore'));
    throw err;
  }
  deps.logger?.info({ backup: options.id, versions }, 'backup restored');
  return { backups: chain.map((m) => m.id), versions, skipped, byType: await deps.store.countByType() };
}
