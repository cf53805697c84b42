/**
 * The extensions R4 itself defines, checked where they are used (schemas/fhir-extensions.json, derived by
 * scripts/derive-validation-definitions.ts): a URL in the core namespace that R4 does not define is an error,
 * as is a value of a type the definition does not allow (any value, for a complex extension), a modifier
 * extension in `extension` or a plain one in `modifierExtension`, and an extension on an element its
 * definition's context does not name. Extensions of other namespaces (US Core, Synthea, a user's own) are
 * accepted unseen: their definitions are not at hand.
 * @see https://hl7.org/fhir/R4/extensibility.html#Extension
 */
import { readFileSync } from 'node:fs';
import { issue } from '../fhir/outcomes.js';
import { typeDefinition } from './element-definitions.js';
import { containerLength, elementNames } from './extension-context.js';
import { pathOf, type WalkContext } from './walk-context.js';

export interface CoreExtensionDef {
  /** The value's types; empty for a complex extension. */
  types: string[];
  modifier: boolean;
  /** The elements it may be used on (`Patient`, `Observation.component`, `Quantity`); absent: any element. */
  contexts?: string[];
}

export interface CoreExtensionsFile {
  extensions: Record<string, CoreExtensionDef>;
  /** The types R4 derives from each type by specialization: `{ Quantity: ['Age', …], DomainResource: ['Patient', …] }`. */
  bases: Record<string, string[]>;
}

const CORE = 'http://hl7.org/fhir/StructureDefinition/';

const file = JSON.parse(readFileSync(new URL('../../schemas/fhir-extensions.json', import.meta.url), 'utf8')) as CoreExtensionsFile;
const definitions = file.extensions;
const baseOf = new Map(Object.entries(file.bases).flatMap(([base, types]) => types.map((t) => [t, base] as const)));

/** The type of the extension's value (`valueDateTime` → `dateTime`), as the definitions name the choice. */
function valueType(node: Record<string, unknown>): string | undefined {
  const extension = typeDefinition('Extension');
  for (const key of Object.keys(node)) {
    const prop = extension?.properties.get(key);
    if (prop?.element === 'value[x]') return prop.type;
  }
  return undefined;
}

/** `Observation.value[x]` names `Observation.value.ofType(Quantity)`: a choice stands for each of its types. */
function sameElement(context: string, name: string): boolean {
  const want = context.split('.');
  const have = name.split('.');
  let h = 0;
  for (const segment of want) {
    if (have[h] === segment) h++;
    else if (segment.endsWith('[x]') && have[h] === segment.slice(0, -3) && have[h + 1]?.startsWith('ofType(')) h += 2;
    else return false;
  }
  return h === have.length;
}

/**
 * Whether a context names one of the element's names, or one with its type (the part before the first dot)
 * replaced by a type it specializes: `Quantity` names an `Age`, `DomainResource` a Patient, as the reference
 * validator reads a context.
 * @see https://hl7.org/fhir/R4/defining-extensions.html#context
 */
function named(context: string, names: Set<string>): boolean {
  for (const name of names) {
    if (name === context || (context.includes('[x]') && sameElement(context, name))) return true;
    const dot = name.indexOf('.');
    const rest = dot < 0 ? '' : name.slice(dot);
    for (let t = baseOf.get(dot < 0 ? name : name.slice(0, dot)); t !== undefined; t = baseOf.get(t)) if (t + rest === context) return true;
  }
  return false;
}

/**
 * An extension on an ElementDefinition's example value, fixed or pattern itself is allowed whatever its context:
 * the value stands for an instance of another element, so the reference validator does not judge it here.
 */
const ANYTHING_GOES = ['ElementDefinition.example.value', 'ElementDefinition.pattern', 'ElementDefinition.fixed'];

function checkContext(url: string, def: CoreExtensionDef, asModifier: boolean, ctx: WalkContext): void {
  const contexts = def.contexts;
  if (contexts === undefined) return;
  const names = elementNames(ctx);
  if (names === undefined || ANYTHING_GOES.some((n) => names.has(n)) || contexts.some((c) => named(c, names))) return;
  const element = `this element is [${[...names].sort().join(', ')}]; allowed: ${contexts.map((c) => `e:${c}`).join(', ')}`;
  const kind = asModifier ? 'modifier extension' : 'extension';
  ctx.issues.push(issue('error', 'structure', `The ${kind} ${url} is not allowed to be used at this point (${element})`, pathOf(ctx, '', containerLength(ctx))));
}

export function checkCoreExtension(node: Record<string, unknown>, ctx: WalkContext): void {
  const url = node.url;
  if (typeof url !== 'string' || !url.startsWith(CORE)) return;
  const def = definitions[url];
  if (def === undefined) {
    // A core StructureDefinition that is not an extension (a resource or type) is no extension either.
    ctx.issues.push(issue('error', 'structure', `The extension ${url} could not be found so is not allowed here`, pathOf(ctx)));
    return;
  }
  const type = valueType(node);
  if (type !== undefined && !def.types.includes(type)) {
    ctx.issues.push(issue('error', 'structure', `The Extension '${url}' definition allows for the types [${def.types.join(', ')}] but found type ${type}`, pathOf(ctx)));
  }
  const asModifier = ctx.at[ctx.at.length - 2] === 'modifierExtension';
  if (def.modifier !== asModifier) {
    const problem = def.modifier ? 'must be used as a modifierExtension' : 'must not be used as a modifierExtension';
    ctx.issues.push(issue('error', 'structure', `The Extension '${url}' ${problem}`, pathOf(ctx)));
  }
  checkContext(url, def, asModifier, ctx);
}
