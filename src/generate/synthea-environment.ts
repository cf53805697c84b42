/**
 * What `--engine synthea` needs and whether this machine has it: a Java runtime (Synthea 3.x needs 11 or
 * newer; its current builds 17) and `SYNTHEA_JAR`, the `synthea-with-dependencies.jar` of a release. Each
 * check says what is missing and how to get it, since `setup`, `generate` and `$generate` all report it.
 * @see https://github.com/synthetichealth/synthea/wiki/Basic-Setup-and-Running
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const MIN_JAVA = 11;
export const SYNTHEA_JAR_URL = 'https://github.com/synthetichealth/synthea/releases/download/master-branch-latest/synthea-with-dependencies.jar';

export interface Check {
  ok: boolean;
  /** What was found (a version, a path), or what is wrong and how to fix it. */
  detail: string;
}

export interface SyntheaEnvironment {
  java: Check & { command: string; major?: number };
  jar: Check & { path?: string };
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

/** SYNTHEA_JAR is set, names a readable file, and the file is a jar (a zip archive: it starts with `PK\x03\x04`). */
export function checkSyntheaJar(jar: string | undefined): SyntheaEnvironment['jar'] {
  const howTo = `download it with \`curl -LO ${SYNTHEA_JAR_URL}\` and set SYNTHEA_JAR=/absolute/path/synthea-with-dependencies.jar`;
  if (!jar) return { ok: false, detail: `SYNTHEA_JAR is not set; ${howTo}` };
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
  return { ok: true, path: file, detail: file };
}

/** Both checks, from the environment (SYNTHEA_JAR, JAVA_HOME). */
export function syntheaEnvironment(env: NodeJS.ProcessEnv = process.env): SyntheaEnvironment {
  const jar = checkSyntheaJar(env.SYNTHEA_JAR);
  const java = checkJava(javaCommand(env));
  return { java, jar, available: java.ok && jar.ok };
}
