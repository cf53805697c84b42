/**
 * Validating a unit's entries before the import reaches it, off the main thread: each entry gets the id and
 * the intra-bundle reference rewrite the import will give it, then validateResource. What the import's own
 * rewrite adds needs the store (conditional references, ifNoneExist matches) and changes no validation
 * outcome: a conditional reference names its type as the resolved one does, and only a reference's type and
 * form are validated. An entry that cannot be prepared here is null; the import checks it itself.
 */
import type { OperationOutcomeIssue } from 'fhir/r4.js';
import { ReferenceResolver } from '../../fhir/bundle/reference-resolver.js';
import { asResource } from '../../fhir/resource-body.js';
import { AS_STORED, validateResource } from '../../validation/validate-resource.js';
import { importId, keyOf } from '../entry-identity.js';
import type { ImportUnit } from '../import-types.js';

/**
 * An entry's issues, with the `Type/id` it was validated as: the import uses them only for the entry it
 * plans under that key, so an input that changed between the two reads is validated again, not trusted.
 */
export type EntryIssues = { key: string; issues: OperationOutcomeIssue[] } | null;

export async function validateUnitAhead(unit: ImportUnit, baseUrl?: string): Promise<EntryIssues[]> {
  const resolver = new ReferenceResolver(undefined, baseUrl);
  const ready = unit.entries.map((entry) => {
    if (entry.unreadable !== undefined) return null;
    try {
      const resource = asResource(entry.resource);
      const planned = { ...resource, id: importId(resource, entry.fullUrl) };
      resolver.plan(entry.fullUrl, { type: planned.resourceType, id: planned.id, resource: planned });
      return planned;
    } catch {
      return null;
    }
  });
  const issues: EntryIssues[] = [];
  for (const resource of ready) {
    if (!resource) {
      issues.push(null);
      continue;
    }
    try {
      await resolver.rewrite(resource, resource.resourceType);
      issues.push({ key: keyOf(resource), issues: validateResource(resource, AS_STORED) });
    } catch {
      issues.push(null);
    }
  }
  return issues;
}
