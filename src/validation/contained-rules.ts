/**
 * What the reference validator requires of a contained resource beyond the DomainResource invariants: an id,
 * since a contained resource is only reached through a local reference `#id` from its container.
 * @see https://hl7.org/fhir/R4/references.html#contained
 */
import { issue } from '../fhir/outcomes.js';
import { pathOf, type WalkContext } from './walk-context.js';

export function checkContained(resource: Record<string, unknown>, ctx: WalkContext): void {
  if (resource.id === undefined) ctx.issues.push(issue('error', 'required', 'Resource requires an id, but none is present', pathOf(ctx)));
}
