/**
 * Lineage of an import unit: the meta.source each entry is written with (job, file, entry or line), and one
 * Provenance per input file and activity (at most 1,000 targets each) naming the file's SHA-256, written in
 * the unit's own write (WriteOptions.follow), so it lands exactly when the versions it names do. A unit holds
 * one file's entries, except the last pass over deferred entries, which may mix files.
 */
import type { Resource } from 'fhir/r4.js';
import { lineageOps, writtenTargets } from '../lineage/record-lineage.js';
import { entrySource, fileSource, REQUEST_BODY } from '../lineage/source-uri.js';
import type { WriteOp, WriteResult } from '../store/resource-store.js';
import type { ImportLineage } from './import-context.js';
import type { ImportEntry, ImportUnit } from './import-types.js';

/** The name an entry's input goes by: its file's, or REQUEST_BODY for a request body. */
const fileOf = (entry: ImportEntry, unit: ImportUnit): string => entry.file ?? unit.file ?? REQUEST_BODY;

/**
 * Sets the entry's meta.source on its resource in place: the import parsed it and owns it, and copying every
 * resource of an import (withSource) cost measurably more than the stamp itself. Stamping again (a deferred
 * entry's second try) writes the same value.
 */
export function stampEntry<T extends Resource>(lineage: ImportLineage, unit: ImportUnit, entry: ImportEntry, resource: T): T {
  resource.meta = { ...resource.meta, source: entrySource(fileSource(lineage.job.id, fileOf(entry, unit)), entry) };
  return resource;
}

/**
 * The `follow` of a unit's write: from the write's results, the Provenance ops of each file's written versions.
 * The files' hashes are awaited first (the write itself cannot wait), and they are computed alongside the
 * import (file-hash.ts), so normally they are there.
 */
export async function unitLineage(lineage: ImportLineage, unit: ImportUnit, entries: readonly ImportEntry[]): Promise<(results: WriteResult[]) => WriteOp[]> {
  const files = [...new Set(entries.map((entry) => fileOf(entry, unit)))];
  const hashes = new Map(await Promise.all(files.map(async (file) => [file, await lineage.hashes.get(file)] as const)));
  return (results) => {
    const byFile = new Map<string, WriteResult[]>();
    results.forEach((result, i) => {
      const file = fileOf(entries[i], unit);
      const list = byFile.get(file);
      if (list) list.push(result);
      else byFile.set(file, [result]);
    });
    return [...byFile].flatMap(([file, fileResults]) =>
      lineageOps({ job: lineage.job, source: fileSource(lineage.job.id, file), input: { file, sha256: hashes.get(file) }, groups: writtenTargets(fileResults) }),
    );
  };
}
