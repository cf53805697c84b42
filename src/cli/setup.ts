/**
 * `medgen-data setup`: says whether this machine can generate. The built-in engine needs only Node and a
 * writable data directory; `--engine synthea` also needs Java and Synthea (SYNTHEA_JAR, or what
 * `setup --synthea` fetched into SYNTHEA_HOME), and for each one missing setup says exactly what and how to get
 * it. `--synthea` first fetches Synthea from Maven Central with Maven (a no-op when that version is there).
 * Exit 0 when the built-in engine is usable (Synthea is optional, SPEC "Setup"), 1 when it is not or when
 * `--synthea` could not fetch Synthea.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { SYNTHEA_VERSION, syntheaHome } from '../generate/synthea-home.js';
import { installSynthea } from '../generate/synthea-install.js';
import { syntheaEnvironment, type Check } from '../generate/synthea-environment.js';

const MIN_NODE = 20;

function checkNode(): Check {
  const major = Number(process.versions.node.split('.')[0]);
  return major >= MIN_NODE ? { ok: true, detail: `Node ${process.versions.node}` } : { ok: false, detail: `Node ${process.versions.node} is too old; install Node ${MIN_NODE} or newer (https://nodejs.org)` };
}

/** The data directory exists or can be created, and a file can be written in it. */
function checkDataDir(dir: string): Check {
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.accessSync(dir, fs.constants.W_OK);
    return { ok: true, detail: dir };
  } catch (err) {
    return { ok: false, detail: `${dir} is not writable (${(err as NodeJS.ErrnoException).code}); set MEDGEN_DATA_DIR or --data-dir to a writable directory` };
  }
}

export function registerSetup(program: Command): void {
  program
    .command('setup')
    .description('check what generation needs: Node and a data directory (built-in engine); Java and Synthea (--engine synthea)')
    .option('--data-dir <dir>', 'data directory (MEDGEN_DATA_DIR)')
    .option('--synthea', `first fetch Synthea ${SYNTHEA_VERSION} from Maven Central with Maven into SYNTHEA_HOME (default ~/.cache/medgen-data/synthea)`)
    .option('--json', 'print the checks as one JSON document')
    .action(async (o: { dataDir?: string; synthea?: boolean; json?: boolean }) => {
      const install = o.synthea ? await fetchSynthea(Boolean(o.json)) : undefined;
      const node = checkNode();
      const dataDir = checkDataDir(loadConfig(process.env, { dataDir: o.dataDir }).dataDir);
      const synthea = syntheaEnvironment(process.env);
      const builtin = node.ok && dataDir.ok;
      if (o.json) {
        process.stdout.write(`${JSON.stringify({ builtin: { available: builtin, node, dataDir }, synthea: { ...synthea, ...(install && { install }) } })}\n`);
      } else {
        const line = (name: string, c: Check) => `  ${c.ok ? 'ok     ' : 'MISSING'} ${name.padEnd(12)} ${c.detail}\n`;
        process.stdout.write(`built-in engine: ${builtin ? 'ready' : 'NOT usable'}\n${line('node', node)}${line('data dir', dataDir)}`);
        process.stdout.write(`synthea engine (--engine synthea): ${synthea.available ? 'available' : 'not available (optional)'}\n${line('java', synthea.java)}${line('synthea', synthea.synthea)}${install ? line('fetch', install) : ''}`);
      }
      if (!builtin || install?.ok === false) program.setOptionValue('exitCode', 1);
    });
}

/** Runs the install, saying on stderr that it started (Maven is quiet while it downloads); the outcome as a check. */
async function fetchSynthea(quiet: boolean): Promise<Check> {
  const home = syntheaHome();
  if (!quiet) process.stderr.write(`fetching Synthea ${SYNTHEA_VERSION} and its dependencies from Maven Central with Maven into ${home} (about 200 MB the first time)\n`);
  try {
    const done = await installSynthea(home);
    return { ok: true, detail: `Synthea ${done.version} ${done.cached ? 'was already' : 'is now'} in ${home}${process.env.SYNTHEA_JAR ? '; SYNTHEA_JAR is set, and is what --engine synthea runs' : ''}` };
  } catch (err) {
    return { ok: false, detail: `could not fetch Synthea: ${(err as Error).message}` };
  }
}
