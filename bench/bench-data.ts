/** The data a benchmark runs on: `--data DIR` when given, else bundles the built-in generator writes with a fixed seed. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export async function benchDataDir(args: string[]): Promise<string> {
  const i = args.indexOf('--data');
  if (i >= 0 && args[i + 1]) return path.resolve(args[i + 1]);
  const { writePopulation } = await import('../src/generate/write-population.js');
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-bench-data-'));
  await writePopulation({ count: 200, seed: 42, yearsOfHistory: 10 }, out);
  return out;
}
