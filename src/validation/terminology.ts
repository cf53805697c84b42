/**
 * The terminology layer: required bindings checked against the R4 value sets expanded at build time, and
 * code formats of the external code systems (code-formats.ts). A value set whose expansion needs an external
 * code system yields information only.
 * @see https://hl7.org/fhir/R4/terminologies.html#strength
 */
import { issue } from '../fhir/outcomes.js';
import { codeFormatProblem } from './code-formats.js';
import type { PropertyDef } from './element-definitions.js';
import { valueSet } from './value-sets.js';
import { pathOf, type WalkContext } from './walk-context.js';

interface CodingLike {
  system?: unknown;
  code?: unknown;
}

/** Checks a code, Coding, Quantity or CodeableConcept against the required binding of its element. */
export function checkBinding(value: unknown, prop: PropertyDef, ctx: WalkContext): void {
  const vs = valueSet(prop.def.valueSet!);
  if (vs === undefined) return;
  if (vs.external) {
    ctx.issues.push(issue('information', 'informational', `Value set ${vs.url} needs an external code system; membership not checked`, pathOf(ctx)));
    return;
  }
  if (typeof value === 'string') {
    if (!vs.codes.has(value)) ctx.issues.push(issue('error', 'code-invalid', `Code '${value.slice(0, 64)}' is not in the required value set ${vs.url}`, pathOf(ctx)));
    return;
  }
  const member = (c: CodingLike) => typeof c.code === 'string' && (typeof c.system === 'string' ? vs.members.has(`${c.system}|${c.code}`) : vs.codes.has(c.code));
  if (prop.type === 'CodeableConcept') {
    const codings = (value as { coding?: CodingLike[] }).coding;
    if (!Array.isArray(codings) || !codings.some((c) => c !== null && typeof c === 'object' && member(c))) {
      ctx.issues.push(issue('error', 'code-invalid', `No code from the required value set ${vs.url}`, pathOf(ctx)));
    }
  } else if ((value as CodingLike).code !== undefined && !member(value as CodingLike)) {
    ctx.issues.push(issue('error', 'code-invalid', `Code '${String((value as CodingLike).code).slice(0, 64)}' is not in the required value set ${vs.url}`, pathOf(ctx, '.code')));
  }
}

/**
 * Checks the format of a Coding's or Quantity's code in the external systems that have one. A warning, not an
 * error: without the code system at hand the reference validator cannot reject such codes either, and real
 * corpora (Synthea's de-identified HIV set) carry placeholder codes that must still import.
 */
export function checkCodeFormat(value: CodingLike, ctx: WalkContext): void {
  if (typeof value.system !== 'string' || typeof value.code !== 'string') return;
  const problem = codeFormatProblem(value.system, value.code);
  if (problem) ctx.issues.push(issue('warning', 'code-invalid', `Code '${value.code.slice(0, 64)}' is ${problem}`, pathOf(ctx, '.code')));
}
