/**
 * What keeps a variant at one fault: a change that drops a local reference (`#id`) or alters the contained
 * resources would orphan a contained resource or break a reference, a second fault (dom-3, ref-1) beside
 * the one intended. The driver drops such variants, except in the categories about exactly those rules.
 */
import { isObject, type Json } from './json.js';

export const GUARD_EXEMPT = new Set(['contained', 'bundle']);

/** Every string of the resource that is a local reference (`#id`), counted. */
function localReferences(value: unknown, out = new Map<string, number>()): Map<string, number> {
  if (typeof value === 'string' && value.startsWith('#')) out.set(value, (out.get(value) ?? 0) + 1);
  else if (Array.isArray(value)) for (const v of value) localReferences(v, out);
  else if (isObject(value)) for (const v of Object.values(value)) localReferences(v, out);
  return out;
}

/**
 * Whether the variant keeps the original's contained resources (more may follow them) and every local
 * reference to them.
 */
export function keepsContained(original: Json, variant: Json): boolean {
  if (!Array.isArray(original.contained)) return true;
  const kept = Array.isArray(variant.contained) ? variant.contained.slice(0, original.contained.length) : undefined;
  if (JSON.stringify(original.contained) !== JSON.stringify(kept)) return false;
  const after = localReferences(variant);
  return [...localReferences(original)].every(([ref, n]) => (after.get(ref) ?? 0) >= n);
}
