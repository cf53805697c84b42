/**
 * What the native invariants share: the shape of one, FHIRPath's notion of an element being present, and
 * the instant bounds of a partial date.
 */
export type Json = Record<string, unknown>;

export interface NativeInvariant {
  /** The FHIRPath the native check is equal to; any other expression under the same key uses fhirpath.js. */
  expression: string;
  /** True when the constraint holds on `node`; `root` is the resource validated (%rootResource). */
  check: (node: Json, root: Json) => boolean;
  /** Where, below the node, a failure lies (`.contained[1]`), when the reference validator reports it there. */
  locate?: (node: Json) => string[];
}

/** Whether `name` exists on `node` as FHIRPath sees it: a value, or a primitive's `_name` (id, extensions). */
export function present(node: Json | null | undefined, name: string): boolean {
  if (node === null || typeof node !== 'object') return false;
  const v = node[name] ?? node[`_${name}`];
  return v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0);
}

/** A value as the FHIRPath collection it is: a list as it is, one value as a list of one, nothing as none. */
export const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);

/** Whether a CodeableConcept (or, as FHIRPath flattens, a list of them) has a coding of `system` with one of `codes`. */
export function hasCoding(concept: unknown, system: string, codes: string[]): boolean {
  for (const c of asList(concept)) {
    if (c === null || typeof c !== 'object') continue;
    for (const coding of asList((c as Json).coding)) {
      const { system: s, code } = (coding ?? {}) as Json;
      if (s === system && typeof code === 'string' && codes.includes(code)) return true;
    }
  }
  return false;
}

/** The codings of a CodeableConcept, those that are JSON objects. */
export function codingsOf(concept: unknown): Json[] {
  const coding = (concept as Json | null | undefined)?.coding;
  return Array.isArray(coding) ? coding.filter((c): c is Json => c !== null && typeof c === 'object') : [];
}

/** Milliseconds of the earliest and latest instant a FHIR date/dateTime may mean, ignoring leap seconds. */
export function bounds(value: string): [number, number] | undefined {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/.exec(value);
  if (!m) return undefined;
  if (m[4] !== undefined) {
    // A time without zone would be local time; FHIR requires a zone there, so this is a rare invalid value.
    const t = Date.parse(m[8] ? value : `${value}Z`);
    return Number.isNaN(t) ? undefined : [t, t];
  }
  const y = Number(m[1]);
  const mo = m[2] ? Number(m[2]) - 1 : 0;
  const d = m[3] ? Number(m[3]) : 1;
  const start = Date.UTC(y, mo, d) - 14 * 3600_000;
  const end = (m[3] ? Date.UTC(y, mo, d + 1) : m[2] ? Date.UTC(y, mo + 1, 1) : Date.UTC(y + 1, 0, 1)) + 14 * 3600_000;
  return [start, end];
}
