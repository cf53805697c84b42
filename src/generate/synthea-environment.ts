/**
 * What `--engine synthea` needs and whether this machine has it: a Java runtime (Synthea 3.x needs 11 or
 * newer; its current builds 17) and Synthea itself, either `SYNTHEA_JAR` (the `synthea-with-dependencies.jar`
 * of a GitHub release; it wins when set) or the folder `setup --synthea` resolved from Maven Central
 * (synthea-home.ts). Each check says what is missing and how to get it, since `setup`, `generate` and
 * `$generate` all report it.
 * @see https://github.com/synthetichealth/synthea/wiki/Basic-Setup-and-Running
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { SYNTHEA_MAIN_CLASS, SYNTHEA_VERSION, installedSynthea, syntheaHome } from './synthea-home.js';

export const MIN_JAVA = 11;
export const SYNTHEA_JAR_URL = 'https://github.com/synthetichealth/synthea/releases/download/master-branch-latest/synthea-with-dependencies.jar';

export interface Check {
  ok: boolean;
  /** What was found (a version, a path), or what is wrong and how to fix it. */
  detail: string;
}

export interface SyntheaEnvironment {
  java: Check & { command: string; major?: number };
  /** `launch`: the java arguments that start Synthea, before its own (`-jar <jar>` or `-cp <home>/lib/* App`). */
  synthea: Check & { path?: string; launch?: string[] };
  /** Both checks pass: `--engine synthea` can run. */
  available: boolean;
}

/** `$JAVA_HOME/bin/java` when JAVA_HOME is set (as the JDK tools do), else `java` from the PATH. */
export function javaCommand(env: NodeJS.ProcessEnv = process.env): string {
  return env.JAVA_HOME ? path.join(env.JAVA_HOME, 'bin', 'java') : 'java';
}

/** Runs `java -version` (it prints to stderr) and reads the major version: `1.8.0_392` is 8, `17.0.15` is 17. */
export function checkJava(command: string): SyntheaEnvironment['java'] {
  const howTo = `install a Java runtime ${MIN_JAVA} or newer (e.g. \`apt-get install openjdk-17-jre-headless\`, \`brew install openjdk@17\`, or https://adoptium.net), or set JAVA_HOME`;
  const run = spawnSync(command, ['-version'], { encoding: 'utf8', timeout: 20_000 });
  if (run.error) return { ok: false, command, detail: `Java not found (\`${command} -version\`: ${(run.error as NodeJS.ErrnoException).code ?? run.error.message}); ${howTo}` };
  const text = `${run.stderr}${run.stdout}`;
  const m = /version "(\d+)(?:\.(\d+))?/.exec(text);
  if (run.status !== 0 || !m) return { ok: false, command, detail: `\`${command} -version\` failed (exit ${run.status}): ${text.trim().split('\n')[0] ?? ''}; ${howTo}` };
  const major = m[1] === '1' ? Number(m[2]) : Number(m[1]);
  const line = text.trim().split('\n')[0];
  if (major < MIN_JAVA) return { ok: false, command, major, detail: `Java ${major} is too old for Synthea (${line}); ${howTo}` };
  return { ok: true, command, major, detail: line };
}

/** SYNTHEA_JAR names a readable file, and the file is a jar (a zip archive: it starts with `PK\x03\x04`). */
export function checkSyntheaJar(jar: string): SyntheaEnvironment['synthea'] {
  const howTo = `download it with \`curl -LO ${SYNTHEA_JAR_URL}\` and set SYNTHEA_JAR=/absolute/path/synthea-with-dependencies.jar`;
  const file = path.resolve(jar);
  const magic = Buffer.alloc(4);
  try {
    if (!fs.statSync(file).isFile()) return { ok: false, path: file, detail: `SYNTHEA_JAR=${jar} is not a file; ${howTo}` };
    const fd = fs.openSync(file, 'r');
    try {
      fs.readSync(fd, magic, 0, 4, 0);
    } finally {
      fs.closeSync(fd);
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, path: file, detail: `SYNTHEA_JAR=${jar} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`}; ${howTo}` };
  }
  if (!magic.equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return { ok: false, path: file, detail: `SYNTHEA_JAR=${jar} is not a jar (not a zip archive); ${howTo}` };
  return { ok: true, path: file, detail: file, launch: ['-jar', file] };
}

/** SYNTHEA_JAR when set, else the Synthea in SYNTHEA_HOME (or its default), else how to get one. */
export function locateSynthea(env: NodeJS.ProcessEnv = process.env): SyntheaEnvironment['synthea'] {
  if (env.SYNTHEA_JAR) return checkSyntheaJar(env.SYNTHEA_JAR);
  const home = syntheaHome(env);
  const found = installedSynthea(home);
  if (found) return { ok: true, path: home, detail: `Synthea ${found.version} in ${home} (${found.jars} jars)`, launch: ['-cp', found.classpath, SYNTHEA_MAIN_CLASS] };
  return {
    ok: false,
    path: home,
    detail: `Synthea is not installed (no SYNTHEA_JAR, nothing in ${env.SYNTHEA_HOME ? 'SYNTHEA_HOME=' : ''}${home}); run \`medgen-data setup --synthea\` to fetch Synthea ${SYNTHEA_VERSION} from Maven Central with Maven, or download it with \`curl -LO ${SYNTHEA_JAR_URL}\` and set SYNTHEA_JAR=/absolute/path/synthea-with-dependencies.jar`,
  };
}

/** Both checks, from the environment (SYNTHEA_JAR, SYNTHEA_HOME, JAVA_HOME). */
export function syntheaEnvironment(env: NodeJS.ProcessEnv = process.env): SyntheaEnvironment {
  const synthea = locateSynthea(env);
  const java = checkJava(javaCommand(env));
  return { java, synthea, available: java.ok && synthea.ok };
}
