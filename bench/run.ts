/**
 * `npm run bench -- <name> [--json] [--data DIR | --count PATIENTS]`: runs one benchmark and prints one JSON
 * line per result (SPEC). Only the named benchmark's module is loaded, so the others' dependencies do not weigh
 * on it.
 */
import { printResult, type BenchResult } from './result.js';

type Bench = (args: string[]) => Promise<BenchResult[]>;

const BENCHES: Record<string, () => Promise<Bench>> = {
  read: async () => (await import('./read.js')).benchRead,
  create: async () => (await import('./create.js')).benchCreate,
  import: async () => (await import('./import.js')).benchImport,
  validate: async () => (await import('./validate.js')).benchValidate,
  generate: async () => (await import('./generate.js')).benchGenerate,
  imaging: async () => (await import('./imaging.js')).benchImaging,
  backup: async () => (await import('./backup.js')).benchBackup,
  export: async () => (await import('./export.js')).benchExport,
  match: async () => (await import('./match.js')).benchMatch,
  lineage: async () => (await import('./lineage.js')).benchLineage,
};

const name = process.argv.slice(2).find((a) => !a.startsWith('--'));
if (!name || !BENCHES[name]) {
  process.stderr.write(`usage: npm run bench -- <${Object.keys(BENCHES).join('|')}> [--json] [--data DIR | --count PATIENTS] [import, backup, export, lineage: --ndjson-mb N] [import: --store sqlite|mongo]\n`);
  process.exit(2);
}
const bench = await BENCHES[name]();
for (const result of await bench(process.argv.slice(2))) printResult(result);
