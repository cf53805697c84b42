/**
 * The invariants layer: every FHIRPath constraint of the R4 StructureDefinitions (derived into
 * schemas/fhir-elements.json), compiled once with fhirpath.js on first use and evaluated on the nodes the
 * element walk reaches. Most constraints open with a guard such as `x.empty() or …` or
 * `x.exists() implies …`; when `x` is absent the constraint holds and fhirpath.js is not called at all, and
 * the most frequent ones have native twins (native-invariants.ts).
 * @see https://hl7.org/fhir/R4/conformance-rules.html#constraints
 */
import fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4';
import { issue } from '../fhir/outcomes.js';
import { typeDefinition, type ConstraintDef } from './element-definitions.js';
import { NATIVE_INVARIANTS } from './native-invariants.js';
import { pathOf, type WalkContext } from './walk-context.js';

type Json = Record<string, unknown>;
type Compiled = (node: unknown, env: Record<string, unknown>) => unknown[];

interface Prepared {
  /** The native twin (native-invariants.ts), when there is one for this exact expression. */
  native?: (node: Json, root: Json) => boolean;
  /** The native twin's locations of a failure below the node, when it reports them there. */
  locate?: (node: Json) => string[];
  compiled?: Compiled;
  /** The JSON names of a top-level element whose absence makes the constraint true (every variant of a choice). */
  guard?: string[];
}

const GUARDED = /^\(?\s*([a-z][A-Za-z0-9]*)(?:\.[a-z][A-Za-z0-9]*)*\s*(?:\.empty\(\)\s+or\b|\.hasValue\(\)\.not\(\)\s+or\b|\.exists\(\)\s*\)?\s+implies\b)/;
/** The DomainResource constraints are all about `contained`, though their FHIRPath does not open with it. */
const CONTAINED_GUARD = new Set(['dom-2', 'dom-3', 'dom-4', 'dom-5']);
/**
 * Keyed by the definition object itself (loaded once), then by type: an element's constraints meet several
 * types when the element is a choice. No string key is built per evaluation.
 */
const prepared = new WeakMap<ConstraintDef, Map<string, Prepared>>();

/** The JSON names under which `element` of `type` may appear: `valueQuantity`, `_valueString` for `value`. */
function jsonNames(type: string, element: string): string[] {
  const names = [element, `_${element}`];
  for (const [name, prop] of typeDefinition(type)?.properties ?? []) if (prop.element === `${element}[x]`) names.push(name, `_${name}`);
  return names;
}

/** Compiles (once per type and constraint) the FHIRPath of a constraint, or picks its native twin. */
export function prepareConstraint(type: string, c: ConstraintDef): Prepared {
  let byType = prepared.get(c);
  if (!byType) prepared.set(c, (byType = new Map()));
  let p = byType.get(type);
  if (!p) {
    const native = NATIVE_INVARIANTS[c.key];
    const guardMatch = GUARDED.exec(c.expression);
    // A guard is only sound when the guarded clause is the whole left side of the first `or`/`implies`.
    const guard = CONTAINED_GUARD.has(c.key) ? 'contained' : guardMatch && !/\b(and|xor)\b/.test(guardMatch[0]) ? guardMatch[1] : undefined;
    p = native?.expression === c.expression
      ? { native: native.check, locate: native.locate }
      : { compiled: fhirpath.compile({ base: type, expression: c.expression } as unknown as string, r4) as unknown as Compiled, guard: guard === undefined ? undefined : jsonNames(type, guard) };
    byType.set(type, p);
  }
  return p;
}

/**
 * Applies a node's constraints during the walk: a native twin at once, a guarded constraint whose guard is
 * absent not at all, and the rest is left in `ctx.constrained` for fhirpath.js (checkInvariants).
 */
export function applyConstraints(node: Json, type: string, constraints: ConstraintDef[], resource: object, root: object, ctx: WalkContext): void {
  if (ctx.everyConstrained) ctx.everyConstrained.push({ node, path: pathOf(ctx), type, constraints, resource, root });
  for (const c of constraints) {
    const p = prepareConstraint(type, c);
    if (p.native) {
      if (!p.native(node, root as Json)) for (const at of p.locate?.(node) ?? ['']) ctx.issues.push(failed(c, pathOf(ctx, at)));
    } else if (p.guard === undefined || p.guard.some((n) => node[n] !== undefined)) {
      ctx.constrained.push({ node, path: pathOf(ctx), type, constraints: [c], resource, root });
    }
  }
}

const failed = (c: ConstraintDef, path: string) => issue(c.severity, 'invariant', `${c.key}: ${c.human ?? c.expression}`, path);

/** Evaluates with fhirpath.js the constraints the walk left, adding one issue per failed constraint. */
export function checkInvariants(ctx: WalkContext): void {
  for (const { node, path, type, constraints, resource, root } of ctx.constrained) {
    for (const c of constraints) {
      let result: unknown[];
      try {
        result = prepareConstraint(type, c).compiled!(node, { resource, rootResource: root });
      } catch (err) {
        ctx.issues.push(issue('information', 'exception', `${c.key} could not be evaluated: ${err instanceof Error ? err.message : String(err)}`, path));
        continue;
      }
      if (result.length === 1 && result[0] === false) ctx.issues.push(failed(c, path));
    }
  }
}
