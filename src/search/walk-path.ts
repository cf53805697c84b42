/**
 * Runs a compiled path plan over a resource's JSON: the native replacement for evaluating the FHIRPath
 * expression. Recursion follows the plan's steps (a handful), never the depth of the data.
 */
import type { PathPlan, Step } from './compile-path.js';

/**
 * Values found by a walk with their FHIR type names: the first `count` items of two parallel arrays,
 * which are reused across calls (resetting `count` is cheaper than truncating the arrays).
 */
export interface Found {
  values: unknown[];
  types: string[];
  count: number;
}

type Json = Record<string, unknown>;

/** The resource type a literal reference names (`Patient/1`, `Patient/1/_history/2`, `http://x/fhir/Patient/1`). */
export function referenceTypeOf(reference: string): string | null {
  let end = reference.length;
  const history = reference.lastIndexOf('/_history/');
  if (history >= 0) end = history;
  const idSlash = reference.lastIndexOf('/', end - 1);
  if (idSlash <= 0) return null;
  const typeStart = reference.lastIndexOf('/', idSlash - 1) + 1;
  const type = reference.slice(typeStart, idSlash);
  return /^[A-Z][A-Za-z]+$/.test(type) ? type : null;
}

function visit(node: unknown, steps: Step[], i: number, type: string, found: Found): void {
  if (i === steps.length) {
    found.values[found.count] = node;
    found.types[found.count++] = type;
    return;
  }
  const step = steps[i];
  switch (step.kind) {
    case 'field':
      follow((node as Json)[step.key], steps, i, step.type, found);
      return;
    case 'choice':
      for (let k = 0; k < step.keys.length; k++) follow((node as Json)[step.keys[k]], steps, i, step.types[k], found);
      return;
    case 'refType': {
      const reference = (node as Json).reference;
      // A reference naming the type contains its name: the substring test rules out most others at once (a
      // Provenance's hundreds of targets, of which `patient` wants the Patient).
      if (typeof reference === 'string' && reference.includes(step.type) && referenceTypeOf(reference) === step.type) visit(node, steps, i + 1, type, found);
      return;
    }
    case 'equals':
      if ((node as Json)[step.field] === step.value) visit(node, steps, i + 1, type, found);
      return;
  }
}

/** Visits a property's value: each non-null array item, or the value itself. */
function follow(value: unknown, steps: Step[], i: number, type: string, found: Found): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    for (let k = 0; k < value.length; k++) {
      const item: unknown = value[k];
      if (item !== null && item !== undefined) visit(item, steps, i + 1, type, found);
    }
  } else visit(value, steps, i + 1, type, found);
}

/** Appends to `found` what the plan selects in `resource` (which must be of the plan's root type). */
export function walkPath(plan: PathPlan, resource: object, found: Found): void {
  visit(resource, plan.steps, 0, plan.rootType, found);
}
