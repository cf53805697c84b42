/**
 * `medgen-data setup --synthea`: resolves `org.mitre.synthea:synthea` and its runtime dependencies from Maven
 * Central with Maven (`dependency:copy-dependencies`) into `<home>/lib` (see synthea-home.ts). The pom is
 * written here, into the home, rather than shipped as a file: this code runs from an npm-installed package as
 * well as from the repository, and `tools/` (test harnesses, DESIGN) is no part of what the package needs at
 * run time; `tools/synthea/build.sh` calls this same code, so there is one pom. Maven is asked for the folder
 * under a temporary name that is renamed into place, so a half-finished or concurrent install is never run.
 * @see https://central.sonatype.com/artifact/org.mitre.synthea/synthea
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { SYNTHEA_VERSION, installedSynthea, type InstalledSynthea } from './synthea-home.js';
import { SYNTHEA_JAR_URL, type Check } from './synthea-environment.js';

/** Lines of Maven's output quoted when it fails (with -q it prints only warnings and errors). */
const TAIL_LINES = 20;
const JAR_INSTEAD = `or download Synthea's release jar with \`curl -LO ${SYNTHEA_JAR_URL}\` and set SYNTHEA_JAR=/absolute/path/synthea-with-dependencies.jar`;

/**
 * A pom whose only work is naming Synthea: `copy-dependencies` (plugin version pinned) copies it and its
 * runtime dependencies. slf4j-nop is added because Synthea ships no SLF4J binding, and SLF4J's "no providers"
 * warning on every run would otherwise head the stderr quoted when Synthea fails.
 */
export function syntheaPom(version = SYNTHEA_VERSION): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by medgen-data setup (synthea-install.ts): Synthea ${version} and its runtime dependencies, copied into lib/. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>medgen</groupId>
  <artifactId>synthea-runtime</artifactId>
  <version>${version}</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.mitre.synthea</groupId>
      <artifactId>synthea</artifactId>
      <version>${version}</version>
    </dependency>
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-nop</artifactId>
      <version>2.0.17</version>
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-dependency-plugin</artifactId>
        <version>3.8.1</version>
        <configuration>
          <includeScope>runtime</includeScope>
        </configuration>
      </plugin>
    </plugins>
  </build>
</project>
`;
}

/** `mvn -v` runs: Maven is there to fetch Synthea. Otherwise what to do instead. */
export function checkMaven(command = 'mvn'): Check {
  const run = spawnSync(command, ['-v'], { encoding: 'utf8', timeout: 60_000 });
  if (run.error || run.status !== 0) {
    const why = run.error ? `Maven not found (\`${command} -v\`: ${(run.error as NodeJS.ErrnoException).code ?? run.error.message})` : `\`${command} -v\` failed (exit ${run.status})`;
    return { ok: false, detail: `${why}; install Maven (e.g. \`apt-get install maven\`, \`brew install maven\`) and run \`medgen-data setup --synthea\` again, ${JAR_INSTEAD}` };
  }
  return { ok: true, detail: run.stdout.replace(/\x1b\[[0-9;]*m/g, '').trim().split('\n')[0] };
}

export interface InstallOptions {
  /** Default `mvn` from the PATH. */
  mvn?: string;
}

/** Installs Synthea {@link SYNTHEA_VERSION} into `home` unless it is there already (`cached`); throws saying why it cannot. */
export async function installSynthea(home: string, options: InstallOptions = {}): Promise<InstalledSynthea & { cached: boolean }> {
  const version = SYNTHEA_VERSION;
  const present = installedSynthea(home);
  if (present?.version === version) return { ...present, cached: true };
  const maven = checkMaven(options.mvn);
  if (!maven.ok) throw new Error(maven.detail);

  fs.mkdirSync(home, { recursive: true });
  const pom = path.join(home, 'pom.xml');
  fs.writeFileSync(pom, syntheaPom(version));
  const tmp = path.join(home, `lib.${process.pid}.tmp`);
  fs.rmSync(tmp, { recursive: true, force: true });
  const tail: string[] = [];
  const child = spawn(options.mvn ?? 'mvn', ['-B', '-q', '-Dstyle.color=never', '-f', pom, 'dependency:copy-dependencies', `-DoutputDirectory=${tmp}`], { cwd: home, stdio: ['ignore', 'pipe', 'pipe'] });
  const onLine = (raw: string) => {
    const line = raw.replace(/\x1b\[[0-9;]*m/g, '');
    if (!line.trim()) return;
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
  };
  const readers = [child.stdout, child.stderr].map((s) => new Promise<void>((resolve) => createInterface({ input: s }).on('line', onLine).on('close', resolve)));
  const exit = await new Promise<{ code: number | null; error?: Error }>((resolve) => {
    child.on('error', (error) => resolve({ code: null, error }));
    child.on('close', (code) => resolve({ code }));
  });
  await Promise.all(readers);
  const jar = path.join(tmp, `synthea-${version}.jar`);
  if (exit.error || exit.code !== 0 || !fs.existsSync(jar)) {
    fs.rmSync(tmp, { recursive: true, force: true });
    const why = exit.error ? `could not start Maven: ${exit.error.message}` : exit.code !== 0 ? `Maven exited with code ${exit.code}` : `Maven finished without ${path.basename(jar)}`;
    throw new Error(`${why} resolving org.mitre.synthea:synthea:${version} (pom in ${pom})${tail.length ? `; last lines of its output:\n${tail.join('\n')}` : ''}\nCheck that Maven reaches Maven Central (proxy, ~/.m2/settings.xml), ${JAR_INSTEAD}`);
  }
  swapIn(home, tmp, version);
  return { ...installedSynthea(home)!, cached: false };
}

/**
 * `tmp` becomes `home/lib`; an older version's lib is moved aside first and removed after. When a concurrent
 * install got there first with this version, its folder is kept and `tmp` dropped.
 */
function swapIn(home: string, tmp: string, version: string): void {
  const lib = path.join(home, 'lib');
  const old = path.join(home, `lib.${process.pid}.old`);
  try {
    if (installedSynthea(home)?.version === version) return;
    if (fs.existsSync(lib)) fs.renameSync(lib, old);
    fs.renameSync(tmp, lib);
  } catch (err) {
    if (installedSynthea(home)?.version !== version) throw err;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(old, { recursive: true, force: true });
  }
}
