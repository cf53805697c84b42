/**
 * `backup --verify <id>`: recomputes the SHA-256 and size of every file against the manifest (whose own
 * checksum readManifest checks) and reports each difference. Restore verifies its whole chain first.
 */
import { OperationOutcomeError, unprocessable } from '../fhir/outcomes.js';
import type { BackupArea } from './backup-area.js';
import { readManifest, type BackupManifest } from './backup-manifest.js';

export interface VerifyResult {
  id: string;
  ok: boolean;
  problems: string[];
  manifest?: BackupManifest;
}

export async function verifyBackup(area: BackupArea, id: string): Promise<VerifyResult> {
  let manifest: BackupManifest;
  try {
    manifest = await readManifest(area, id);
  } catch (err) {
    // An unknown or malformed id is the caller's error, not a damaged backup.
    if (err instanceof OperationOutcomeError && err.status !== 422) throw err;
    return { id, ok: false, problems: [(err as Error).message] };
  }
  const problems: string[] = [];
  for (const f of manifest.files) {
    const actual = await area.hash(id, f.file);
    if (actual === null) {
      problems.push(`${f.file} is missing`);
      continue;
    }
    if (actual.bytes !== f.bytes) problems.push(`${f.file}: ${actual.bytes} bytes, manifest says ${f.bytes}`);
    else if (actual.sha256 !== f.sha256) problems.push(`${f.file}: SHA-256 ${actual.sha256} differs from the manifest's ${f.sha256}`);
  }
  return { id, ok: problems.length === 0, problems, manifest };
}

/** Throws 422 naming every problem when any backup of the chain fails verification. */
export async function assertVerified(area: BackupArea, ids: string[]): Promise<void> {
  for (const id of ids) {
    const result = await verifyBackup(area, id);
    if (!result.ok) throw unprocessable(`Backup ${id} failed verification, nothing was restored: ${result.problems.join('; ')}`);
  }
}
