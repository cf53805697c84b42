/**
 * JSON Patch (RFC 6902) over JSON Pointer (RFC 6901), as FHIR's PATCH interaction takes it
 * (`application/json-patch+json`). Applied to a copy, all or nothing: a malformed patch is a 400 naming the
 * operation, a `test` that does not hold is a 422 (the patch is sound, the resource is not in the state it
 * expects). Pointers never reach `__proto__`-style members: only own properties are read.
 * @see https://www.rfc-editor.org/rfc/rfc6902
 * @see https://www.rfc-editor.org/rfc/rfc6901
 * @see https://hl7.org/fhir/R4/http.html#patch
 */
import { isDeepStrictEqual } from 'node:util';
import { badRequest, unprocessable } from './outcomes.js';

type Json = unknown;
type Container = Record<string, Json> | Json[];

/** Longer patches are refused, as any body over the size limit is. */
export const MAX_PATCH_OPERATIONS = 10_000;

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

interface Operation {
  op: string;
  path: string[];
  from?: string[];
  value?: Json;
  hasValue: boolean;
  /** `operation 2 (replace /name/0/family)`, for messages. */
  label: string;
}

/** The reference tokens of a JSON Pointer: `/a~1b/0` is `["a/b", "0"]`; `""` is the whole document. */
function parsePointer(pointer: unknown, label: string, member: string): string[] {
  if (typeof pointer !== 'string' || (pointer !== '' && !pointer.startsWith('/'))) {
    throw badRequest(`${label}: "${member}" must be a JSON Pointer such as /name/0/family`);
  }
  if (/~[^01]|~$/.test(pointer)) throw badRequest(`${label}: "${member}" has a ~ that is not ~0 or ~1`);
  return pointer === '' ? [] : pointer.slice(1).split('/').map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function parseOperation(raw: unknown, index: number): Operation {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw badRequest(`Patch operation ${index} is not an object`);
  const o = raw as Record<string, unknown>;
  const label = `Patch operation ${index} (${String(o.op).slice(0, 20)} ${String(o.path).slice(0, 100)})`;
  if (typeof o.op !== 'string' || !OPS.has(o.op)) throw badRequest(`${label}: "op" must be one of ${[...OPS].join(', ')}`);
  const op: Operation = { op: o.op, path: parsePointer(o.path, label, 'path'), value: o.value, hasValue: 'value' in o, label };
  if ((op.op === 'add' || op.op === 'replace' || op.op === 'test') && !op.hasValue) throw badRequest(`${label}: "value" is required`);
  if (op.op === 'move' || op.op === 'copy') op.from = parsePointer(o.from, label, 'from');
  return op;
}

/** An array index token: digits without a leading zero (`-` only where `allowEnd`, for add). */
function arrayIndex(array: Json[], token: string, label: string, allowEnd: boolean): number {
  if (allowEnd && token === '-') return array.length;
  if (!/^(0|[1-9]\d{0,8})$/.test(token)) throw unprocessable(`${label}: "${token.slice(0, 40)}" is not an index of the array there`);
  const i = Number(token);
  if (i > array.length || (!allowEnd && i === array.length)) throw unprocessable(`${label}: index ${i} is past the end of the array (length ${array.length})`);
  return i;
}

const own = (o: Record<string, Json>, key: string) => Object.prototype.hasOwnProperty.call(o, key);

/** The container that holds the last token of `path`, and that token. */
function parentOf(doc: Json, path: string[], label: string): { parent: Container; key: string } {
  let at: Json = doc;
  for (const token of path.slice(0, -1)) {
    if (Array.isArray(at)) at = at[arrayIndex(at, token, label, false)];
    else if (at !== null && typeof at === 'object' && own(at as Record<string, Json>, token)) at = (at as Record<string, Json>)[token];
    else throw unprocessable(`${label}: /${path.join('/')} does not exist (no "${token.slice(0, 60)}")`);
  }
  if (at === null || typeof at !== 'object') throw unprocessable(`${label}: /${path.join('/')} is inside a value that has no members`);
  return { parent: at as Container, key: path[path.length - 1] };
}

function read(doc: Json, path: string[], label: string): Json {
  if (path.length === 0) return doc;
  const { parent, key } = parentOf(doc, path, label);
  if (Array.isArray(parent)) return parent[arrayIndex(parent, key, label, false)];
  if (!own(parent, key)) throw unprocessable(`${label}: /${path.join('/')} does not exist`);
  return parent[key];
}

function add(doc: Json, path: string[], value: Json, label: string): Json {
  if (path.length === 0) return value;
  const { parent, key } = parentOf(doc, path, label);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, label, true), 0, value);
  // Defined, not assigned: assigning "__proto__" would set the object's prototype instead of a member.
  else Object.defineProperty(parent, key, { value, writable: true, enumerable: true, configurable: true });
  return doc;
}

function remove(doc: Json, path: string[], label: string): Json {
  if (path.length === 0) throw unprocessable(`${label}: the whole resource cannot be removed`);
  const { parent, key } = parentOf(doc, path, label);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, label, false), 1);
  else if (own(parent, key)) delete parent[key];
  else throw unprocessable(`${label}: /${path.join('/')} does not exist`);
  return doc;
}

function applyOne(doc: Json, op: Operation): Json {
  switch (op.op) {
    case 'add':
      return add(doc, op.path, structuredClone(op.value), op.label);
    case 'remove':
      return remove(doc, op.path, op.label);
    case 'replace':
      read(doc, op.path, op.label);
      return add(remove(doc, op.path, op.label), op.path, structuredClone(op.value), op.label);
    case 'move': {
      const from = op.from as string[];
      if (from.length < op.path.length && from.every((t, i) => op.path[i] === t)) throw badRequest(`${op.label}: cannot move a value into itself`);
      const value = read(doc, from, op.label);
      return add(remove(doc, from, op.label), op.path, value, op.label);
    }
    case 'copy':
      return add(doc, op.path, structuredClone(read(doc, op.from as string[], op.label)), op.label);
    default:
      if (!isDeepStrictEqual(read(doc, op.path, op.label), op.value)) throw unprocessable(`${op.label}: the value there is not the one the test expects`);
      return doc;
  }
}

/** `patch` applied to a copy of `doc`; `doc` itself is never changed. */
export function applyJsonPatch(doc: Json, patch: unknown): Json {
  if (!Array.isArray(patch)) throw badRequest('A JSON Patch is an array of operations');
  if (patch.length > MAX_PATCH_OPERATIONS) throw badRequest(`A JSON Patch may hold at most ${MAX_PATCH_OPERATIONS} operations, got ${patch.length}`);
  const ops = patch.map(parseOperation);
  let out = structuredClone(doc);
  for (const op of ops) out = applyOne(out, op);
  return out;
}
