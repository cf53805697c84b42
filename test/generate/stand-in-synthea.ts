/**
 * Stand-in Synthea jars, compiled with `javac` and packed with `jar` in a temp dir: `good.jar` logs to
 * stdout and stderr, records its arguments in `<baseDirectory>/args.txt` and writes a Synthea-shaped
 * `fhir/` folder (hospital and practitioner batches, one transaction Bundle per patient); with `-p 99` it
 * hangs (for the timeout), and with `-m nosuchmodule` it logs that no module loaded and hangs, as Synthea runs
 * on without one. `bad.jar` prints an error and exits 3, as Synthea does on a bad module.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const GOOD = String.raw`
import java.nio.file.*;
import java.util.*;
public class Good {
  static void write(Path p, String s) throws Exception { Files.write(p, s.getBytes("UTF-8")); }
  public static void main(String[] args) throws Exception {
    String base = null; int count = 1;
    for (int i = 0; i < args.length; i++) {
      if (args[i].startsWith("--exporter.baseDirectory=")) base = args[i].substring(25);
      if (args[i].equals("-p")) count = Integer.parseInt(args[i + 1]);
    }
    System.out.println("Running with options:");
    System.out.println("Population: " + count);
    System.err.println("WARN stand-in: no real modules loaded");
    if (count == 99) Thread.sleep(60000);
    if (Arrays.asList(args).contains("nosuchmodule")) { System.out.println("Modules: "); System.out.println("       > [0 loaded]"); Thread.sleep(60000); }
    Path fhir = Paths.get(base, "fhir");
    Files.createDirectories(fhir);
    write(Paths.get(base, "args.txt"), String.join("\n", args));
    write(fhir.resolve("hospitalInformation1700000000000.json"), "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[{\"fullUrl\":\"urn:uuid:11111111-1111-4111-8111-111111111111\",\"resource\":{\"resourceType\":\"Organization\",\"id\":\"11111111-1111-4111-8111-111111111111\",\"identifier\":[{\"system\":\"https://github.com/synthetichealth/synthea\",\"value\":\"org-1\"}],\"name\":\"Stand-in Hospital\"},\"request\":{\"method\":\"POST\",\"url\":\"Organization\",\"ifNoneExist\":\"identifier=https://github.com/synthetichealth/synthea|org-1\"}}]}");
    write(fhir.resolve("practitionerInformation1700000000000.json"), "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[{\"fullUrl\":\"urn:uuid:22222222-2222-4222-8222-222222222222\",\"resource\":{\"resourceType\":\"Practitioner\",\"id\":\"22222222-2222-4222-8222-222222222222\",\"identifier\":[{\"system\":\"http://hl7.org/fhir/sid/us-npi\",\"value\":\"9999999999\"}],\"name\":[{\"family\":\"Stand\",\"given\":[\"In\"]}]},\"request\":{\"method\":\"POST\",\"url\":\"Practitioner\",\"ifNoneExist\":\"identifier=http://hl7.org/fhir/sid/us-npi|9999999999\"}}]}");
    for (int i = 0; i < count; i++) {
      String id = "00000000-0000-4000-8000-00000000000" + i;
      write(fhir.resolve("Stand_In" + i + "_" + id + ".json"), "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"fullUrl\":\"urn:uuid:" + id + "\",\"resource\":{\"resourceType\":\"Patient\",\"id\":\"" + id + "\",\"gender\":\"female\",\"birthDate\":\"1990-01-0" + (i % 9 + 1) + "\",\"managingOrganization\":{\"reference\":\"Organization?identifier=https://github.com/synthetichealth/synthea|org-1\"}},\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}}]}");
      System.out.println("1 -- Stand_In" + i + " (33 y/o F) Columbus, Ohio");
    }
  }
}`;

const BAD = String.raw`
public class Bad {
  public static void main(String[] args) {
    System.out.println("Running with options:");
    System.err.println("Exception in thread \"main\" java.lang.IllegalArgumentException: unknown module filter");
    System.exit(3);
  }
}`;

/** Why the stand-in cannot be built here, or undefined when javac and jar are present. */
export function standInUnavailable(): string | undefined {
  for (const tool of ['javac', 'jar']) {
    if (spawnSync(tool, ['--version'], { encoding: 'utf8' }).status !== 0) return `${tool} not found on PATH: cannot build the stand-in Synthea jar`;
  }
  return undefined;
}

/** Compiles both stand-ins into `<dir>/good.jar` and `<dir>/bad.jar`. */
export function buildStandIns(): { dir: string; good: string; bad: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-synthea-stand-in-'));
  for (const [name, source] of [['Good', GOOD], ['Bad', BAD]]) {
    const src = path.join(dir, name);
    fs.mkdirSync(src);
    fs.writeFileSync(path.join(src, `${name}.java`), source);
    const javac = spawnSync('javac', ['-d', src, path.join(src, `${name}.java`)], { encoding: 'utf8' });
    if (javac.status !== 0) throw new Error(`javac failed: ${javac.stderr}`);
    const jar = spawnSync('jar', ['--create', '--file', path.join(dir, `${name.toLowerCase()}.jar`), '--main-class', name, '-C', src, `${name}.class`], { encoding: 'utf8' });
    if (jar.status !== 0) throw new Error(`jar failed: ${jar.stderr}`);
  }
  return { dir, good: path.join(dir, 'good.jar'), bad: path.join(dir, 'bad.jar') };
}
