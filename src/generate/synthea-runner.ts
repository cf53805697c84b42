/**
 * `--engine synthea`: runs `java -jar $SYNTHEA_JAR` with the mapped options under a timeout, passes each
 * log line on as it comes (Synthea logs progress to stdout and failures to stderr; both are its log), and
 * returns the FHIR folder it wrote (`<out>/fhir`) for import. Parameters go through the same checks as the
 * built-in engine first, so a bad one is the same 400 whichever engine runs.
 * @see https://github.com/synthetichealth/synthea/wiki/Basic-Setup-and-Running
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { OperationOutcomeError, issue, outcome, serverError } from '../fhir/outcomes.js';
import { resolveOptions, type GenerateOptions } from './options.js';
import { syntheaArgs } from './synthea-args.js';
import { checkJava, checkSyntheaJar, javaCommand } from './synthea-environment.js';

/** Synthea starts a JVM and loads every module before the first patient: give it time. */
export const DEFAULT_SYNTHEA_TIMEOUT_MS = 30 * 60_000;
/** Lines of the log quoted in the error when Synthea fails. */
const TAIL_LINES = 15;

export interface SyntheaRunOptions {
  /** Default: SYNTHEA_JAR of `env`. */
  jar?: string;
  /** Default: `$JAVA_HOME/bin/java` or `java`. */
  java?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Each line of Synthea's output as it arrives. */
  onLog?: (line: string) => void;
  signal?: AbortSignal;
}

export interface SyntheaResult {
  /** `<out>/fhir`: hospitalInformation*, practitionerInformation* and one transaction Bundle per patient. */
  fhirDir: string;
  files: string[];
  args: string[];
  seconds: number;
}

/** Java or the jar is missing: the server cannot run this engine (501), the CLI exits 1 with the same text. */
const unavailable = (detail: string) => new OperationOutcomeError(501, outcome(issue('error', 'not-supported', `engine=synthea is not available: ${detail}`, 'engine')));

/** `modules` in the input are Synthea module names here, passed through to `-m` unchecked. */
export async function runSynthea(input: GenerateOptions, outDir: string, run: SyntheaRunOptions = {}): Promise<SyntheaResult> {
  const env = run.env ?? process.env;
  const { modules, ...rest } = input;
  const options = resolveOptions(rest);
  const jar = checkSyntheaJar(run.jar ?? env.SYNTHEA_JAR);
  if (!jar.ok) throw unavailable(jar.detail);
  const java = checkJava(run.java ?? javaCommand(env));
  if (!java.ok) throw unavailable(java.detail);

  run.signal?.throwIfAborted();
  const base = path.resolve(outDir);
  fs.mkdirSync(base, { recursive: true });
  const moduleList = modules === undefined ? undefined : (Array.isArray(modules) ? modules : modules.split(',')).map((m) => m.trim()).filter(Boolean);
  const args = syntheaArgs(options, base, moduleList);
  const started = Date.now();
  const tail: string[] = [];
  const child = spawn(java.command, ['-jar', jar.path!, ...args], { cwd: base, stdio: ['ignore', 'pipe', 'pipe'] });
  const onLine = (line: string) => {
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
    run.onLog?.(line);
  };
  const readers = [child.stdout, child.stderr].map((s) => new Promise<void>((resolve) => createInterface({ input: s }).on('line', onLine).on('close', resolve)));

  let stopped: string | undefined;
  const stop = (why: string) => {
    stopped = why;
    child.kill('SIGKILL');
  };
  const timer = setTimeout(() => stop(`timed out after ${Math.round((run.timeoutMs ?? DEFAULT_SYNTHEA_TIMEOUT_MS) / 1000)} s`), run.timeoutMs ?? DEFAULT_SYNTHEA_TIMEOUT_MS);
  const onAbort = () => stop('was cancelled');
  run.signal?.addEventListener('abort', onAbort, { once: true });
  const exit = await new Promise<{ code: number | null; error?: Error }>((resolve) => {
    child.on('error', (error) => resolve({ code: null, error }));
    child.on('close', (code) => resolve({ code }));
  });
  clearTimeout(timer);
  run.signal?.removeEventListener('abort', onAbort);
  await Promise.all(readers);

  const log = tail.length ? `; last lines of its log:\n${tail.join('\n')}` : '';
  if (stopped) throw serverError(`Synthea ${stopped}${log}`);
  if (exit.error) throw serverError(`could not start Synthea (${java.command}): ${exit.error.message}`);
  if (exit.code !== 0) throw serverError(`Synthea exited with code ${exit.code}${log}`);
  const fhirDir = path.join(base, 'fhir');
  const files = fs.existsSync(fhirDir) ? fs.readdirSync(fhirDir).filter((f) => f.endsWith('.json')).sort() : [];
  if (files.length === 0) throw serverError(`Synthea finished but wrote no FHIR files in ${fhirDir}${log}`);
  return { fhirDir, files, args, seconds: (Date.now() - started) / 1000 };
}
