/**
 * What the walk does at each JSON key of each type, worked out once per type from the R4 element definitions
 * and the profile's rules: one map lookup per key while walking, no selector matching per value (what keeps
 * the walk at tens of thousands of resources a second, where evaluating FHIRPath per resource would not).
 * Built-in steps come before rules: ids, references, fullUrls and request URLs are always pseudonymised, as
 * links between resources depend on every one of them changing the same way.
 */
import { typeDefinition, type PreparedType } from '../validation/element-definitions.js';
import { DATE_TYPES } from './dates.js';
import type { Method } from './profile.js';
import type { RuleTable } from './rules.js';

/** What to do with a value: a number, switched on in the walk. */
export const Step = {
  copy: 0,
  walk: 1,
  resource: 2,
  contained: 3,
  entry: 4,
  extensions: 5,
  /** A primitive's `_name` sibling: an Element with an id and extensions. */
  element: 6,
  redact: 7,
  keep: 8,
  pseudonymise: 9,
  generaliseDate: 10,
  shiftDate: 11,
  generaliseZip: 12,
  generaliseNarrative: 13,
  generaliseAge: 14,
  reference: 15,
  query: 16,
} as const;
export type Step = (typeof Step)[keyof typeof Step];

export interface Slot {
  step: Step;
  /** The element's type: the frame to walk an object with, or the date type to generalise or shift. */
  type: string;
  /** Whether the element must be present (min ≥ 1): one the profile empties gets a data-absent-reason. */
  required: boolean;
  primitive: boolean;
  child?: Frame;
}

export interface Frame {
  name: string;
  slots: Map<string, Slot>;
  /** Whether the type has a birthDate, whose age the walk may aggregate. */
  birthDate: boolean;
}

/** Where a step is fixed whatever the rules say: `Owner.key`. */
const BUILT_IN: Record<string, Step> = {
  'Reference.reference': Step.reference,
  'Bundle.entry.fullUrl': Step.reference,
  'Bundle.entry.request.url': Step.reference,
  'Bundle.entry.response.location': Step.reference,
  'Bundle.entry.request.ifNoneExist': Step.query,
  'Bundle.entry.resource': Step.entry,
  // An extension's URL says what it is: a rule on uri must not take it away.
  'Extension.url': Step.copy,
};

function ruleStep(method: Method, type: string): Step {
  switch (method) {
    case 'redact':
      return Step.redact;
    case 'keep':
      return Step.keep;
    case 'pseudonymise':
      return Step.pseudonymise;
    case 'shift':
      return Step.shiftDate;
    case 'generalise':
      if (DATE_TYPES.has(type)) return Step.generaliseDate;
      if (type === 'Narrative') return Step.generaliseNarrative;
      if (type === 'Age') return Step.generaliseAge;
      return Step.generaliseZip;
  }
}

function defaultStep(owner: PreparedType, key: string, element: string, type: string, primitive: boolean): Step {
  if (owner.def.kind === 'resource' && (key === 'id' || key === 'resourceType')) return Step.copy;
  if (type === 'Resource') return element === 'contained' ? Step.contained : Step.resource;
  if (type === 'Extension') return Step.extensions;
  return primitive ? Step.copy : Step.walk;
}

function buildFrame(type: PreparedType, rules: RuleTable): Frame {
  const slots = new Map<string, Slot>();
  if (type.def.kind === 'resource') slots.set('resourceType', { step: Step.copy, type: 'string', required: false, primitive: true });
  for (const [key, prop] of type.properties) {
    const primitive = typeDefinition(prop.type)?.def.kind === 'primitive';
    const method = rules.byElement.get(`${type.name}.${key}`) ?? rules.byType.get(prop.type);
    const step = BUILT_IN[`${type.name}.${key}`] ?? (method === undefined ? defaultStep(type, key, prop.element, prop.type, primitive) : ruleStep(method, prop.type));
    slots.set(key, { step, type: prop.type, required: prop.def.min > 0, primitive });
    if (primitive) {
      const sibling = step === Step.redact || step === Step.keep ? step : Step.element;
      slots.set(`_${key}`, { step: sibling, type: 'Element', required: false, primitive: false });
    }
  }
  return { name: type.name, slots, birthDate: type.def.kind === 'resource' && type.properties.has('birthDate') };
}

/** A primitive's id and extensions (`_birthDate`): R4 defines no "Element" type to build this from. */
function elementFrame(): Frame {
  const slots = new Map<string, Slot>([
    ['id', { step: Step.copy, type: 'string', required: false, primitive: true }],
    ['extension', { step: Step.extensions, type: 'Extension', required: false, primitive: false }],
  ]);
  return { name: 'Element', slots, birthDate: false };
}

/** The frames of one profile, built as the walk first meets each type. */
export class Frames {
  private readonly byName = new Map<string, Frame>();
  readonly element = elementFrame();

  constructor(readonly rules: RuleTable) {}

  /** The frame of a type, resource or backbone element; undefined for a name R4 does not define. */
  of(name: string): Frame | undefined {
    if (name === 'Element') return this.element;
    let frame = this.byName.get(name);
    if (frame === undefined) {
      // Names come from the data (resourceType): only those R4 defines are kept.
      const type = typeDefinition(name);
      if (type === undefined || type.def.kind === 'primitive') return undefined;
      this.byName.set(name, (frame = buildFrame(type, this.rules)));
    }
    return frame;
  }

  /** The frame a slot's object values are walked with, remembered on the slot. */
  child(slot: Slot): Frame | undefined {
    return (slot.child ??= this.of(slot.type));
  }
}
