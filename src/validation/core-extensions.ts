/**
 * The extensions R4 itself defines, checked where they are used (schemas/fhir-extensions.json, derived by
 * scripts/derive-validation-definitions.ts): a URL in the core namespace that R4 does not define is an error,
 * as is a value of a type the definition does not allow (any value, for a complex extension), and a modifier
 * extension in `extension` or a plain one in `modifierExtension`. Extensions of other namespaces (US Core,
 * Synthea, a user's own) are accepted unseen: their definitions are not at hand.
 * @see https://hl7.org/fhir/R4/extensibility.html#Extension
 */
import { readFileSync } from 'node:fs';
import { issue } from '../fhir/outcomes.js';
import { typeDefinition } from './element-definitions.js';
import { pathOf, type WalkContext } from './walk-context.js';

export interface CoreExtensionDef {
  /** The value's types; empty for a complex extension. */
  types: string[];
  modifier: boolean;
}

const CORE = 'http://hl7.org/fhir/StructureDefinition/';

const definitions = JSON.parse(readFileSync(new URL('../../schemas/fhir-extensions.json', import.meta.url), 'utf8')) as Record<string, CoreExtensionDef>;

/** The type of the extension's value (`valueDateTime` → `dateTime`), as the definitions name the choice. */
function valueType(node: Record<string, unknown>): string | undefined {
  const extension = typeDefinition('Extension');
  for (const key of Object.keys(node)) {
    const prop = extension?.properties.get(key);
    if (prop?.element === 'value[x]') return prop.type;
  }
  return undefined;
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
}
