/**
 * A profile's rules as three lookups the walk consults once per element definition (not per value): by data
 * type, by element of a type (`Address.line`, keyed by JSON name so a choice's variants each have theirs),
 * and by extension URL. Each selector is checked against the R4 element definitions, and each method against
 * the types it would meet, so a profile that could not be applied fails when loaded, not halfway through a file.
 */
import { typeDefinition, type PreparedType } from '../validation/element-definitions.js';
import { DATE_TYPES } from './dates.js';
import { DeidConfigError, type DeidProfile, type Method } from './profile.js';

export interface RuleTable {
  byType: Map<string, Method>;
  /** `Owner.jsonKey` → method. */
  byElement: Map<string, Method>;
  byExtension: Map<string, Method>;
}

/** The complex types generalise knows what to do with (besides dates and Address.postalCode). */
const GENERALISABLE = new Set(['Narrative', 'Age']);
/** Primitive types that hold no text to pseudonymise. */
const NOT_TEXT = new Set(['boolean', 'integer', 'decimal', 'positiveInt', 'unsignedInt', 'base64Binary', 'xhtml', 'time', ...DATE_TYPES]);

const isPrimitive = (type: string) => typeDefinition(type)?.def.kind === 'primitive';

/** Why `method` cannot apply to a value of `type` at `selector`, or undefined when it can. */
function misfit(method: Method, type: string, selector: string): string | undefined {
  switch (method) {
    case 'shift':
      return DATE_TYPES.has(type) ? undefined : 'shift applies to date, dateTime and instant only';
    case 'generalise':
      if (DATE_TYPES.has(type) || GENERALISABLE.has(type) || selector === 'Address.postalCode') return undefined;
      return 'generalise applies to date, dateTime, instant, Age, Narrative and Address.postalCode only';
    case 'pseudonymise':
      return isPrimitive(type) && !NOT_TEXT.has(type) ? undefined : 'pseudonymise applies to text (string, id, uri, code…) only';
    default:
      return undefined;
  }
}

/** The JSON keys an element name stands for in a type: `value[x]` and `value` give each `valueX`. */
function keysOf(type: PreparedType, element: string): string[] {
  const keys: string[] = [];
  for (const [key, prop] of type.properties) {
    if (key === element || prop.element === element || prop.element === `${element}[x]`) keys.push(key);
  }
  return keys;
}

export function compileRules(profile: DeidProfile): RuleTable {
  const table: RuleTable = { byType: new Map(), byElement: new Map(), byExtension: new Map() };
  const fail = (selector: string, why: string): never => {
    throw new DeidConfigError(`de-identification profile "${profile.name}", rule "${selector}": ${why}`);
  };
  for (const rule of profile.rules) {
    if (rule.extension !== undefined) {
      if (rule.method !== 'keep' && rule.method !== 'redact') fail(rule.extension, 'an extension is either kept or redacted');
      table.byExtension.set(rule.extension, rule.method);
      continue;
    }
    const selector = rule.select as string;
    const dot = selector.lastIndexOf('.');
    if (dot < 0) {
      const type = typeDefinition(selector);
      if (type === undefined) fail(selector, 'no R4 data type has this name');
      if (type?.def.kind === 'resource') fail(selector, 'a whole resource cannot be selected: name its elements');
      const why = misfit(rule.method, selector, selector);
      if (why) fail(selector, why);
      table.byType.set(selector, rule.method);
      continue;
    }
    const owner = typeDefinition(selector.slice(0, dot));
    if (owner === undefined) fail(selector, `no R4 type or backbone element is named "${selector.slice(0, dot)}"`);
    const keys = keysOf(owner as PreparedType, selector.slice(dot + 1));
    if (keys.length === 0) fail(selector, `"${selector.slice(0, dot)}" has no element "${selector.slice(dot + 1)}"`);
    for (const key of keys) {
      const why = misfit(rule.method, (owner as PreparedType).properties.get(key)!.type, selector);
      if (why) fail(selector, why);
      table.byElement.set(`${selector.slice(0, dot)}.${key}`, rule.method);
    }
  }
  return table;
}
