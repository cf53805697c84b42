/**
 * The `fhir` backup: one `collection` Bundle of every current resource, for loading into another FHIR
 * server (or back with `medgen-data import`). Streamed, so memory stays flat however large the store.
 * @see https://hl7.org/fhir/R4/bundle.html
 */
import path from 'node:path';
import type { ResourceStore } from '../store/resource-store.js';
import type { BackupFile } from './backup-manifest.js';
import { GzipFileWriter } from './gzip-ndjson.js';

export async function writeFhirBundle(store: ResourceStore, dir: string, createdAt: string, signal?: AbortSignal): Promise<BackupFile[]> {
  const writer = new GzipFileWriter(path.join(dir, 'bundle.json.gz'));
  await writer.write(`{"resourceType":"Bundle","type":"collection","timestamp":${JSON.stringify(createdAt)},"entry":[`);
  let entries = 0;
  for (const type of Object.keys(await store.countByType()).sort()) {
    signal?.throwIfAborted();
    for await (const resource of store.stream(type)) {
      await writer.write(`${entries++ ? ',' : ''}\n${JSON.stringify({ fullUrl: `${type}/${resource.id}`, resource })}`);
    }
  }
  await writer.write('\n]}\n');
  return [{ resourceType: 'Bundle', file: 'bundle.json.gz', versions: entries, current: entries, deletions: 0, ...(await writer.close()) }];
}
