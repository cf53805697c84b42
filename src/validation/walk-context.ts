/**
 * What one walk over a resource collects: the issues found on the way, and the nodes whose constraints need
 * fhirpath.js, evaluated afterwards (invariants.ts) with the whole resource at hand. The walk keeps the
 * FHIRPath of the node it is at as a stack of segments and renders it only when an issue needs it: most
 * resources raise no issue, and building a string per node was a fifth of the walk.
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
  /** The resource that holds it (the container for a contained resource): FHIRPath's `%rootResource`. */
  root: object;
}

export interface WalkContext {
  /** The resource validated. */
  root: object;
  issues: OperationOutcomeIssue[];
  /** Nodes with constraints left to fhirpath.js (no native twin, guard present). */
  constrained: ConstrainedNode[];
  /** Segments of the current node's FHIRPath: property names, and array indexes as numbers. */
  at: (string | number)[];
  /** Primitive types whose values may not contain HTML tags (ValidateOptions.rejectHtmlIn). */
  rejectHtmlIn?: Set<string>;
  /** Whether a uri, url or canonical may not point at an example host (ValidateOptions.exampleUrls). */
  refuseExampleUrls?: boolean;
  /** Whether a reference that resolves to nothing here is judged by the type it names (ValidateOptions.literalTypes). */
  literalTypes?: boolean;
  /** The severity of a profile the resource's content implies (ValidateOptions.impliedProfiles). */
  impliedProfiles?: 'error' | 'warning';
  /** The severity of a UCUM code that is not a UCUM unit (ValidateOptions.unitCodes). */
  unitCodes?: 'error' | 'warning';
  /** Whether the JSON schema may refuse something the walk met, so the schema validator must run. */
  structural?: boolean;
  /** When given, receives every constrained node, native ones included (for the native-equality checks). */
  everyConstrained?: ConstrainedNode[];
}

export function walkContext(root: object): WalkContext {
  return { root, issues: [], constrained: [], at: [] };
}

/**
 * The FHIRPath of the current node (`Patient.name[0]`), with `suffix` (`.code`) appended; of an ancestor when
 * `length` keeps only the first segments.
 */
export function pathOf(ctx: WalkContext, suffix = '', length = ctx.at.length): string {
  let path = '';
  for (let i = 0; i < length; i++) {
    const s = ctx.at[i];
    path += typeof s === 'number' ? `[${s}]` : path === '' ? s : `.${s}`;
  }
  return path + suffix;
}
