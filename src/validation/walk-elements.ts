/**
 * The elements layer: one recursive walk of a resource along the R4 element definitions, checking what the
 * JSON schema cannot (minimum cardinality, one variant per choice, no empty arrays or objects: ele-1,
 * extensions with a value or sub-extensions: ext-1) and handing each typed value to the terminology and
 * reference checks, and each constrained node to the invariants layer. Unknown properties and JSON types are
 * the schema's to report: the walk only notes, as it passes each key, whether the schema could object
 * (`ctx.structural`), and goes no deeper where it could.
 * @see https://hl7.org/fhir/R4/conformance-rules.html#cardinality
 */
import { issue } from '../fhir/outcomes.js';
import { checkContained } from './contained-rules.js';
import { typeDefinition, type PreparedType } from './element-definitions.js';
import { applyConstraints } from './invariants.js';
import { hasRequiredKeys, keyAccepts, objectShape } from './schema-shapes.js';
import { checkReferenceFormat } from './reference-format.js';
import { checkBinding, checkCodeFormat } from './terminology.js';
import { pathOf, type WalkContext } from './walk-context.js';
import { frameOf, resourceFrame, type Frame, type Slot } from './walk-frames.js';

/** Deeper than any real resource; also keeps the recursion far from the stack limit. */
export const MAX_DEPTH = 64;

type Json = Record<string, unknown>;

/** An opening or closing tag, a comment or a processing instruction: `<b`, `</p`, `<!--`, `<?`. */
const HTML_TAG = /<[A-Za-z/!?]/;

/** Where a node sits: the resource it belongs to (%resource) and the one validated around it (%rootResource). */
interface Owners {
  resource: object;
  root: object;
}

/**
 * An empty array of a primitive type is read as no values at all, as the reference validator reads it: it
 * reports no error for `"profile": []` itself, only the minimum cardinality it leaves unmet. An empty array of
 * a complex type it does refuse.
 */
const isPresent = (value: unknown) => value !== undefined && !(Array.isArray(value) && value.length === 0);

/**
 * ele-1 on a primitive: `""` is no value, so the element must have an id or extensions (`_name`) instead.
 * @see https://hl7.org/fhir/R4/json.html#primitive
 */
function checkEmptyValue(extensions: unknown, ctx: WalkContext): void {
  if (extensions !== null && typeof extensions === 'object') return;
  ctx.issues.push(issue('error', 'invariant', 'ele-1: A primitive value cannot be empty: it needs a value or extensions', pathOf(ctx)));
}

/** Minimum cardinality and one variant per choice, each element looked up: run when the key bits saw a fault. */
function checkCardinality(node: Json, type: PreparedType, ctx: WalkContext): void {
  for (const required of type.required) {
    if (!required.names.some((n) => isPresent(node[n]))) {
      ctx.issues.push(issue('error', 'required', `Missing required element '${required.element}' (minimum cardinality 1)`, pathOf(ctx)));
    }
  }
  for (const choice of type.choices) {
    let present = 0;
    for (const n of choice.names) if (node[n] !== undefined) present++;
    if (present > 1) ctx.issues.push(issue('error', 'structure', `Only one type of '${choice.element}' is allowed`, pathOf(ctx, `.${choice.element.slice(0, -3)}`)));
  }
}

/**
 * The frame's schema shape is what the JSON schema asks of the node (schema-shapes.ts): a key or value it may
 * refuse marks `ctx.structural`, so that the schema validator runs. Where the walk goes no deeper, it marks it too.
 */
function checkObject(node: Json, frame: Frame, owners: Owners, ctx: WalkContext, depth: number): void {
  if (depth > MAX_DEPTH) {
    ctx.issues.push(issue('fatal', 'too-costly', `Nesting deeper than ${MAX_DEPTH} levels`, pathOf(ctx)));
    return;
  }
  const { type, shape } = frame;
  if (shape === undefined || (shape.required.length > 0 && !hasRequiredKeys(node, shape))) ctx.structural = true;
  let count = 0;
  let required = 0;
  let choices = 0;
  let doubled = false;
  for (const key in node) {
    count++;
    const value = node[key];
    const slot = frame.slots.get(key);
    if (slot === undefined) {
      const keyShape = shape?.keys.get(key);
      if (key !== 'resourceType' || keyShape === undefined || !keyAccepts(keyShape, value)) ctx.structural = true;
      continue;
    }
    if (!keyAccepts(slot.keyShape, value)) ctx.structural = true;
    if (slot.requiredBit !== 0 && isPresent(value)) required |= slot.requiredBit;
    if (slot.choiceBit !== 0 && value !== undefined) {
      if ((choices & slot.choiceBit) !== 0) doubled = true;
      choices |= slot.choiceBit;
    }
    ctx.at.push(slot.name);
    if (Array.isArray(value)) {
      if (value.length === 0 && !slot.primitive) ctx.issues.push(issue('error', 'invalid', 'Arrays must not be empty', pathOf(ctx)));
      for (let i = 0; i < value.length; i++) {
        ctx.at.push(i);
        if (value[i] === '' && !slot.primitiveExtension) checkEmptyValue((node[`_${key}`] as unknown[] | undefined)?.[i], ctx);
        else checkValue(value[i], slot, owners, ctx, depth);
        ctx.at.pop();
      }
    } else if (value === '' && !slot.primitiveExtension) {
      checkEmptyValue(node[`_${key}`], ctx);
    } else {
      checkValue(value, slot, owners, ctx, depth);
    }
    ctx.at.pop();
  }
  // ele-1 is a rule of elements; a resource with nothing but its type is merely empty.
  if (type.def.kind !== 'resource' && (count === 0 || (count === 1 && node.id !== undefined))) {
    ctx.issues.push(issue('error', 'invariant', 'ele-1: All FHIR elements must have a @value or children', pathOf(ctx)));
  }
  if (required !== frame.requiredAll || doubled) checkCardinality(node, type, ctx);
  if (frame.extensionValues) {
    // As in FHIRPath, a value that is only a primitive's `_valueX` (id, extensions) still counts as a value.
    const hasValue = frame.extensionValues.some((n) => node[n] !== undefined);
    if (hasValue === (node.extension !== undefined)) {
      ctx.issues.push(issue('error', 'invariant', 'ext-1: Must have either extensions or value[x], not both', pathOf(ctx)));
    }
  }
  if (type.def.constraints) applyConstraints(node, type.name, type.def.constraints, owners.resource, owners.root, ctx);
  frame.typeRule?.(node, ctx, owners.resource);
}

