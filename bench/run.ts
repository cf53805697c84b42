/**
 * `npm run bench -- <name> [--json]`: runs one benchmark and prints one JSON line per result (SPEC).
 * Benchmarks of later issues (import, validate, generate, imaging, backup) register here as they land.
 */
import { benchBackup } from './backup.js';
import { benchGenerate } from './generate.js';
import { benchImaging } from './imaging.js';
import { benchImport } from './import.js';
import { benchRead } from './read.js';
import { printResult, type BenchResult } from './result.js';
import { benchValidate } from './validate.js';

const BENCHES: Record<string, (args: string[]) => Promise<BenchResult[]>> = {
  read: benchRead,
  validate: benchValidate,
  import: benchImport,
  generate: benchGenerate,
  backup: benchBackup,
  imaging: benchImaging,
};

const name = process.argv.slice(2).find((a) => !a.startsWith('--'));
if (!name || !BENCHES[name]) {
  process.stderr.write(`usage: npm run bench -- <${Object.keys(BENCHES).join('|')}> [--json]\n`);
  process.exit(2);
}
for (const result of await BENCHES[name](process.argv.slice(2))) printResult(result);
