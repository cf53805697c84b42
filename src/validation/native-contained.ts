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
 * Returns the FHIRPath suffixes of the contained resources that break it (`.contained[1]`): the reference
 * validator reports each there, not on the container.
 */
function dom3Orphans(node: Json): string[] {
  const c = node.contained;
  if (c === undefined || c === null) return [];
  const list = Array.isArray(c) ? (c as unknown[]) : [c];
  const refs = localRefs(node, new Set());
  const orphans: string[] = [];
  list.forEach((r, i) => {
    if (r === null || typeof r !== 'object' || typeof (r as Json).id !== 'string') return;
    if (!refs.has(`#${(r as Json).id as string}`) && !localRefs(r, new Set()).has('#')) orphans.push(Array.isArray(c) ? `.contained[${i}]` : '.contained');
  });
  return orphans;
}

export const CONTAINED_INVARIANTS: Record<string, NativeInvariant> = {
  'dom-2': { expression: 'contained.contained.empty()', check: (node) => containedOf(node).every((c) => !present(c, 'contained')) },
  'dom-3': {
    expression:
      "contained.where((('#'+id in (%resource.descendants().reference | %resource.descendants().as(canonical) | %resource.descendants().as(uri) | %resource.descendants().as(url))) or descendants().where(reference = '#').exists() or descendants().where(as(canonical) = '#').exists() or descendants().where(as(canonical) = '#').exists()).not()).empty()",
    check: (node) => dom3Orphans(node).length === 0,
    locate: dom3Orphans,
  },
  'dom-4': {
    expression: 'contained.meta.versionId.empty() and contained.meta.lastUpdated.empty()',
    check: (node) => containedOf(node).every((c) => !present(c.meta as Json, 'versionId') && !present(c.meta as Json, 'lastUpdated')),
  },
  'dom-5': { expression: 'contained.meta.security.empty()', check: (node) => containedOf(node).every((c) => !present(c.meta as Json, 'security')) },
};
