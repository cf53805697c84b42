/**
 * What the element walk needs at each object, prepared once per pair of element definition and JSON schema
 * shape: per JSON key (`_x` included) one slot with the element, the schema's check, the primitive rule, and
 * the bits that tell required elements present and choice variants doubled as the keys go by. The walk then
 * makes one map lookup per key and reads no key by name: reading a node's keys by name cost it a third of its
 * time, as such reads meet objects of every shape.
 */
import { typeDefinition, type PreparedType, type PropertyDef } from './element-definitions.js';
import { PRIMITIVE_RULES } from './primitive-formats.js';
import { objectShape, type KeyShape, type ObjectShape } from './schema-shapes.js';
import { TYPE_RULES } from './type-rules.js';
import type { WalkContext } from './walk-context.js';

type Json = Record<string, unknown>;

/** A key the schema does not define: anything under it is the schema validator's to judge. */
const UNDEFINED_KEY: KeyShape = { array: false, accepts: () => false };

export interface Slot {
  /** The element's JSON name, `_` dropped: the FHIRPath segment. */
  name: string;
  prop: PropertyDef;
  keyShape: KeyShape;
  /** `_x`: a primitive's id and extensions. */
  primitiveExtension: boolean;
  /** An empty array of a primitive type reads as no values (walk-elements.ts). */
  primitive: boolean;
  /** This slot's bit among the type's required elements; 0 when its element is optional. */
  requiredBit: number;
  /** This slot's bit among the type's choice elements; 0 for other elements and for `_x` keys. */
  choiceBit: number;
  rule: ((value: unknown, ctx: WalkContext) => void) | undefined;
  /** The frame of an object value, once met (not for resources, whose type their value names). */
  child?: Frame;
}

export interface Frame {
  type: PreparedType;
  shape: ObjectShape | undefined;
  slots: Map<string, Slot>;
  /** Every required bit; -1 when the type has too many required or choice elements for bits (then each is looked up). */
  requiredAll: number;
  /** The keys of Extension's value[x], `_x` included, for ext-1. */
  extensionValues: string[] | undefined;
  typeRule: ((node: Json, ctx: WalkContext, resource: object) => void) | undefined;
}

const MAX_BITS = 30;

const isPrimitive = (prop: PropertyDef) => typeDefinition(prop.type)?.def.kind === 'primitive';

function bitOf(index: number): number {
  return index < MAX_BITS ? 1 << index : 0;
}

function buildFrame(type: PreparedType, shape: ObjectShape | undefined): Frame {
  const required = new Map(type.required.map((r, i) => [r.element, bitOf(i)]));
  const choices = new Map(type.choices.map((c, i) => [c.element, bitOf(i)]));
  const slots = new Map<string, Slot>();
  for (const [name, prop] of type.properties) {
    for (const primitiveExtension of [false, true]) {
      const key = primitiveExtension ? `_${name}` : name;
      slots.set(key, {
        name,
        prop,
        keyShape: shape?.keys.get(key) ?? UNDEFINED_KEY,
        primitiveExtension,
        primitive: isPrimitive(prop),
        requiredBit: required.get(prop.element) ?? 0,
        choiceBit: primitiveExtension ? 0 : (choices.get(prop.element) ?? 0),
        rule: primitiveExtension ? undefined : PRIMITIVE_RULES[prop.type],
      });
    }
  }
  const tooMany = type.required.length > MAX_BITS || type.choices.length > MAX_BITS;
  return {
    type,
    shape,
    slots,
    requiredAll: tooMany ? -1 : type.required.reduce((mask, _, i) => mask | bitOf(i), 0),
    extensionValues: type.name === 'Extension' ? type.choices[0].names.flatMap((n) => [n, `_${n}`]) : undefined,
    typeRule: TYPE_RULES[type.name],
  };
}

const frames = new Map<PreparedType, Map<ObjectShape | undefined, Frame>>();

/** The frame of a type walked with a schema shape, built once. */
export function frameOf(type: PreparedType, shape: ObjectShape | undefined): Frame {
  let byShape = frames.get(type);
  if (!byShape) frames.set(type, (byShape = new Map()));
  let frame = byShape.get(shape);
  if (!frame) byShape.set(shape, (frame = buildFrame(type, shape)));
  return frame;
}

const resourceFrames = new Map<string, Frame>();

/**
 * The frame of the type a value's resourceType names (its schema definition has the same name); undefined for a
 * name R4 does not define, which is not kept: the names come from the data.
 */
export function resourceFrame(resourceType: string): Frame | undefined {
  let frame = resourceFrames.get(resourceType);
  if (frame === undefined) {
    const type = typeDefinition(resourceType);
    if (type === undefined || type.def.kind === 'primitive') return undefined;
    resourceFrames.set(resourceType, (frame = frameOf(type, objectShape(resourceType))));
  }
  return frame;
}
