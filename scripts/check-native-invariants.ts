/**
 * Proves the native invariants (src/validation/native-invariants.ts) and business rules (native-rules.ts)
 * equal to fhirpath.js: every node the element walk collects is checked both ways for each constraint with
 * a native twin, and every resource for each rule of its type with one (a rule's twin may defer: not counted).
 * `npx tsx scripts/check-native-invariants.ts [folder…]` runs over the official R4 examples and any folders
 * of FHIR JSON given (e.g. ../shared/data/synthea); exit 1 on any disagreement.
 */
import fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4';
import { businessRules } from '../src/validation/business-rules.js';
import type { ConstraintDef } from '../src/validation/element-definitions.js';
import { NATIVE_INVARIANTS } from '../src/validation/native-invariants.js';
import { nativeRule } from '../src/validation/native-rules.js';
import { walkContext, type ConstrainedNode, type WalkContext } from '../src/validation/walk-context.js';
import { walkResource } from '../src/validation/walk-elements.js';
import { jsonFiles, officialExampleFiles, resourcesOf } from './validation-corpus.js';

type Compiled = (node: unknown, env: Record<string, unknown>) => unknown[];
const compiled = new Map<string, Compiled>();

/**
 * R4's dom-3 applies `as(canonical)` to whole collections, which fhirpath.js (rightly) rejects with an error
 * on every resource that has contained resources; R5 fixed it to `ofType()`, the meaning intended, and that
 * fixed form is what the native check is compared with.
 */
const intended = (expression: string) => expression.replace(/%resource\.descendants\(\)\.as\((\w+)\)/g, '%resource.descendants().ofType($1)');

function byFhirPath(type: string, c: ConstraintDef, node: unknown, resource: object, root: object): boolean {
  const id = `${type}|${c.expression}`;
  let fn = compiled.get(id);
  if (!fn) compiled.set(id, (fn = fhirpath.compile({ base: type, expression: intended(c.expression) } as unknown as string, r4) as unknown as Compiled));
  const result = fn(node, { resource, rootResource: root });
  return !(result.length === 1 && result[0] === false);
}

const rules = businessRules()
  .filter((r) => !r.uses && nativeRule(r.expression))
  .map((r) => ({ ...r, native: nativeRule(r.expression)!, compiled: fhirpath.compile(r.expression, r4) as unknown as Compiled }));

function compareRules(resource: Record<string, unknown>, out: NativeComparison): void {
  for (const rule of rules) {
    if (!rule.resourceTypes.includes('*') && !rule.resourceTypes.includes(String(resource.resourceType))) continue;
    const n = rule.native(resource);
    if (n === undefined) continue;
    const result = rule.compiled(resource, { resource, rootResource: resource });
    tally(out, rule.id, n, !(result.length === 1 && result[0] === false), String(resource.resourceType));
  }
}

function tally(out: NativeComparison, key: string, native: boolean, byPath: boolean, path: string): void {
  out.checked[key] = (out.checked[key] ?? 0) + 1;
  if (!native && !byPath) out.failing[key] = (out.failing[key] ?? 0) + 1;
  if (native !== byPath) out.differences.push({ key, path, native, fhirpath: byPath });
}

export interface NativeComparison {
  /** Evaluations compared, per constraint key or rule id. */
  checked: Record<string, number>;
  /** Of those, the ones where both said the constraint or rule fails. */
  failing: Record<string, number>;
  /** Where the native check and fhirpath.js disagree. */
  differences: { key: string; path: string; native: boolean; fhirpath: boolean }[];
}

/** Compares native and fhirpath.js results on every constrained node of the given resources. */
export function compareNatives(resources: Iterable<Record<string, unknown>>): NativeComparison {
  const out: NativeComparison = { checked: {}, failing: {}, differences: [] };
  for (const resource of resources) {
    const ctx: WalkContext = { ...walkContext(resource), everyConstrained: [] };
    walkResource(resource, ctx);
    for (const { node, path, type, constraints, resource: res, root } of ctx.everyConstrained as ConstrainedNode[]) {
      for (const c of constraints) {
        const native = NATIVE_INVARIANTS[c.key];
        if (native?.expression !== c.expression) continue;
        const n = native.check(node as Record<string, unknown>, root as Record<string, unknown>);
        const f = byFhirPath(type, c, node, res, root);
        tally(out, c.key, n, f, path);
      }
    }
    compareRules(resource, out);
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const files = [...officialExampleFiles(), ...process.argv.slice(2).flatMap((dir) => jsonFiles(dir))];
  const result = compareNatives(resourcesOf(files));
  console.log(JSON.stringify({ files: files.length, checked: result.checked, failing: result.failing, differences: result.differences.slice(0, 20), differenceCount: result.differences.length }, null, 1));
  if (result.differences.length > 0) process.exitCode = 1;
}
