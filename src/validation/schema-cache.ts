/**
 * The compiled R4 schema validators, kept between processes as ajv standalone code. Compiling the whole
 * schema took about 2.5 s of every process that validated (each CLI run, each server start, the import's
 * validation worker, each test file); loading the code ajv generated for it takes about 0.2 s.
 * The file is named by a hash of the prepared schema, ajv's version and options and the file's format, so
 * any change to them compiles afresh. It lives in the package's own `node_modules/.cache`, where build tools
 * keep theirs, never in a shared temporary directory, since the file is run as code. An install that cannot
 * be written simply compiles in each process, as before.
 * @see https://ajv.js.org/standalone.html
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import type { ValidateFunction } from 'ajv';

export type Validators = Record<string, ValidateFunction>;

const PREFIX = 'r4-validators-';
/** Part of the key: changed whenever the code written for the same schema changes (asciiOnly). */
const FORMAT = 'standalone, ASCII only';
const requireHere = createRequire(import.meta.url);

/** `node_modules/.cache/medgen-data` of this package. */
export const DEFAULT_CACHE_DIR = path.join(fileURLToPath(new URL('../../', import.meta.url)), 'node_modules', '.cache', 'medgen-data');

/** The file for a schema prepared as `schema` and compiled with `options`. */
export function cacheFile(dir: string, schema: unknown, options: unknown): string {
  const ajvVersion = (requireHere('ajv/package.json') as { version: string }).version;
  const key = createHash('sha256').update(JSON.stringify({ FORMAT, ajvVersion, options, schema })).digest('hex').slice(0, 24);
  return path.join(dir, `${PREFIX}${key}.cjs`);
}

/** The validators of `types` defined by standalone `code`, or undefined when it does not define them all. */
function validatorsOfCode(code: string, types: Iterable<string>): Validators | undefined {
  try {
    const module = { exports: {} as Validators };
    // The standalone module is CommonJS that requires ajv's runtime helpers, resolved as this module would.
    // compileFunction keeps the code as the function's source as it is; new Function kept a second copy.
    vm.compileFunction(code, ['module', 'exports', 'require'])(module, module.exports, requireHere);
    for (const type of types) if (typeof module.exports[type] !== 'function') return undefined;
    return module.exports;
  } catch {
    return undefined;
  }
}

/** The validators of `types` from the file, or undefined when it is missing, unreadable or incomplete. */
export function readValidators(file: string, types: Iterable<string>): Validators | undefined {
  let code: string;
  try {
    code = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  return validatorsOfCode(code, types);
}

/**
 * The code with every character past ASCII written as a `\\u` escape, which means the same in the string and
 * regular expression literals they sit in: a handful of typographic quotes in the schema made V8 hold the whole
 * 11.5 MB source as two-byte text, 23 MB in every thread that validates.
 */
function asciiOnly(code: string): string {
  return code.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Writes the standalone code (made ASCII only) under a temporary name and renames it into place, so a process
 * never reads a half-written file; files of other keys (an older schema or ajv) are removed. Failing to write
 * is not an error: a read-only install compiles in each process. Returns the validators of that same code,
 * so the process that compiled uses exactly what the next ones will load.
 */
export function saveValidators(file: string, standaloneCode: string, types: Iterable<string>): Validators | undefined {
  const code = asciiOnly(standaloneCode);
  const dir = path.dirname(file);
  try {
    fs.mkdirSync(dir, { recursive: true });
    const temporary = `${file}.${randomUUID()}.tmp`;
    fs.writeFileSync(temporary, code, { mode: 0o644 });
    fs.renameSync(temporary, file);
    for (const name of fs.readdirSync(dir)) {
      if (name.startsWith(PREFIX) && name.endsWith('.cjs') && name !== path.basename(file)) fs.rmSync(path.join(dir, name), { force: true });
    }
  } catch {
    // A read-only install: each process compiles the schema itself.
  }
  return validatorsOfCode(code, types);
}
