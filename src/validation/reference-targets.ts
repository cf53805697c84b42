/**
 * The part of the references layer that needs other resources: every literal `Type/id` reference must name
 * a resource that exists (in the store, or in the bundle being imported: the caller's `exists` decides).
 * A missing target is a warning in `$validate` and an error in strict import. Cycles through part-of links
 * (Organization.partOf, Location.partOf, Observation.hasMember) are found by followPartOf below.
 * @see https://hl7.org/fhir/R4/references.html
 */
import type { OperationOutcomeIssue } from 'fhir/r4.js';
import { issue } from '../fhir/outcomes.js';
import { findReferences } from '../fhir/references.js';
import { parseReference } from '../search/parse-reference.js';

/** Issues for references whose target does not exist; contained, absolute and urn references are skipped. */
export async function checkReferenceTargets(
  resource: { resourceType: string },
  exists: (type: string, id: string) => boolean | Promise<boolean>,
  severity: 'error' | 'warning',
): Promise<OperationOutcomeIssue[]> {
  const issues: OperationOutcomeIssue[] = [];
  for (const found of findReferences(resource, resource.resourceType, true)) {
    const parsed = parseReference(found.holder.reference);
    if (!parsed?.type || !parsed.id) continue;
    if (!(await exists(parsed.type, parsed.id))) {
      issues.push(issue(severity, 'not-found', `Referenced resource ${parsed.type}/${parsed.id} does not exist`, `${found.path()}.reference`));
    }
  }
  return issues;
}

/** The elements whose references form hierarchies that must not loop back on themselves. */
export const PART_OF_LINKS: Record<string, string> = { Organization: 'partOf', Location: 'partOf', Observation: 'hasMember' };

/**
 * Follows the part-of links from `resource` (through `load`, which answers the target or undefined) and
 * warns when they lead back to it. The walk stops at 100 steps or at the first unknown target.
 */
export async function checkPartOfCycle(
  resource: { resourceType: string; id?: string } & Record<string, unknown>,
  load: (type: string, id: string) => Promise<Record<string, unknown> | undefined>,
): Promise<OperationOutcomeIssue[]> {
  const element = PART_OF_LINKS[resource.resourceType];
  if (!element || !resource.id) return [];
  const start = `${resource.resourceType}/${resource.id}`;
  const seen = new Set<string>([start]);
  let frontier: Record<string, unknown>[] = [resource];
  for (let step = 0; step < 100 && frontier.length > 0; step++) {
    const next: Record<string, unknown>[] = [];
    for (const node of frontier) {
      const links = ([] as unknown[]).concat(node[element] ?? []) as { reference?: string }[];
      for (const link of links) {
        const parsed = typeof link?.reference === 'string' ? parseReference(link.reference) : null;
        if (!parsed?.type || !parsed.id) continue;
        const key = `${parsed.type}/${parsed.id}`;
        if (key === start) return [issue('warning', 'business-rule', `${start} is part of itself through ${resource.resourceType}.${element}`, `${resource.resourceType}.${element}`)];
        if (seen.has(key)) continue;
        seen.add(key);
        const target = await load(parsed.type, parsed.id);
        if (target) next.push(target);
      }
    }
    frontier = next;
  }
  return [];
}
