/**
 * The reference index of a resource: every `reference` string in it, with the FHIRPath of the Reference
 * element (`Claim.item[0].encounter[0]`). Contained resources and contained (`#x`) references are left out.
 * @see https://hl7.org/fhir/R4/references.html
 */
import { findReferences } from '../fhir/references.js';
import { parseReference } from './parse-reference.js';
import type { ReferenceLink } from './types.js';

export function referenceLinks(resource: object): ReferenceLink[] {
  const links: ReferenceLink[] = [];
  for (const found of findReferences(resource, String((resource as { resourceType?: unknown }).resourceType), true)) {
    const parsed = parseReference(found.holder.reference);
    if (parsed !== null) links.push({ path: found.path(), targetType: parsed.type, targetId: parsed.id, url: parsed.url });
  }
  return links;
}
