/**
 * The local part of the references layer: a Reference's `reference` must be a contained (`#id`), relative
 * (`Type/id`), conditional (`Type?query`, in transactions), `urn:uuid:`/`urn:oid:` or absolute reference, and
 * agree with `Reference.type`. The target's type must be one the element's targetProfile allows: judged, as the
 * HL7 reference validator judges it, on the resource the reference resolves to (a contained resource, an entry
 * of the Bundle validated); a reference that resolves to nothing here is not judged by the type it names, unless
 * the caller asks for that (`literalTypes`: an import, whose references name resources it checks exist).
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

/**
 * The resource type a reference names, null when it names none (urn, contained, or `#` alone: the container,
 * as a contained resource refers to it, https://hl7.org/fhir/R4/references.html#contained), 'invalid' when it is no
 * reference at all, or 'unknown' for a relative one whose first segment is no R4 resource type (`Doctor/1`):
 * still a well-formed relative URL, which the reference validator lets pass.
 */
export function referencedType(reference: string): string | null | 'invalid' | 'unknown' {
  if (reference.startsWith('#')) return null;
  const relative = RELATIVE.exec(reference) ?? CONDITIONAL.exec(reference);
  if (relative) return isResourceType(relative[1]) ? relative[1] : 'unknown';
  if (reference.startsWith('urn:uuid:')) return UUID.test(reference) ? null : 'invalid';
  if (reference.startsWith('urn:oid:')) return OID.test(reference) ? null : 'invalid';
  if (!ABSOLUTE.test(reference)) return 'invalid';
  const tail = ABSOLUTE_TAIL.exec(reference);
  return tail && isResourceType(tail[1]) ? tail[1] : null;
}

type Json = Record<string, unknown>;

/** The type of the resource `reference` resolves to: contained in `container`, or an entry of the Bundle validated. */
function resolvedType(reference: string, container: Json, ctx: WalkContext): string | undefined {
  if (reference.startsWith('#')) {
    if (reference === '#') return String(container.resourceType);
    const contained = Array.isArray(container.contained) ? (container.contained as (Json | null)[]) : [];
    const found = contained.find((c) => c?.id === reference.slice(1));
    return typeof found?.resourceType === 'string' ? found.resourceType : undefined;
  }
  const bundle = ctx.root as Json;
  if (bundle.resourceType !== 'Bundle' || !Array.isArray(bundle.entry)) return undefined;
  for (const entry of bundle.entry as (Json | null)[]) {
    const r = entry?.resource as Json | undefined;
    if (typeof r?.resourceType !== 'string') continue;
    const fullUrl = typeof entry?.fullUrl === 'string' ? entry.fullUrl : undefined;
    if (fullUrl === reference || `${r.resourceType}/${String(r.id)}` === reference || (fullUrl?.endsWith(`/${reference}`) ?? false)) return r.resourceType;
  }
  return undefined;
}

/** Checks the Reference value the element walk is at; `container` is the resource `#id` references resolve in. */
export function checkReferenceFormat(ref: { reference?: unknown; type?: unknown }, targets: string[] | undefined, container: Json, ctx: WalkContext): void {
  if (typeof ref.type === 'string' && targets !== undefined && !targets.includes(ref.type)) {
    ctx.issues.push(issue('error', 'structure', `The type '${ref.type}' is not a valid Target for this element (must be one of ${targets.join(', ')})`, pathOf(ctx)));
  }
  if (typeof ref.reference !== 'string') return;
  const type = referencedType(ref.reference);
  if (type === 'invalid') {
    // A malformed urn:uuid/urn:oid is still an absolute URI; the HL7 reference validator accepts it, so warn.
    const severity = ref.reference.startsWith('urn:') ? 'warning' : 'error';
    ctx.issues.push(issue(severity, 'invalid', `Invalid reference '${ref.reference.slice(0, 100)}'`, pathOf(ctx, '.reference')));
    return;
  }
  if (type === 'unknown') {
    ctx.issues.push(issue('warning', 'invalid', `Reference '${ref.reference.slice(0, 100)}' names no R4 resource type`, pathOf(ctx, '.reference')));
    return;
  }
  if (type !== null && typeof ref.type === 'string' && ref.type !== type) {
    ctx.issues.push(issue('error', 'invalid', `Reference.type '${ref.type}' does not match the reference's type ${type}`, pathOf(ctx, '.type')));
  }
  if (targets === undefined) return;
  const found = resolvedType(ref.reference, container, ctx) ?? (ctx.literalTypes ? (type ?? undefined) : undefined);
  if (found !== undefined && !targets.includes(found)) {
    ctx.issues.push(issue('error', 'structure', `Invalid Resource target type. Found ${found}, but expected one of (${targets.join(', ')})`, pathOf(ctx)));
  }
}
