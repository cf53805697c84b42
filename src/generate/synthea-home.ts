/**
 * Where `medgen-data setup --synthea` puts Synthea and where `--engine synthea` finds it. Maven Central serves
 * Synthea as a plain jar with its dependencies listed in its pom (no `synthea-with-dependencies.jar`), so an
 * install is a folder: `<home>/lib/` holds `synthea-<version>.jar` and every runtime dependency as Maven resolved
 * them, and Java runs it as `java -cp '<home>/lib/*' App` (`App`, in the default package, is the main class of
 * Synthea's `run_synthea` script and of its release jar's manifest).
 *
 * The home is SYNTHEA_HOME, else a per-user cache (`$XDG_CACHE_HOME/medgen-data/synthea`, `~/.cache/…`): the
 * package folder may be read-only (a global npm install), and every project on the machine can share one
 * ~200 MB copy.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The release `setup --synthea` resolves; the Synthea engine runs whichever version a home holds. */
export const SYNTHEA_VERSION = '3.3.0';
export const SYNTHEA_MAIN_CLASS = 'App';

export interface InstalledSynthea {
  home: string;
  version: string;
  /** The `-cp` value: Java expands `lib/*` to every jar in the folder. */
  classpath: string;
  jars: number;
}

/** SYNTHEA_HOME, else `$XDG_CACHE_HOME/medgen-data/synthea`, else `~/.cache/medgen-data/synthea`. */
export function syntheaHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SYNTHEA_HOME) return path.resolve(env.SYNTHEA_HOME);
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'medgen-data', 'synthea');
}

/** The Synthea in `home/lib`, or undefined when there is none (the folder is only ever swapped in whole). */
export function installedSynthea(home: string): InstalledSynthea | undefined {
  const lib = path.join(home, 'lib');
  let jars: string[];
  try {
    jars = fs.readdirSync(lib).filter((f) => f.endsWith('.jar'));
  } catch {
    return undefined;
  }
  const version = jars.map((f) => /^synthea-(\d[\w.-]*)\.jar$/.exec(f)?.[1]).find(Boolean);
  return version ? { home, version, classpath: path.join(lib, '*'), jars: jars.length } : undefined;
}
