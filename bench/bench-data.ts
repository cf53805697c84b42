/**
 * The data a benchmark runs on: `--data DIR` when given, else bundles the built-in generator writes with a fixed
 * seed, `--count N` patients (default `patients`).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export async function benchDataDir(args: string[], patients = 200): Promise<string> {
  const i = args.indexOf('--data');
  if (i >= 0 && args[i + 1]) return path.resolve(args[i + 1]);
  const c = args.indexOf('--count');
  const count = c >= 0 ? Number(args[c + 1]) : patients;
  if (!Number.isInteger(count) || count < 1) {
    process.stderr.write(`--count takes a number of patients, not ${JSON.stringify(args[c + 1] ?? '')}\n`);
    process.exit(2);
  }
  const { writePopulation } = await import('../src/generate/write-population.js');
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-bench-data-'));
  await writePopulation({ count, seed: 42, yearsOfHistory: 10 }, out);
  return out;
}
