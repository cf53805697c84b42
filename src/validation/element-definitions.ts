/**
 * The R4 element definitions the validator walks with, loaded once from schemas/fhir-elements.json (made by
 * scripts/derive-validation-definitions.ts). Each type (resource, data type, or backbone element named by
 * its path) maps JSON property names, choice variants included (`valueQuantity`), to their definition.
 * @see https://hl7.org/fhir/R4/elementdefinition.html
 */
import { readFileSync } from 'node:fs';

export interface ConstraintDef {
  key: string;
  severity: 'error' | 'warning';
  expression: string;
  human?: string;
}

export interface ElementDef {
  min: number;
  /** 0 (prohibited), 1, or '*' (repeats: a JSON array). */
  max: 0 | 1 | '*';
  /** Type codes; a backbone element's type is its path, a contentReference's the path it names. */
  types: string[];
  /** Reference target types, when restricted. */
  targets?: string[];
  /** The value set of a required binding. */
  valueSet?: string;
  /** Constraints declared on this element that are not part of its type's definition. */
  constraints?: ConstraintDef[];
}

export interface TypeDef {
  kind: 'resource' | 'complex' | 'primitive';
  elements: Record<string, ElementDef>;
  constraints?: ConstraintDef[];
}

export interface ElementsFile {
  types: Record<string, TypeDef>;
}

/** One JSON property of a type: the element it belongs to and, for a choice, the chosen type. */
export interface PropertyDef {
  /** The element name (`value[x]` for `valueQuantity`). */
  element: string;
  def: ElementDef;
  type: string;
}

export interface PreparedType {
  name: string;
  def: TypeDef;
  properties: Map<string, PropertyDef>;
  /** Elements with min ≥ 1, with the JSON names that satisfy each. */
  required: { element: string; names: string[] }[];
  /** Choice elements with their JSON names, to find two variants of one choice. */
  choices: { element: string; names: string[] }[];
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function prepare(name: string, def: TypeDef): PreparedType {
  const properties = new Map<string, PropertyDef>();
  const required: PreparedType['required'] = [];
  const choices: PreparedType['choices'] = [];
  for (const [element, el] of Object.entries(def.elements)) {
    const names: string[] = [];
    if (element.endsWith('[x]')) {
      for (const type of el.types) {
        const key = element.slice(0, -3) + capital(type);
        properties.set(key, { element, def: el, type });
        names.push(key, `_${key}`);
      }
      choices.push({ element, names: names.filter((n) => !n.startsWith('_')) });
    } else {
      properties.set(element, { element, def: el, type: el.types[0] });
      names.push(element, `_${element}`);
    }
    if (el.min > 0) required.push({ element, names });
  }
  return { name, def, properties, required, choices };
}

let prepared: Map<string, PreparedType> | undefined;

/** The prepared definition of a type, or undefined for a name R4 does not define. */
export function typeDefinition(name: string): PreparedType | undefined {
  if (!prepared) {
    const file = JSON.parse(readFileSync(new URL('../../schemas/fhir-elements.json', import.meta.url), 'utf8')) as ElementsFile;
    prepared = new Map(Object.entries(file.types).map(([n, d]) => [n, prepare(n, d)]));
  }
  return prepared.get(name);
}
