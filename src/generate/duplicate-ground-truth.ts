/**
 * The ground truth of a run with duplicates: which Patient records are the same person and which are twins
 * (distinct people who look alike), so a matcher can be scored against it (issue 19). `duplicates.csv`
 * beside the bundles, one row per pair, `left,right,relation,kinds`:
 * - `left`: the first record's Patient id; `right`: the other record's Patient id (ids are kept on import);
 * - `relation`: `duplicate` (same person: a true match) or `twin` (different people: must not be merged);
 * - `kinds`: for a duplicate, its corruptions separated by `;` (duplicate-corruptions.ts), empty for twins.
 * Every pair of Patients not listed as `duplicate` is two different people.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ParametersParameter } from 'fhir/r4.js';
import type { CorruptionKind } from './duplicate-corruptions.js';

export const GROUND_TRUTH_FILE = 'duplicates.csv';
export const GROUND_TRUTH_HEADER = 'left,right,relation,kinds';

export interface GroundTruthRow {
  left: string;
  right: string;
  relation: 'duplicate' | 'twin';
  kinds: CorruptionKind[];
}

/** The CSV text (ids and kinds hold no comma or quote, so no field needs quoting). */
export function groundTruthCsv(rows: readonly GroundTruthRow[]): string {
  return [GROUND_TRUTH_HEADER, ...rows.map((r) => `${r.left},${r.right},${r.relation},${r.kinds.join(';')}`)].join('\n') + '\n';
}

/** Writes `duplicates.csv` into `outDir`; returns its name. */
export async function writeGroundTruth(outDir: string, rows: readonly GroundTruthRow[]): Promise<string> {
  await writeFile(path.join(outDir, GROUND_TRUTH_FILE), groundTruthCsv(rows));
  return GROUND_TRUTH_FILE;
}

/** The same rows as `$generate` answers them: one `pair` part each. */
export function groundTruthParameters(rows: readonly GroundTruthRow[]): ParametersParameter[] {
  return rows.map((r) => ({
    name: 'pair',
    part: [
      { name: 'left', valueId: r.left },
      { name: 'right', valueId: r.right },
      { name: 'relation', valueCode: r.relation },
      ...(r.kinds.length ? [{ name: 'kinds', valueString: r.kinds.join(';') }] : []),
    ],
  }));
}
