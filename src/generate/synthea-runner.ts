/**
 * `--engine synthea`: runs Synthea (`SYNTHEA_JAR`, or the folder `setup --synthea` filled) with the mapped options
 * under a timeout and a bounded heap, passes each log line on as it comes (Synthea logs progress to stdout and
 * failures to stderr; both are its log), and returns the FHIR folder it wrote (`<out>/fhir`) for import.
 * Parameters go through the same checks as the built-in engine first, so a bad one is the same 400 whichever
 * engine runs.
 * @see https://github.com/synthetichealth/synthea/wiki/Basic-Setup-and-Running
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { OperationOutcomeError, badRequest, issue, outcome, serverError } from '../fhir/outcomes.js';
import { resolveOptions, type GenerateOptions } from './options.js';
import { syntheaArgs } from './synthea-args.js';
import { checkJava, javaCommand, locateSynthea } from './synthea-environment.js';

/** Synthea starts a JVM and loads every module before the first patient: give it time. */
export const DEFAULT_SYNTHEA_TIMEOUT_MS = 30 * 60_000;
/** Lines of the log quoted in the error when Synthea fails. */
const TAIL_LINES = 15;
/**
 * A fixed heap ceiling, so that a run that outgrows it stops with Java's OutOfMemoryError in the quoted stderr
 * rather than taking the machine (the JVM's default is a quarter of its memory). One long life exported as FHIR
 * can reach 70 MB of JSON; 500 Massachusetts patients ran in 2.4 GB resident under this ceiling. Headless,
 * since its chart libraries would otherwise look for a display.
 */
export const SYNTHEA_JVM_FLAGS = ['-Xmx2g', '-XX:+ExitOnOutOfMemoryError', '-Djava.awt.headless=true'];
/** Synthea's log line after it loaded the modules `-m` matched: `       > [2 loaded]`. */
const MODULES_LOADED = /^\s*> \[(\d+) loaded\]/;
/** Java stack frames, left out of the stderr quoted in an error so that the exception and its causes fit. */
const STACK_FRAME = /^\s+(at |\.\.\. \d+ more)/;

export interface SyntheaRunOptions {
  /** A Synthea jar to run instead of the one `env` names (SYNTHEA_JAR, SYNTHEA_HOME). */
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
  const synthea = locateSynthea(run.jar ? { ...env, SYNTHEA_JAR: run.jar } : env);
  if (!synthea.ok) throw unavailable(synthea.detail);
  const java = checkJava(run.java ?? javaCommand(env));
  if (!java.ok) throw unavailable(java.detail);

  run.signal?.throwIfAborted();
  const base = path.resolve(outDir);
  fs.mkdirSync(base, { recursive: true });
  const moduleList = modules === undefined ? undefined : (Array.isArray(modules) ? modules : modules.split(',')).map((m) => m.trim()).filter(Boolean);
  const args = syntheaArgs(options, base, moduleList);
  const started = Date.now();
  const tail: string[] = [];
  const errTail: string[] = [];
  const child = spawn(java.command, [...SYNTHEA_JVM_FLAGS, ...synthea.launch!, ...args], { cwd: base, stdio: ['ignore', 'pipe', 'pipe'] });
  let stopped: string | undefined;
  const stop = (why: string) => {
    stopped = why;
    child.kill('SIGKILL');
  };
  let noModule = false;
  const onLine = (line: string, stderr: boolean) => {
    keep(tail, line);
    if (stderr && !STACK_FRAME.test(line)) keep(errTail, line);
    run.onLog?.(line);
    // Synthea runs on without a module when `-m` matches none; stop it, since that is never what was asked.
    if (moduleList?.length && MODULES_LOADED.exec(line)?.[1] === '0') {
      noModule = true;
      stop('loaded no module');
    }
  };
  const readers = [child.stdout, child.stderr].map((s, i) => new Promise<void>((resolve) => createInterface({ input: s }).on('line', (l) => onLine(l, i === 1)).on('close', resolve)));

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

  if (noModule) throw badRequest(`no Synthea module matches modules=${moduleList!.join(',')}: with engine=synthea, name Synthea's module files (e.g. asthma, copd, or a wildcard such as metabolic_syndrome*)`, 'modules');
  const log = errTail.length ? `; its stderr ended:\n${errTail.join('\n')}` : tail.length ? `; last lines of its log:\n${tail.join('\n')}` : '';
  if (stopped) throw serverError(`Synthea ${stopped}${tail.length ? `; last lines of its log:\n${tail.join('\n')}` : ''}`);
  if (exit.error) throw serverError(`could not start Synthea (${java.command}): ${exit.error.message}`);
  if (exit.code !== 0) throw serverError(`Synthea exited with code ${exit.code}${log}`);
  const fhirDir = path.join(base, 'fhir');
  const files = fs.existsSync(fhirDir) ? fs.readdirSync(fhirDir).filter((f) => f.endsWith('.json')).sort() : [];
  if (files.length === 0) throw serverError(`Synthea finished but wrote no FHIR files in ${fhirDir}${log}`);
  return { fhirDir, files, args, seconds: (Date.now() - started) / 1000 };
}

function keep(lines: string[], line: string): void {
  lines.push(line);
  if (lines.length > TAIL_LINES) lines.shift();
}
