/**
 * The local part of the references layer: a Reference's `reference` must be a contained (`#id`), relative
 * (`Type/id`), conditional (`Type?query`, in transactions), `urn:uuid:`/`urn:oid:` or absolute reference,
 * and the type it names must be one the element's targetProfile allows (and agree with `Reference.type`).
 * @see https://hl7.org/fhir/R4/references.html#Reference
 */
import { issue } from '../fhir/outcomes.js';
import { isResourceType } from './fhir-schema.js';
import { pathOf, type WalkContext } from './walk-context.js';

const RELATIVE = /^([A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(\/_history\/[A-Za-z0-9\-.]{1,64})?$/;
const CONDITIONAL = /^([A-Za-z]+)\?\S+$/;
const ABSOLUTE_TAIL = /\/([A-Z][A-Za-z]+)\/[A-Za-z0-9\-.]{1,64}(\/_history\/[A-Za-z0-9\-.]{1,64})?$/;
const UUID = /^urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const OID = /^urn:oid:[0-2](\.(0|[1-9]\d*))+$/;
const ABSOLUTE = /^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$/;

/** The resource type a reference names, null when it names none (urn, contained), or 'invalid'. */
export function referencedType(reference: string): string | null | 'invalid' {
  if (reference.startsWith('#')) return reference.length > 1 ? null : 'invalid';
  const relative = RELATIVE.exec(reference) ?? CONDITIONAL.exec(reference);
  if (relative) return isResourceType(relative[1]) ? relative[1] : 'invalid';
  if (reference.startsWith('urn:uuid:')) return UUID.test(reference) ? null : 'invalid';
  if (reference.startsWith('urn:oid:')) return OID.test(reference) ? null : 'invalid';
  if (!ABSOLUTE.test(reference)) return 'invalid';
  const tail = ABSOLUTE_TAIL.exec(reference);
  return tail && isResourceType(tail[1]) ? tail[1] : null;
}

/** Checks the Reference value the element walk is at. */
export function checkReferenceFormat(ref: { reference?: unknown; type?: unknown }, targets: string[] | undefined, ctx: WalkContext): void {
  if (typeof ref.reference !== 'string') return;
  const type = referencedType(ref.reference);
  if (type === 'invalid') {
    // A malformed urn:uuid/urn:oid is still an absolute URI; the HL7 reference validator accepts it, so warn.
    const severity = ref.reference.startsWith('urn:') ? 'warning' : 'error';
    ctx.issues.push(issue(severity, 'invalid', `Invalid reference '${ref.reference.slice(0, 100)}'`, pathOf(ctx, '.reference')));
    return;
  }
  const named = type ?? (typeof ref.type === 'string' ? ref.type : null);
  if (type !== null && typeof ref.type === 'string' && ref.type !== type) {
    ctx.issues.push(issue('error', 'invalid', `Reference.type '${ref.type}' does not match the reference's type ${type}`, pathOf(ctx, '.type')));
  }
  if (named !== null && targets !== undefined && !targets.includes(named)) {
    ctx.issues.push(issue('error', 'structure', `A ${named} is not a valid target here (allowed: ${targets.join(', ')})`, pathOf(ctx, '.reference')));
  }
}
