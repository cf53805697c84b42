/**
 * Lineage of an import unit: the meta.source each entry is written with (job, file, entry or line), and
 * after the unit's write one Provenance per input file and activity (at most 1,000 targets each) naming the
 * file's SHA-256. A unit holds one file's entries, except the last pass over deferred entries, which may mix files.
 */
import type { Resource } from 'fhir/r4.js';
import { recordLineage, writtenTargets } from '../lineage/record-lineage.js';
import { entrySource, fileSource, REQUEST_BODY, withSource } from '../lineage/source-uri.js';
import type { ResourceStore, WriteResult } from '../store/resource-store.js';
import type { ImportLineage } from './import-context.js';
import type { ImportEntry, ImportUnit } from './import-types.js';

/** The name an entry's input goes by: its file's, or REQUEST_BODY for a request body. */
const fileOf = (entry: ImportEntry, unit: ImportUnit): string => entry.file ?? unit.file ?? REQUEST_BODY;

export function stampEntry<T extends Resource>(lineage: ImportLineage, unit: ImportUnit, entry: ImportEntry, resource: T): T {
  return withSource(resource, entrySource(fileSource(lineage.job.id, fileOf(entry, unit)), entry));
}

export async function recordUnitLineage(lineage: ImportLineage, store: ResourceStore, unit: ImportUnit, entries: readonly ImportEntry[], results: readonly WriteResult[]): Promise<void> {
  const byFile = new Map<string, WriteResult[]>();
  results.forEach((result, i) => {
    const file = fileOf(entries[i], unit);
    const list = byFile.get(file);
    if (list) list.push(result);
    else byFile.set(file, [result]);
  });
  for (const [file, fileResults] of byFile) {
    const groups = writtenTargets(fileResults);
    if (groups.every((g) => g.references.length === 0)) continue;
    const sha256 = await lineage.hashes.get(file);
    await recordLineage(store, { job: lineage.job, source: fileSource(lineage.job.id, file), input: { file, sha256 }, groups });
  }
}
