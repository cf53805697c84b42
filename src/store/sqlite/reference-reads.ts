/**
 * The reference index read both ways. A resource's references are found again in its own current JSON (the
 * same referenceLinks the index is computed with), so the stored index only has to answer "who points at
 * this target": `idx_ref` already holds the target of every reference a search parameter covers, and `refs`
 * holds the others (index-row-buffer.ts). Storing every reference with its path in `refs` as well was a
 * quarter of all index rows on Synthea data and ~15% of a restore's time.
 * @see https://hl7.org/fhir/R4/references.html
 */
import { referenceLinks } from '../../search/reference-links.js';
import type { ReferenceLink } from '../../search/types.js';
import type { Statements } from './statements.js';

export interface ReferenceTo {
  resourceType: string;
  id: string;
  path: string;
}

function linksOf(s: Statements, rid: number, version: number): ReferenceLink[] {
  const json = s.json.get(rid, version);
  return json == null ? [] : referenceLinks(JSON.parse(json) as object);
}

/** The references a live current resource holds, in document order; none for a deleted or absent one. */
export function referencesFrom(s: Statements, type: string, id: string): ReferenceLink[] {
  const cur = s.current.get(type, id);
  return !cur || cur.deleted ? [] : linksOf(s, cur.rid, cur.version);
}

/** Each reference to `targetType/targetId` held by a live current resource, ordered by type, id and document order. */
export function referencesTo(s: Statements, targetType: string, targetId: string): ReferenceTo[] {
  const found: ReferenceTo[] = [];
  for (const source of s.referencingResources.all(targetType, targetId, targetType, targetId, targetType, targetId)) {
    for (const link of linksOf(s, source.rid, source.version)) {
      if (link.targetType === targetType && link.targetId === targetId) found.push({ resourceType: source.type, id: source.id, path: link.path });
    }
  }
  return found;
}
