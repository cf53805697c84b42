/**
 * `medgen-data setup`: says whether this machine can generate. The built-in engine needs only Node and a
 * writable data directory; `--engine synthea` also needs Java and SYNTHEA_JAR, and for each one missing
 * setup says exactly what and how to get it. Exit 0 when the built-in engine is usable (Synthea is
 * optional, SPEC "Setup"), 1 when it is not.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { loadConfig } from '../config.js';
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
    .description('check what generation needs: Node and a data directory (built-in engine); Java and SYNTHEA_JAR (--engine synthea)')
    .option('--data-dir <dir>', 'data directory (MEDGEN_DATA_DIR)')
    .option('--json', 'print the checks as one JSON document')
    .action((o: { dataDir?: string; json?: boolean }) => {
      const node = checkNode();
      const dataDir = checkDataDir(loadConfig(process.env, { dataDir: o.dataDir }).dataDir);
      const synthea = syntheaEnvironment(process.env);
      const builtin = node.ok && dataDir.ok;
      if (o.json) {
        process.stdout.write(`${JSON.stringify({ builtin: { available: builtin, node, dataDir }, synthea })}\n`);
      } else {
        const line = (name: string, c: Check) => `  ${c.ok ? 'ok     ' : 'MISSING'} ${name.padEnd(12)} ${c.detail}\n`;
        process.stdout.write(`built-in engine: ${builtin ? 'ready' : 'NOT usable'}\n${line('node', node)}${line('data dir', dataDir)}`);
        process.stdout.write(`synthea engine (--engine synthea): ${synthea.available ? 'available' : 'not available (optional)'}\n${line('java', synthea.java)}${line('SYNTHEA_JAR', synthea.jar)}`);
      }
      if (!builtin) program.setOptionValue('exitCode', 1);
    });
}
