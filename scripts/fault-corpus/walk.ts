/**
 * A typed walk of one resource along the R4 element definitions (schemas/fhir-elements.json): every element
 * value with its FHIR type, its definition, and its FHIRPath in the notation of the HL7 validator
 * (`Patient.name[0].given[1]`, `Observation.value.ofType(Quantity)`: a repeating element always carries its
 * index, a choice names its type), so that a fault's `target` reads like the validator's `expression`.
 * The walk stops at resources held inside the resource (contained, Bundle entries, Parameters): a fault is
 * put into the resource itself, where its location is unambiguous.
 * @see https://hl7.org/fhir/R4/fhirpath.html
 */
import { typeDefinition, type ElementDef } from '../../src/validation/element-definitions.js';
import { isObject, type Json, type JsonPath } from './json.js';

export interface Node {
  at: JsonPath;
  /** FHIRPath in the validator's notation. */
  path: string;
  /** FHIR type code; a backbone element's is its definition path (`Observation.component`). */
  type: string;
  /** Definition path (`Patient.contact.name`), what extension contexts name. */
  defPath: string;
  value: unknown;
  /** The JSON property, element name (`value[x]`) and definition holding the value; absent for the resource. */
  key?: string;
  element?: string;
  def?: ElementDef;
  /** The index in the property's array, for a repeating element. */
  index?: number;
  parent?: Node;
}

/** True for a resource type (also the abstract `Resource` of contained and entry.resource). */
function isResourceType(type: string): boolean {
  return type === 'Resource' || typeDefinition(type)?.def.kind === 'resource';
}

/** R4 defines `Resource.id` and `Extension.url` as System.String; the validator checks them as id and uri. */
function typeOf(owner: string, key: string, declared: string): string {
  if (key === 'id' && typeDefinition(owner)?.def.kind === 'resource') return 'id';
  if (key === 'url' && owner === 'Extension') return 'uri';
  return declared;
}

function visit(node: Node, out: Node[]): void {
  const type = typeDefinition(node.type);
  if (!type || type.def.kind === 'primitive' || !isObject(node.value)) return;
  for (const key of Object.keys(node.value)) {
    const prop = type.properties.get(key);
    if (key === 'resourceType' || key.startsWith('_') || !prop) continue;
    const value = node.value[key];
    const childType = typeOf(type.name, key, prop.type);
    const name = prop.element.endsWith('[x]') ? `${prop.element.slice(0, -3)}.ofType(${prop.type})` : key;
    const defPath = `${node.defPath}.${prop.element.replace('[x]', '')}`;
    const items: [unknown, number | undefined][] = Array.isArray(value) ? value.map((v, i) => [v, i]) : [[value, undefined]];
    for (const [v, index] of items) {
      const child: Node = {
        at: index === undefined ? [...node.at, key] : [...node.at, key, index],
        path: index === undefined ? `${node.path}.${name}` : `${node.path}.${name}[${index}]`,
        type: childType,
        defPath,
        value: v,
        key,
        element: prop.element,
        def: prop.def,
        index,
        parent: node,
      };
      out.push(child);
      if (!isResourceType(childType)) visit(child, out);
    }
  }
}

/** Every element value of `resource` in document order, the resource itself first. */
export function walk(resource: Json): Node[] {
  const type = String(resource.resourceType);
  const root: Node = { at: [], path: type, type, defPath: type, value: resource };
  const out = [root];
  visit(root, out);
  return out;
}

/** The FHIRPath of the whole property a node belongs to, without its index (`Patient.name`). */
export function propertyPath(node: Node): string {
  return node.index === undefined ? node.path : node.path.slice(0, node.path.lastIndexOf('['));
}

/** True for a value of a complex type or backbone element (an object the walk went into). */
export function isComplex(node: Node): boolean {
  const kind = typeDefinition(node.type)?.def.kind;
  return isObject(node.value) && kind !== undefined && kind !== 'primitive' && !isResourceType(node.type);
}
