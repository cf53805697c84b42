/**
 * The reference validator's `validateReference: CHECK_EXISTS…` setting, in our terms: every reference of a
 * resource carried in a Parameters or Bundle must name another resource carried there (checked with our
 * references layer, a missing target being an error), located under the carrier's path and, as the reference
 * validator does, at the Reference element rather than its `.reference`.
 */
import type { OperationOutcomeIssue } from 'fhir/r4.js';
import { checkReferenceTargets } from '../src/validation/reference-targets.js';

type Json = Record<string, unknown>;

/** The resources a Parameters or Bundle carries, each with its FHIRPath inside the carrier. */
function carried(resource: Json): { at: string; resource: Json }[] {
  const list = resource.resourceType === 'Parameters' ? resource.parameter : resource.resourceType === 'Bundle' ? resource.entry : undefined;
  if (!Array.isArray(list)) return [];
  const name = resource.resourceType === 'Parameters' ? 'parameter' : 'entry';
  return list.flatMap((p: Json | null, i) => {
    const r = p?.resource as Json | undefined;
    return r && typeof r.resourceType === 'string' ? [{ at: `${String(resource.resourceType)}.${name}[${i}].resource`, resource: r }] : [];
  });
}

export async function referenceExistenceIssues(resource: unknown, settings: Record<string, unknown>): Promise<OperationOutcomeIssue[]> {
  if (typeof settings.validateReference !== 'string' || !settings.validateReference.startsWith('CHECK_EXISTS')) return [];
  const inside = carried(resource as Json);
  const keys = new Set(inside.map((c) => `${String(c.resource.resourceType)}/${String(c.resource.id)}`));
  const issues: OperationOutcomeIssue[] = [];
  for (const c of inside) {
    for (const i of await checkReferenceTargets(c.resource as { resourceType: string }, (type, id) => keys.has(`${type}/${id}`), 'error')) {
      issues.push({ ...i, expression: i.expression?.map((e) => e.replace(String(c.resource.resourceType), c.at).replace(/\.reference$/, '')) });
    }
  }
  return issues;
}