/**
 * A canonical names a definition by its own URL, absolute, or one contained here by `#id`: a relative one
 * (`Questionnaire/x`) would read as a server-relative reference, which a canonical is not. As the reference
 * validator tells absolute URLs: a lower-case scheme, then something.
 * @see https://hl7.org/fhir/R4/references.html#canonical
 */
const ABSOLUTE_OR_FRAGMENT = /^(#|[a-z][a-z0-9+.-]*:.)/;

const URL_TYPES = new Set(['uri', 'url', 'canonical']);
/** The hosts the reference validator takes for examples (its BaseValidator.isExampleUrl). */
const EXAMPLE_HOSTS = ['example.org/', 'acme.com/', 'acme.org/', 'example.com/', 'example.net/'];
const isExampleUrl = (url: string) => EXAMPLE_HOSTS.some((host) => url.includes(host));

/** The frame a value of `slot` that is an object is walked with; undefined when the walk does not go into it. */
function childFrame(value: Json, slot: Slot): Frame | undefined {
  if (!slot.primitiveExtension && slot.prop.type === 'Resource') return resourceFrame(String(value.resourceType));
  if (slot.child) return slot.child;
  const type = typeDefinition(slot.primitiveExtension ? 'Element' : slot.prop.type);
  if (type === undefined || type.def.kind === 'primitive') return undefined;
  const ref = slot.keyShape.ref;
  slot.child = frameOf(type, ref === undefined ? undefined : objectShape(ref));
  return slot.child;
}

function checkValue(value: unknown, slot: Slot, owners: Owners, ctx: WalkContext, depth: number): void {
  const { prop, primitiveExtension } = slot;
  if (value === null || typeof value !== 'object') {
    if (primitiveExtension) return;
    slot.rule?.(value, ctx);
    if (typeof value !== 'string') return;
    if (prop.def.valueSet) checkBinding(value, prop, ctx);
    if (prop.type === 'canonical' && !ABSOLUTE_OR_FRAGMENT.test(value)) {
      ctx.issues.push(issue('error', 'value', `Canonical URLs must be absolute URLs if they are not fragment references (${value.slice(0, 200)})`, pathOf(ctx)));
    }
    if (ctx.refuseExampleUrls && URL_TYPES.has(prop.type) && isExampleUrl(value)) {
      ctx.issues.push(issue('error', 'invalid', `Example URLs are not allowed in this context (${value.slice(0, 200)})`, pathOf(ctx)));
    }
    if (ctx.rejectHtmlIn?.has(prop.type) && HTML_TAG.test(value)) {
      ctx.issues.push(issue('error', 'security', `The ${prop.type} contains what looks like an HTML tag`, pathOf(ctx)));
    }
    return;
  }
  if (Array.isArray(value)) {
    ctx.structural = true;
    return;
  }
  let inner = owners;
  if (!primitiveExtension && prop.type === 'Resource') {
    // A contained resource's %rootResource is its container; any other resource (a Bundle entry) is its own.
    inner = { resource: value, root: prop.element === 'contained' ? owners.root : value };
    if (prop.element === 'contained') checkContained(value as Json, ctx);
  }
  const frame = childFrame(value as Json, slot);
  if (frame === undefined) {
    ctx.structural = true;
    return;
  }
  const typeName = frame.type.name;
  checkObject(value as Json, frame, inner, ctx, depth + 1);
  if (prop.def.constraints) applyConstraints(value as Json, typeName, prop.def.constraints, inner.resource, inner.root, ctx);
  if (prop.def.valueSet && !primitiveExtension) checkBinding(value, prop, ctx);
  if (typeName === 'Coding' || typeName === 'Quantity') checkCodeFormat(value as Json, ctx);
  else if (typeName === 'Reference') checkReferenceFormat(value as Json, prop.def.targets, inner.root as Json, ctx);
}

/** Walks a resource of a known type, its FHIRPath rooted at its type name. */
export function walkResource(resource: Json, ctx: WalkContext): void {
  const frame = resourceFrame(String(resource.resourceType));
  if (!frame) return;
  ctx.at.push(frame.type.name);
  checkObject(resource, frame, { resource, root: resource }, ctx, 0);
  ctx.at.pop();
}
