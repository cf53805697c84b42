/**
 * Parsing client JSON safely: strict UTF-8, a nesting limit, finite numbers, and no keys that could reach an object's
 * prototype when the data is later copied. FHIR JSON never needs any of them, so they are refused with
 * the FHIRPath-like location of the offending key.
 * @see https://hl7.org/fhir/R4/json.html
 */
import { badRequest } from './outcomes.js';

/** Deeper than any real FHIR resource (Questionnaire items nest about a dozen levels). */
export const MAX_JSON_DEPTH = 100;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes strict UTF-8 (a leading byte order mark, as Windows tools write, is dropped), parses, then checks
 * depth, numbers and keys. 400 OperationOutcomes on failure.
 */
export function parseJsonBody(body: Buffer | string): unknown {
  let text: string;
  try {
    text = typeof body === 'string' ? body : decoder.decode(body);
  } catch {
    throw badRequest('Request body is not valid UTF-8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw badRequest(`Request body is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  checkJsonShape(value);
  return value;
}

interface Frame {
  value: unknown;
  depth: number;
  parent: Frame | undefined;
  key: string | number;
}

/** The location of a frame, built only when an error needs it. */
function pathOf(frame: Frame): string {
  let path = '';
  for (let f: Frame | undefined = frame; f?.parent; f = f.parent) {
    path = typeof f.key === 'number' ? `[${f.key}]${path}` : `.${f.key}${path}`;
  }
  return path.replace(/^\./, '');
}

/** Walks the value without recursion, so hostile nesting cannot exhaust the stack. */
export function checkJsonShape(root: unknown, maxDepth = MAX_JSON_DEPTH): void {
  const stack: Frame[] = [{ value: root, depth: 0, parent: undefined, key: '' }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const { value, depth } = frame;
    if (typeof value === 'number' && !Number.isFinite(value)) throw badRequest('A number is out of range', pathOf(frame) || undefined);
    if (value === null || typeof value !== 'object') continue;
    if (depth >= maxDepth) throw badRequest(`JSON nesting deeper than ${maxDepth} levels`, pathOf(frame) || undefined);
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) stack.push({ value: value[i], depth: depth + 1, parent: frame, key: i });
      continue;
    }
    for (const key of Object.keys(value)) {
      const child: Frame = { value: (value as Record<string, unknown>)[key], depth: depth + 1, parent: frame, key };
      if (FORBIDDEN_KEYS.has(key)) throw badRequest(`Property "${key}" is not allowed`, pathOf(child));
      stack.push(child);
    }
  }
}
