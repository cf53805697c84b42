/**
 * Native twins of the DomainResource constraints on contained resources (dom-2 to dom-5). fhirpath.js spends
 * most of a Claim's or ExplanationOfBenefit's validation in dom-3's four `descendants()` walks; here one scan
 * of the resource's strings does.
 * @see https://hl7.org/fhir/R4/domainresource.html#invs
 */
import { present, type Json, type NativeInvariant } from './native-support.js';

function containedOf(node: Json): Json[] {
  const c = node.contained;
  const list = Array.isArray(c) ? c : c === undefined || c === null ? [] : [c];
  return list.filter((r): r is Json => r !== null && typeof r === 'object');
}

/** Every string anywhere inside `node` that starts with `#`: the local references it makes. */
function localRefs(node: unknown, into: Set<string>): Set<string> {
  if (typeof node === 'string') {
    if (node.charCodeAt(0) === 35 /* # */) into.add(node);
  } else if (node !== null && typeof node === 'object') {
    for (const v of Array.isArray(node) ? node : Object.values(node)) localRefs(v, into);
  }
  return into;
}

/**
 * dom-3: every contained resource with an id is referred to (`#id`) from somewhere in the resource, or refers
 * to its container (`#`). FHIRPath looks only at `reference`, canonical, uri and url values; this scan takes
 * any string, which differs only for a plain string element whose whole value is `#id`. A contained resource
 * without an id passes, as in FHIRPath (`'#' + {}` is empty, and `where` drops an empty criterion).
 */
function dom3(node: Json): boolean {
  const contained = containedOf(node);
  if (contained.length === 0) return true;
  const refs = localRefs(node, new Set());
  return contained.every((c) => typeof c.id !== 'string' || refs.has(`#${c.id}`) || localRefs(c, new Set()).has('#'));
}

export const CONTAINED_INVARIANTS: Record<string, NativeInvariant> = {
  'dom-2': { expression: 'contained.contained.empty()', check: (node) => containedOf(node).every((c) => !present(c, 'contained')) },
  'dom-3': {
    expression:
      "contained.where((('#'+id in (%resource.descendants().reference | %resource.descendants().as(canonical) | %resource.descendants().as(uri) | %resource.descendants().as(url))) or descendants().where(reference = '#').exists() or descendants().where(as(canonical) = '#').exists() or descendants().where(as(canonical) = '#').exists()).not()).empty()",
    check: dom3,
  },
  'dom-4': {
    expression: 'contained.meta.versionId.empty() and contained.meta.lastUpdated.empty()',
    check: (node) => containedOf(node).every((c) => !present(c.meta as Json, 'versionId') && !present(c.meta as Json, 'lastUpdated')),
  },
  'dom-5': { expression: 'contained.meta.security.empty()', check: (node) => containedOf(node).every((c) => !present(c.meta as Json, 'security')) },
};
