/**
 * Rules of the FHIR specification that no FHIRPath constraint states but the HL7 reference validator
 * enforces, checked natively on every node of the named type during the element walk.
 * @see https://hl7.org/fhir/R4/bundle.html#bundle-link
 */
import { issue } from '../fhir/outcomes.js';
import { checkAttachment } from './attachment-rules.js';
import { checkCoreExtension } from './core-extensions.js';
import { checkNarrative } from './narrative-rules.js';
import { pathOf, type WalkContext } from './walk-context.js';

type Json = Record<string, unknown>;

/** Paging links name one page each: a relation among these may appear once in a Bundle. */
const SINGLE_RELATIONS = new Set(['self', 'first', 'previous', 'prev', 'next', 'last']);

function bundle(node: Json, ctx: WalkContext): void {
  if (!Array.isArray(node.link)) return;
  const seen = new Set<string>();
  node.link.forEach((link: Json | null, i) => {
    const relation = link?.relation;
    if (typeof relation !== 'string' || !SINGLE_RELATIONS.has(relation)) return;
    if (seen.has(relation)) ctx.issues.push(issue('error', 'invariant', `The link relation '${relation}' can only occur once`, pathOf(ctx, `.link[${i}]`)));
    seen.add(relation);
  });
}

/** Native checks by type name, run on each node of that type. */
export const TYPE_RULES: Record<string, ((node: Json, ctx: WalkContext) => void) | undefined> = {
  Attachment: checkAttachment,
  Bundle: bundle,
  Extension: checkCoreExtension,
  Narrative: checkNarrative,
};
