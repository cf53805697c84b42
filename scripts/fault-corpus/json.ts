/**
 * Plain-JSON helpers for the fault corpus: faults are put into deep copies of the originals, addressed by the
 * path of property names and array indexes that leads to a value.
 */

export type Json = Record<string, unknown>;
/** Property names and array indexes from the resource down to a value. */
export type JsonPath = (string | number)[];

export const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

export const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** A deep copy that keeps property order, so the same input always serialises to the same bytes. */
export function clone<T>(value: T): T {
  return structuredClone(value);
}

/** The value at `at`, or undefined when the path leads nowhere. */
export function getAt(root: unknown, at: JsonPath): unknown {
  let v: unknown = root;
  for (const step of at) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[step];
  }
  return v;
}

/** Replaces the value at `at` (the path must exist up to its last step). */
export function setAt(root: Json, at: JsonPath, value: unknown): void {
  const parent = getAt(root, at.slice(0, -1)) as Record<string | number, unknown>;
  parent[at[at.length - 1]] = value;
}

/**
 * Renames the property at `at` keeping its place among its siblings (a validator reading the file sees the
 * new name where the old one was).
 */
export function renameAt(root: Json, at: JsonPath, name: string, value?: unknown): void {
  const parent = getAt(root, at.slice(0, -1)) as Json;
  const old = at[at.length - 1] as string;
  refill(parent, Object.entries(parent).map(([k, v]): [string, unknown] => (k === old ? [name, value === undefined ? v : value] : [k, v])));
}

/** Replaces the properties of `owner` by `entries`, in their order. */
function refill(owner: Json, entries: [string, unknown][]): void {
  for (const k of Object.keys(owner)) delete owner[k];
  for (const [k, v] of entries) owner[k] = v;
}

/** A changed deep copy of `resource`; undefined when `change` declines (returns false). */
export function edited(resource: Json, change: (copy: Json) => void | boolean): Json | undefined {
  const copy = clone(resource);
  return change(copy) === false ? undefined : copy;
}

/** Puts `key` right after the property `after` of `owner` (at the end when `after` is absent). */
export function insertAfter(owner: Json, after: string, key: string, value: unknown): void {
  const entries = Object.entries(owner);
  const at = entries.findIndex(([k]) => k === after);
  entries.splice(at < 0 ? entries.length : at + 1, 0, [key, value]);
  refill(owner, entries);
}
