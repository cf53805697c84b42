/**
 * What the JSON schema asks of each object, one level deep, for the element walk to check as it passes: which
 * keys an object may have, whether each is an array, and the JSON type, pattern or enum of each value. The
 * walk reaches every node anyway, so it tells in passing whether the schema validator could object to
 * anything (walk-elements.ts); only then does ajv run, for its exact messages. Most resources are valid, and
 * ajv's own pass over them was a third of the validation time.
 *
 * The checks may only err on the side of suspicion: every value ajv would refuse must fail here, while a value
 * that fails here and passes ajv merely costs an ajv run. So a schema keyword not understood below refuses
 * everything it applies to.
 */
import { loadSchema } from './fhir-schema.js';

type SchemaNode = Record<string, unknown>;
/** Whether one JSON value (an array's item, for an array) is what the schema asks, at this level only. */
type ValueCheck = (value: unknown) => boolean;

export interface KeyShape {
  array: boolean;
  accepts: ValueCheck;
  /** The schema definition a value of this key is an object of: its keys are checked one level down. */
  ref?: string;
  /** The value is a resource: its definition is named by its own resourceType. */
  resource?: boolean;
}

export interface ObjectShape {
  keys: Map<string, KeyShape>;
  /** Keys the schema requires (`resourceType` of a resource, `div` of a Narrative). */
  required: string[];
}

const isObject = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
const never: ValueCheck = () => false;

/**
 * Patterns that run on most strings, as plain scans rather than unicode regular expressions. The first is
 * `string` once its `\S` is read as in Java (fhir-schema.ts): one or more characters, none a vertical tab or
 * form feed.
 */
const FAST_PATTERNS: Record<string, (s: string) => boolean> = {
  '^[^\\x0B\\f]+$': (s) => s.length > 0 && s.indexOf('\x0B') < 0 && s.indexOf('\f') < 0,
};

function jsonTypeCheck(type: unknown, pattern: unknown): ValueCheck {
  // ajv's pattern applies to strings only, so the schema's patterns on numbers and booleans say nothing.
  if (type === 'boolean') return (v) => typeof v === 'boolean';
  if (type === 'number') return (v) => typeof v === 'number' && Number.isFinite(v);
  if (type !== 'string') return never;
  if (pattern === undefined) return (v) => typeof v === 'string';
  if (typeof pattern !== 'string') return never;
  const fast = FAST_PATTERNS[pattern];
  if (fast) return (v) => typeof v === 'string' && fast(v);
  const regex = new RegExp(pattern, 'u');
  return (v) => typeof v === 'string' && regex.test(v);
}

const KNOWN_KEYWORDS = new Set(['description', 'type', 'pattern', 'enum', 'const', '$ref', 'items']);

class ShapeBuilder {
  private readonly shapes = new Map<string, ObjectShape>();
  private readonly resourceTypes: Set<string>;

  constructor(private readonly definitions: Record<string, SchemaNode>) {
    this.resourceTypes = new Set(Object.entries(definitions).filter(([, d]) => (d.properties as SchemaNode | undefined)?.resourceType !== undefined).map(([n]) => n));
    for (const [name, def] of Object.entries(definitions)) if (def.properties !== undefined) this.shapes.set(name, this.objectShape(def));
  }

  all(): Map<string, ObjectShape> {
    return this.shapes;
  }

  private objectShape(def: SchemaNode): ObjectShape {
    const keys = new Map<string, KeyShape>();
    const closed = def.additionalProperties === false;
    for (const [key, node] of Object.entries(def.properties as Record<string, SchemaNode>)) keys.set(key, this.keyShape(node));
    const required = Array.isArray(def.required) ? (def.required as string[]) : [];
    const extra = Object.keys(def).filter((k) => !['description', 'properties', 'additionalProperties', 'required', 'type'].includes(k));
    // An open object, or one with keywords beyond these, is ajv's to judge every time.
    if (!closed || extra.length > 0 || (def.type !== undefined && def.type !== 'object')) return { keys: new Map(), required };
    return { keys, required };
  }

  private keyShape(node: SchemaNode): KeyShape {
    if (Object.keys(node).some((k) => !KNOWN_KEYWORDS.has(k))) return { array: false, accepts: never };
    if (node.type === 'array') {
      const items = node.items as SchemaNode | undefined;
      if (!items || Object.keys(node).some((k) => !['description', 'type', 'items'].includes(k))) return { array: true, accepts: never };
      return { ...this.keyShape(items), array: true };
    }
    return { array: false, ...this.valueShape(node) };
  }

  /** The check of one value against a property's schema that is not an array. */
  private valueShape(node: SchemaNode): Omit<KeyShape, 'array'> {
    if (node.items !== undefined) return { accepts: never };
    if (typeof node.$ref === 'string') {
      if (Object.keys(node).some((k) => k !== '$ref' && k !== 'description')) return { accepts: never };
      return this.refShape(node.$ref.replace('#/definitions/', ''));
    }
    if (node.const !== undefined) {
      const expected = node.const;
      return { accepts: (v) => v === expected };
    }
    if (Array.isArray(node.enum)) {
      if (node.type !== undefined || node.pattern !== undefined) return { accepts: never };
      const values = new Set(node.enum);
      return { accepts: (v) => typeof v === 'string' && values.has(v) };
    }
    return { accepts: jsonTypeCheck(node.type, node.pattern) };
  }

  private refShape(name: string): Omit<KeyShape, 'array'> {
    const def = this.definitions[name];
    if (def === undefined) return { accepts: never };
    if (name === 'ResourceList') {
      const types = this.resourceTypes;
      return { resource: true, accepts: (v) => isObject(v) && types.has((v as { resourceType?: unknown }).resourceType as string) };
    }
    if (def.properties !== undefined) return { ref: name, accepts: isObject };
    if (Object.keys(def).some((k) => !['description', 'type', 'pattern'].includes(k))) return { accepts: never };
    return { accepts: jsonTypeCheck(def.type, def.pattern) };
  }
}

let shapes: Map<string, ObjectShape> | undefined;

/** The shape of a schema definition (a resource, a data type, or a backbone element such as `Observation_Component`). */
export function objectShape(name: string): ObjectShape | undefined {
  shapes ??= new ShapeBuilder(loadSchema().definitions as Record<string, SchemaNode>).all();
  return shapes.get(name);
}

/** Every key of `node` is one the shape allows, and every required key is there. */
export function hasRequiredKeys(node: Record<string, unknown>, shape: ObjectShape): boolean {
  for (const key of shape.required) if (node[key] === undefined) return false;
  return true;
}

/** The value of one key is what the schema asks at this level: array or not as the key says, each item of its type. */
export function keyAccepts(shape: KeyShape, value: unknown): boolean {
  if (!shape.array) return !Array.isArray(value) && shape.accepts(value);
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i++) if (!shape.accepts(value[i])) return false;
  return true;
}
