/**
 * Validating one resource by itself: every layer that needs nothing but the resource (structure, elements,
 * terminology, invariants, business rules, reference format and target type). Checks that need other
 * resources (reference targets, cross-resource rules) live in reference-targets.ts and business-rules.ts.
 * Synchronous, and compiled once: strict import runs every resource through here.
 * @see https://hl7.org/fhir/R4/validation.html
 */
import type { OperationOutcomeIssue } from 'fhir/r4.js';
import { issue } from '../fhir/outcomes.js';
import { checkBusinessRules } from './business-rules.js';
import { isResourceType, structureValidator } from './fhir-schema.js';
import { checkInvariants } from './invariants.js';
import { schemaIssues } from './schema-issues.js';
import { walkContext } from './walk-context.js';
import { walkResource } from './walk-elements.js';

export interface ValidateOptions {
  /** A profile URL the resource should conform to; only the base R4 definitions are known. */
  profile?: string;
  /**
   * Primitive types whose values may not contain HTML tags: `string` is the reference validator's
   * security check against injected markup, `markdown` its noHtmlInMarkdown option.
   */
  rejectHtmlIn?: ('string' | 'markdown')[];
  /**
   * Judge a reference that resolves to nothing in the resource by the type it names (`Patient/1` in an element
   * that takes only Group is an error). The reference validator does not, so `$validate` does not; an import
   * does, as the resources it writes must hold together.
   */
  literalTypes?: boolean;
  /**
   * `false` refuses a uri, url or canonical on an example host (example.org, example.com, example.net, acme.com,
   * acme.org): the reference validator's `examples` setting, for data meant for production. Allowed by default,
   * as there: the specification's own examples use them throughout.
   */
  exampleUrls?: boolean;
  /**
   * The severity of breaking a profile that the resource's content implies without claiming it (an Observation
   * coded as a vital sign and the R4 vital-signs profile). `error`, as the reference validator says, by default;
   * an import says `warning`: Synthea 2019 codes blood pressure with 55284-4 and no 85354-9, and a strict import
   * that dropped those would lose real patients' vital signs for a profile nobody claimed.
   */
  impliedProfiles?: 'error' | 'warning';
  /**
   * The severity of a code with system UCUM that is not a UCUM unit. `error`, as the reference validator says,
   * by default; an import says `warning`: Synthea 2021 writes `mmHg` and `beats/minute`, and a strict import
   * would otherwise refuse most of its patients' vital signs over a unit's spelling.
   */
  unitCodes?: 'error' | 'warning';
}

/** How data an import writes, or the store holds, is judged: see literalTypes, impliedProfiles and unitCodes. */
export const AS_STORED: ValidateOptions = { literalTypes: true, impliedProfiles: 'warning', unitCodes: 'warning' };

/**
 * Issues of every resource-local layer, each with severity, code and a FHIRPath `expression` rooted at the
 * resource type (`Patient.name[0].family`); empty when the resource is valid and raises no warning.
 */
export function validateResource(resource: unknown, options: ValidateOptions = {}): OperationOutcomeIssue[] {
  if (resource === null || typeof resource !== 'object' || Array.isArray(resource)) {
    return [issue('error', 'structure', 'A resource must be a JSON object')];
  }
  const resourceType = (resource as { resourceType?: unknown }).resourceType;
  if (typeof resourceType !== 'string') {
    return [issue('error', 'required', 'Missing resourceType', 'resourceType')];
  }
  if (!isResourceType(resourceType)) {
    return [issue('error', 'not-supported', `Unknown resource type '${resourceType.slice(0, 64)}'`, 'resourceType')];
  }
  const ctx = walkContext(resource);
  if (options.rejectHtmlIn?.length) ctx.rejectHtmlIn = new Set(options.rejectHtmlIn);
  if (options.literalTypes) ctx.literalTypes = true;
  if (options.exampleUrls === false) ctx.refuseExampleUrls = true;
  if (options.impliedProfiles) ctx.impliedProfiles = options.impliedProfiles;
  if (options.unitCodes) ctx.unitCodes = options.unitCodes;
  if (options.profile !== undefined && options.profile !== `http://hl7.org/fhir/StructureDefinition/${resourceType}`) {
    ctx.issues.push(issue('warning', 'not-supported', `Profile ${options.profile} is not known; validated against the base ${resourceType} definition`));
  }
  // The walk goes first: it stops at a depth the schema validator's recursion could not survive.
  walkResource(resource as Record<string, unknown>, ctx);
  if (ctx.issues.some((i) => i.severity === 'fatal')) return ctx.issues;
  // The walk checked every key and value against what the schema asks; ajv runs only on a suspicion, for its messages.
  const validate = ctx.structural ? structureValidator(resourceType) : undefined;
  const structure = validate === undefined || validate(resource) ? [] : schemaIssues(resourceType, resource, validate.errors ?? []);
  checkInvariants(ctx);
  checkBusinessRules(resource as Record<string, unknown>, ctx);
  return [...structure, ...ctx.issues];
}
