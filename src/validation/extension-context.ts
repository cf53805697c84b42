/**
 * The names of the element an extension is on, as the reference validator matches them against the
 * extension's context (its NodeStack's literal and logical paths, indexes stripped): the element's path in the
 * instance (`Observation.value.ofType(Quantity)`), its definition's path reached from each type on the way
 * (`Observation.value`, `Observation.valueQuantity`, and `Quantity.code` one level down), and its type
 * (`Quantity`; `BackboneElement`, or `Element` inside a data type, for a backbone element; the path a
 * reused definition names, `Questionnaire.item`). Worked out from the path the walk is at, only for an
 * extension whose definition restricts its context.
 * @see https://hl7.org/fhir/R4/defining-extensions.html#context
 */
import { typeDefinition, type PreparedType } from './element-definitions.js';
import type { WalkContext } from './walk-context.js';

type Json = Record<string, unknown>;

/** How many segments of `ctx.at` lead to the element holding the extension the walk is at (`…extension[0]`). */
export function containerLength(ctx: WalkContext): number {
  return ctx.at.length - (typeof ctx.at[ctx.at.length - 1] === 'number' ? 2 : 1);
}

/** The base types name only their own elements: `BackboneElement.code` is no path, `Element.extension` is. */
const BASE_ELEMENTS: Record<string, string[] | undefined> = {
  Element: ['id', 'extension'],
  BackboneElement: ['modifierExtension'],
  Resource: ['id', 'meta', 'implicitRules', 'language'],
  DomainResource: ['text', 'contained', 'extension', 'modifierExtension'],
};

const realPath = (path: string, element: string) => BASE_ELEMENTS[path]?.includes(element) ?? true;

/** The element's names, or undefined where the path leaves the definitions (the walk skips such elements). */
export function elementNames(ctx: WalkContext): Set<string> | undefined {
  const at = ctx.at;
  const end = containerLength(ctx);
  let node: unknown = ctx.root;
  let type: PreparedType | undefined = typeDefinition(String(at[0]));
  let literal = String(at[0]);
  let logical = [literal];
  for (let i = 1; i < end; i++) {
    const segment = at[i];
    if (typeof segment === 'number') {
      node = Array.isArray(node) ? node[segment] : undefined;
      continue;
    }
    const prop = type?.properties.get(segment);
    if (type === undefined || prop === undefined) return undefined;
    let next = typeDefinition(prop.type);
    // A primitive's extensions are in `_name`, an Element beside the value.
    const primitive = next?.def.kind === 'primitive';
    node = node !== null && typeof node === 'object' ? (node as Json)[primitive ? `_${segment}` : segment] : undefined;
    if (Array.isArray(node) && typeof at[i + 1] === 'number') node = node[at[++i] as number];
    const choice = prop.element.endsWith('[x]');
    const name = choice ? prop.element.slice(0, -3) : prop.element;
    literal += choice ? `.${name}.ofType(${prop.type})` : `.${name}`;
    const paths: string[] = [];
    for (const p of logical) {
      if (!realPath(p, prop.element)) continue;
      paths.push(`${p}.${name}`);
      if (choice) paths.push(`${p}.${name}.ofType(${prop.type})`, `${p}.${segment}`);
    }
    if (prop.type === 'Resource') {
      const resourceType = String((node as Json | undefined)?.resourceType);
      next = typeDefinition(resourceType);
      paths.push(resourceType);
    } else {
      paths.push(typeName(type, prop.element, prop.type));
    }
    logical = paths;
    type = primitive ? typeDefinition('Element') : next;
  }
  return new Set([literal, ...logical]);
}

/**
 * The type name an element is known by: its data type; for a backbone element (which the definitions name by
 * path) `BackboneElement` in a resource and `Element` in a data type; for an element reusing another's
 * definition (`Questionnaire.item.item`) the path it names.
 */
function typeName(parent: PreparedType, element: string, type: string): string {
  if (type !== `${parent.name}.${element}`) return type;
  return typeDefinition(parent.name.split('.')[0])?.def.kind === 'resource' ? 'BackboneElement' : 'Element';
}
