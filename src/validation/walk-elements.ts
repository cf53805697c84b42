/**
 * The elements layer: one recursive walk of a resource along the R4 element definitions, checking what the
 * JSON schema cannot (minimum cardinality, one variant per choice, no empty arrays or objects: ele-1,
 * extensions with a value or sub-extensions: ext-1) and handing each typed value to the terminology and
 * reference checks, and each constrained node to the invariants layer. Unknown properties and JSON types are
 * the schema's; the walk skips them.
 * @see https://hl7.org/fhir/R4/conformance-rules.html#cardinality
 */
import { issue } from '../fhir/outcomes.js';
import { typeDefinition, type PreparedType, type PropertyDef } from './element-definitions.js';
import { checkReferenceFormat } from './reference-format.js';
import { checkBinding, checkCodeFormat } from './terminology.js';
import type { WalkContext } from './walk-context.js';

/** Deeper than any real resource; also keeps the recursion far from the stack limit. */
export const MAX_DEPTH = 64;

type Json = Record<string, unknown>;

function checkObject(node: Json, path: string, type: PreparedType, resource: object, ctx: WalkContext, depth: number): void {
  if (depth > MAX_DEPTH) {
    ctx.issues.push(issue('fatal', 'too-costly', `Nesting deeper than ${MAX_DEPTH} levels`, path));
    return;
  }
  let count = 0;
  for (const key in node) {
    count++;
    if (key === 'resourceType') continue;
    const primitiveExtension = key.charCodeAt(0) === 95; /* _ */
    const prop = type.properties.get(primitiveExtension ? key.slice(1) : key);
    if (prop === undefined) continue;
    const value = node[key];
    const at = `${path}.${primitiveExtension ? key.slice(1) : key}`;
    if (Array.isArray(value)) {
      if (value.length === 0) ctx.issues.push(issue('error', 'invalid', 'Arrays must not be empty', at));
      for (let i = 0; i < value.length; i++) checkValue(value[i], `${at}[${i}]`, prop, primitiveExtension, resource, ctx, depth);
    } else {
      checkValue(value, at, prop, primitiveExtension, resource, ctx, depth);
    }
  }
  // ele-1 is a rule of elements; a resource with nothing but its type is merely empty.
  if (type.def.kind !== 'resource' && (count === 0 || (count === 1 && node.id !== undefined))) {
    ctx.issues.push(issue('error', 'invariant', 'ele-1: All FHIR elements must have a @value or children', path));
  }
  for (const required of type.required) {
    if (!required.names.some((n) => node[n] !== undefined)) {
      ctx.issues.push(issue('error', 'required', `Missing required element '${required.element}' (minimum cardinality 1)`, path));
    }
  }
  for (const choice of type.choices) {
    let present = 0;
    for (const n of choice.names) if (node[n] !== undefined) present++;
    if (present > 1) ctx.issues.push(issue('error', 'structure', `Only one type of '${choice.element}' is allowed`, `${path}.${choice.element.slice(0, -3)}`));
  }
  if (type.name === 'Extension') {
    const hasValue = type.choices[0].names.some((n) => node[n] !== undefined);
    if (hasValue === (node.extension !== undefined)) {
      ctx.issues.push(issue('error', 'invariant', 'ext-1: Must have either extensions or value[x], not both', path));
    }
  }
  if (type.def.constraints) ctx.constrained.push({ node, path, type: type.name, constraints: type.def.constraints, resource });
}

function checkValue(value: unknown, path: string, prop: PropertyDef, primitiveExtension: boolean, resource: object, ctx: WalkContext, depth: number): void {
  if (value === null || typeof value !== 'object') {
    if (!primitiveExtension && typeof value === 'string' && prop.def.valueSet) checkBinding(value, path, prop, ctx);
    return;
  }
  if (Array.isArray(value)) return;
  let typeName = prop.type;
  let root = resource;
  if (primitiveExtension) typeName = 'Element';
  else if (typeName === 'Resource') {
    typeName = String((value as Json).resourceType);
    root = value;
  }
  const type = typeDefinition(typeName);
  if (type === undefined || type.def.kind === 'primitive') return;
  checkObject(value as Json, path, type, root, ctx, depth + 1);
  if (prop.def.constraints) ctx.constrained.push({ node: value, path, type: typeName, constraints: prop.def.constraints, resource: root });
  if (prop.def.valueSet && !primitiveExtension) checkBinding(value, path, prop, ctx);
  if (typeName === 'Coding' || typeName === 'Quantity') checkCodeFormat(value as Json, path, ctx);
  else if (typeName === 'Reference') checkReferenceFormat(value as Json, path, prop.def.targets, ctx);
}

/** Walks a resource of a known type; `path` is the FHIRPath of the resource itself (its type name). */
export function walkResource(resource: Json, ctx: WalkContext): void {
  const type = typeDefinition(String(resource.resourceType));
  if (type) checkObject(resource, String(resource.resourceType), type, resource, ctx, 0);
}
