/** Runs dicom3tools and dcmtk when installed (CI installs them); tests skip those checks otherwise, with `needsTool`. */
import { spawnSync } from 'node:child_process';

/** Combined output of a tool run. */
export function runTool(tool: string, args: string[]): { status: number | null; output: string } {
  const r = spawnSync(tool, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

/** The lines of a dicom3tools report that are errors. */
export const errorLines = (output: string) => output.split('\n').filter((l) => /^\s*Error/.test(l));
