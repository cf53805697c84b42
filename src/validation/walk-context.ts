/**
 * What one walk over a resource collects: the issues found on the way, and the nodes whose type or element
 * carries FHIRPath constraints, evaluated afterwards (invariants.ts) with the whole resource at hand.
 */
import type { OperationOutcomeIssue } from 'fhir/r4.js';
import type { ConstraintDef } from './element-definitions.js';

export interface ConstrainedNode {
  node: unknown;
  path: string;
  /** The type name fhirpath.js knows the node by (`Period`, `Observation.referenceRange`). */
  type: string;
  constraints: ConstraintDef[];
  /** The resource the node belongs to (a contained resource for nodes inside it): FHIRPath's `%resource`. */
  resource: object;
}

export interface WalkContext {
  /** The resource validated (FHIRPath's `%rootResource`). */
  root: object;
  issues: OperationOutcomeIssue[];
  constrained: ConstrainedNode[];
}
