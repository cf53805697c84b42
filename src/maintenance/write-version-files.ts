/**
 * Writes every version of every resource (tombstones included), one gzip NDJSON file per type, each line
 * a store VersionRecord: `{resourceType, id, versionId, lastUpdated, deleted, resource?}`. Used by full
 * backups (through their mark) and incrementals (from their parent's mark through theirs). A file is created
 * only for a type with versions.
 * The resource is the store's JSON text spliced in as is (streamHistoryRaw): parsing and re-serialising
 * every version was most of a backup's time, and the text is already JSON.stringify of the resource, so the
 * lines are the same bytes either way.
 */
import path from 'node:path';
import type { HistoryStreamOptions, RawVersionRecord, ResourceStore } from '../store/resource-store.js';
import type { BackupFile } from './backup-manifest.js';
import { typesWithHistory } from './backup-types.js';
import { GzipFileWriter } from './gzip-ndjson.js';

/** The `"resource":` member follows the head, so restore can split a line without parsing the resource. */
export const RESOURCE_MEMBER = ',"resource":';

/** The line for one version; field order fixed so equal histories give byte-equal files. */
export function versionLine(v: RawVersionRecord): string {
  const head = JSON.stringify({ resourceType: v.resourceType, id: v.id, versionId: v.versionId, lastUpdated: v.lastUpdated, deleted: v.deleted });
  return v.json === null ? `${head}\n` : `${head.slice(0, -1)}${RESOURCE_MEMBER}${v.json}}\n`;
}

export async function writeVersionFiles(
  store: ResourceStore,
  dir: string,
  options: HistoryStreamOptions & { signal?: AbortSignal; progress?: (done: number) => void },
): Promise<BackupFile[]> {
  const files: BackupFile[] = [];
  let done = 0;
  for (const resourceType of await typesWithHistory(store)) {
    options.signal?.throwIfAborted();
    let writer: GzipFileWriter | undefined;
    let versions = 0;
    let current = 0;
    let deletions = 0;
    let lastId: string | undefined;
    let lastLive = false;
    for await (const v of store.streamHistoryRaw(resourceType, { after: options.after, through: options.through })) {
      writer ??= new GzipFileWriter(path.join(dir, `${resourceType}.ndjson.gz`));
      // Versions come by id, oldest first: an id change closes the previous resource's history.
      if (v.id !== lastId && lastLive) current++;
      lastId = v.id;
      lastLive = !v.deleted;
      versions++;
      if (v.deleted) deletions++;
      await writer.write(versionLine(v));
      if (++done % 10000 === 0) options.progress?.(done);
    }
    if (!writer) continue;
    if (lastLive) current++;
    files.push({ resourceType, file: path.basename(writer.file), versions, current, deletions, ...(await writer.close()) });
  }
  return files;
}
