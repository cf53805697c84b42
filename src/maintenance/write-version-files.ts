/**
 * Writes every version of every resource (tombstones included), one gzip NDJSON file per type, each line
 * a store VersionRecord: `{resourceType, id, versionId, lastUpdated, deleted, resource?}`. Used by full
 * backups (everything) and incrementals (`since`). A file is created only for a type with versions.
 */
import path from 'node:path';
import type { ResourceStore, StreamOptions, VersionRecord } from '../store/resource-store.js';
import type { BackupFile } from './backup-manifest.js';
import { typesWithHistory } from './backup-types.js';
import { GzipFileWriter } from './gzip-ndjson.js';

/** The line for one version; field order fixed so equal histories give byte-equal files. */
export function versionLine(v: VersionRecord): string {
  const head = { resourceType: v.resourceType, id: v.id, versionId: v.versionId, lastUpdated: v.lastUpdated, deleted: v.deleted };
  return v.resource ? `${JSON.stringify({ ...head, resource: v.resource })}\n` : `${JSON.stringify(head)}\n`;
}

export async function writeVersionFiles(
  store: ResourceStore,
  dir: string,
  options: StreamOptions & { signal?: AbortSignal; progress?: (done: number) => void },
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
    for await (const v of store.streamHistory(resourceType, { since: options.since })) {
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
