/**
 * The invariants layer: every FHIRPath constraint of the R4 StructureDefinitions (derived into
 * schemas/fhir-elements.json), compiled once with fhirpath.js on first use and evaluated on the nodes the
 * element walk collected. Most constraints open with a guard such as `x.empty() or …` or
 * `x.exists() implies …`; when `x` is absent the constraint holds and fhirpath.js is not called at all.
 * @see https://hl7.org/fhir/R4/conformance-rules.html#constraints
 */
import fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4';
import { issue } from '../fhir/outcomes.js';
import type { ConstraintDef } from './element-definitions.js';
import { NATIVE_INVARIANTS } from './native-invariants.js';
import type { WalkContext } from './walk-context.js';

type Json = Record<string, unknown>;
type Compiled = (node: unknown, env: Record<string, unknown>) => unknown[];

interface Prepared {
  evaluate: Compiled | ((node: Json, root: Json) => boolean);
  native: boolean;
  /** A top-level element whose absence makes the constraint true. */
  guard?: string;
}

const GUARDED = /^\(?\s*([a-z][A-Za-z0-9]*)(?:\.[a-z][A-Za-z0-9]*)*\s*(?:\.empty\(\)\s+or\b|\.hasValue\(\)\.not\(\)\s+or\b|\.exists\(\)\s*\)?\s+implies\b)/;
/** The DomainResource constraints are all about `contained`, though their FHIRPath does not open with it. */
const CONTAINED_GUARD = new Set(['dom-2', 'dom-3', 'dom-4', 'dom-5']);
const prepared = new Map<string, Prepared>();

/** Compiles (once per type and key) the FHIRPath of a constraint, or picks its native twin. */
export function prepareConstraint(type: string, c: ConstraintDef): Prepared {
  const id = `${type}|${c.key}|${c.expression}`;
  let p = prepared.get(id);
  if (!p) {
    const native = NATIVE_INVARIANTS[c.key];
    const guardMatch = GUARDED.exec(c.expression);
    // A guard is only sound when the guarded clause is the whole left side of the first `or`/`implies`.
    const guard = CONTAINED_GUARD.has(c.key) ? 'contained' : guardMatch && !/\b(and|xor)\b/.test(guardMatch[0]) ? guardMatch[1] : undefined;
    p = native
      ? { evaluate: native, native: true }
      : { evaluate: fhirpath.compile({ base: type, expression: c.expression } as unknown as string, r4) as unknown as Compiled, native: false, guard };
    prepared.set(id, p);
  }
  return p;
}

function holds(p: Prepared, node: Json, resource: object, root: object): boolean {
  if (p.native) return (p.evaluate as (n: Json, r: Json) => boolean)(node, root as Json);
  if (p.guard !== undefined && node[p.guard] === undefined && node[`_${p.guard}`] === undefined) return true;
  const result = (p.evaluate as Compiled)(node, { resource, rootResource: root });
  return !(result.length === 1 && result[0] === false);
}

/** Evaluates the constraints of every node the walk collected, adding one issue per failed constraint. */
export function checkInvariants(ctx: WalkContext): void {
  for (const { node, path, type, constraints, resource } of ctx.constrained) {
    for (const c of constraints) {
      let ok: boolean;
      try {
        ok = holds(prepareConstraint(type, c), node as Json, resource, ctx.root);
      } catch (err) {
        ctx.issues.push(issue('information', 'exception', `${c.key} could not be evaluated: ${err instanceof Error ? err.message : String(err)}`, path));
        continue;
      }
      if (!ok) ctx.issues.push(issue(c.severity, 'invariant', `${c.key}: ${c.human ?? c.expression}`, path));
    }
  }
}
