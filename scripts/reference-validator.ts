/**
 * Client of the reference harness (tools/reference-validator, issue #14): the HL7 validator's engine in one JVM,
 * fed resources over stdin and answering one JSON line each. Starting the JVM and loading the R4 definitions
 * take seconds, so one process serves a whole run; `maxInFlight` bounds what waits in its pipe.
 *   const judge = await startReferenceValidator();
 *   const issues = await judge.validate('Patient/1', patient);
 *   await judge.close();
 */
import { execFile, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** One message of the reference validator; `expression` is its FHIRPath location (`Patient.name[0]`). */
export interface Issue {
  severity: 'fatal' | 'error' | 'warning' | 'information';
  /** An OperationOutcome IssueType code: `structure`, `invariant`, `value`, `code-invalid`, … */
  code: string;
  expression?: string;
  line?: number;
  col?: number;
  message: string;
  /** The engine's message key (e.g. `Type_Specific_Checks_DT_Date_Valid`), steadier than the wording. */
  messageId?: string;
}

export interface ReferenceValidator {
  validate(key: string, resource: object): Promise<Issue[]>;
  /** Lets the answers still owed arrive, then ends the JVM. */
  close(): Promise<void>;
}

export interface ReferenceValidatorOptions {
  /** Resources sent and not yet answered; `validate` waits for a free slot beyond it. Default 64. */
  maxInFlight?: number;
  /**
   * JSON characters sent and not yet answered, beyond one resource. Default 8 MB: the JVM holds a parsed
   * element model of every resource waiting in its pipe, and 64 whole Synthea Bundles ran it out of a 2 GB heap.
   */
  maxInFlightChars?: number;
  /** The CLI's `-extension` values: `any`, or URL prefixes whose extensions are accepted unseen. Default none. */
  extensions?: string[];
}

interface Answer {
  id: string;
  issues: Issue[];
}

const buildScript = fileURLToPath(new URL('../tools/reference-validator/build.sh', import.meta.url));

/** Builds the harness when its jar is missing or stale (build.sh decides) and returns the jar's path, whose name
 * carries a hash of the harness's sources: answers cached under it stay right until the harness changes. */
export async function buildReferenceValidatorJar(): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)('bash', [buildScript], { maxBuffer: 16 * 1024 * 1024 });
    return stdout.trim().split('\n').at(-1) ?? '';
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`cannot build the reference validator (${buildScript}): ${stderr || (error as Error).message}`);
  }
}

export async function startReferenceValidator(options: ReferenceValidatorOptions = {}): Promise<ReferenceValidator> {
  const maxInFlight = options.maxInFlight ?? 64;
  const maxInFlightChars = options.maxInFlightChars ?? 8 * 1024 * 1024;
  const jar = await buildReferenceValidatorJar();
  // A bounded heap and the throughput collector: left to its defaults the JVM grew to 4.7 GB on the Synthea
  // entries, and G1's concurrent threads cost wall time on a busy 2-core machine for no gain in CPU time.
  const jvm = ['-Xmx2g', '-XX:+UseParallelGC'];
  const args = [...jvm, '-jar', jar, ...(options.extensions ?? []).flatMap((e) => ['-extension', e]), '-'];
  const child = spawn('java', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const pending = new Map<string, { resolve: (issues: Issue[]) => void; reject: (error: Error) => void; chars: number }>();
  let charsInFlight = 0;
  const slotWaiters: (() => void)[] = [];
  let stderrTail = '';
  let failure: Error | undefined;

  const fail = (error: Error) => {
    failure ??= error;
    for (const p of pending.values()) p.reject(failure);
    pending.clear();
    for (const wake of slotWaiters.splice(0)) wake();
  };
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-4000);
  });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'ENOENT' ? new Error('java not found: the reference validator needs a JDK 17+ on PATH') : error);
    });
  });
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  child.on('close', (code, signal) => {
    fail(new Error(`reference validator exited (${signal ?? code})${stderrTail ? `: ${stderrTail.trim()}` : ''}`));
  });
  // A write after the JVM died reports EPIPE here; the 'close' handler has already failed what was owed.
  child.stdin.on('error', () => {});

  createInterface({ input: child.stdout }).on('line', (line) => {
    let answer: Answer;
    try {
      answer = JSON.parse(line) as Answer;
    } catch {
      return fail(new Error(`reference validator printed a line that is not an answer: ${line.slice(0, 200)}`));
    }
    const waiting = pending.get(answer.id);
    if (!waiting) return fail(new Error(`reference validator answered for an unknown key: ${answer.id}`));
    pending.delete(answer.id);
    charsInFlight -= waiting.chars;
    waiting.resolve(answer.issues);
    // Every waiter looks again: a freed slot may fit several small resources, or none of a large one.
    for (const wake of slotWaiters.splice(0)) wake();
  });

  return {
    async validate(key, resource) {
      // The harness reads `key<TAB>resource`; a line starting with "{" would be taken for a bare resource.
      if (/[\t\r\n]/.test(key) || key.startsWith('{')) throw new Error(`invalid key for the reference validator: ${JSON.stringify(key)}`);
      const line = `${key}\t${JSON.stringify(resource)}\n`;
      const full = () => pending.size >= maxInFlight || (pending.size > 0 && charsInFlight + line.length > maxInFlightChars);
      while (!failure && full()) await new Promise<void>((wake) => slotWaiters.push(wake));
      if (failure) throw failure;
      if (pending.has(key)) throw new Error(`key already awaiting an answer: ${key}`);
      const answer = new Promise<Issue[]>((resolve, reject) => pending.set(key, { resolve, reject, chars: line.length }));
      charsInFlight += line.length;
      child.stdin.write(line);
      return answer;
    },
    async close() {
      child.stdin.end();
      await exited;
    },
  };
}
