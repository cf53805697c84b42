/**
 * One walk of a resource along its frames (frames.ts), building a new object: each key's step says whether to
 * copy, descend, or transform. Keys R4 does not define for the type are dropped (they cannot be judged, so they
 * cannot be passed on). What the profile empties is left as valid R4 (absent.ts).
 */
import { hasContent, isEmpty, markAbsent, REDACTED_NARRATIVE } from './absent.js';
import { aggregatedAge, aggregatedBirthDate } from './ages.js';
import { bundleScope, type BundleScope } from './bundle-scope.js';
import { generaliseDate, shiftDate, type DateType } from './dates.js';
import { Step, type Frame, type Frames, type Slot } from './frames.js';
import type { Pseudonymiser } from './pseudonym.js';
import { CONTAINED, rewriteQuery, rewriteReference } from './references.js';
import { generaliseZip } from './zip.js';

type Json = Record<string, unknown>;

export interface WalkSettings {
  frames: Frames;
  p: Pseudonymiser;
  restrictedZip3: ReadonlySet<string>;
  ageLimit: number | undefined;
  maxShiftDays: number;
  now: Date;
}

/** The walk's settings and where it is: the current patient's shift and the Bundle around it. */
interface WalkState extends WalkSettings {
  shift: number | undefined;
  scope: BundleScope | undefined;
}

export class DeidentifyError extends Error {}

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

function walkExtension(node: unknown, state: WalkState): Json | undefined {
  if (!isObject(node)) return undefined;
  const rule = typeof node.url === 'string' ? state.frames.rules.byExtension.get(node.url) : undefined;
  if (rule === 'redact') return undefined;
  if (rule === 'keep') return structuredClone(node);
  const out = walkObject(node, state.frames.of('Extension')!, state);
  return hasContent(out) ? out : undefined;
}

function walkEntry(node: unknown, state: WalkState): Json | undefined {
  if (!isObject(node)) return undefined;
  const shift = state.shift;
  const patient = state.scope?.patientOf(node);
  state.shift = patient === undefined ? undefined : state.p.shiftDays(patient, state.maxShiftDays);
  try {
    return walkResource(node, state, false);
  } finally {
    state.shift = shift;
  }
}

/** One value of a slot; undefined when nothing of it is left. */
function walkValue(slot: Slot, value: unknown, state: WalkState, frames: Frames): unknown {
  switch (slot.step) {
    case Step.copy:
      return typeof value === 'object' ? undefined : value;
    case Step.walk:
    case Step.element: {
      const frame = frames.child(slot);
      if (!isObject(value) || frame === undefined) return undefined;
      const out = walkObject(value, frame, state);
      return isEmpty(out) ? undefined : out;
    }
    case Step.resource:
      return isObject(value) ? walkResource(value, state, false) : undefined;
    case Step.contained:
      return isObject(value) ? walkResource(value, state, true) : undefined;
    case Step.entry:
      return walkEntry(value, state);
    case Step.extensions:
      return walkExtension(value, state);
    case Step.redact:
      return undefined;
    case Step.keep:
      return structuredClone(value);
  }
  if (slot.step === Step.generaliseNarrative) return isObject(value) ? { ...REDACTED_NARRATIVE } : undefined;
  if (slot.step === Step.generaliseAge) {
    if (!isObject(value)) return undefined;
    const aggregated = state.ageLimit === undefined ? undefined : aggregatedAge(value, state.ageLimit);
    return aggregated ?? walkObject(value, frames.of('Age')!, state);
  }
  if (typeof value !== 'string') return typeof value === 'object' ? undefined : value;
  switch (slot.step) {
    case Step.pseudonymise:
      return state.p.value(value);
    case Step.generaliseDate:
      return generaliseDate(value, slot.type as DateType);
    case Step.shiftDate:
      return state.shift === undefined ? generaliseDate(value, slot.type as DateType) : shiftDate(value, state.shift);
    case Step.generaliseZip:
      return generaliseZip(value, state.restrictedZip3);
    case Step.reference:
      return rewriteReference(value, state.p, state.scope?.urnTypes);
    case Step.query:
      return rewriteQuery(value, undefined, state.p);
  }
  return undefined;
}

/**
 * The values of a repeating slot. A primitive array keeps its positions (its `_name` array lines up with it),
 * a value that goes leaving a null; objects that go are dropped.
 */
function walkArray(slot: Slot, values: unknown[], state: WalkState, frames: Frames): unknown[] | undefined {
  if (slot.step === Step.redact) return undefined;
  const out: unknown[] = [];
  let present = 0;
  const aligned = slot.primitive || slot.step === Step.element;
  for (const value of values) {
    const result = value === null ? undefined : walkValue(slot, value, state, frames);
    if (result !== undefined) {
      out.push(result);
      present++;
    } else if (aligned) {
      out.push(null);
    }
  }
  return present === 0 ? undefined : out;
}

function walkObject(node: Json, frame: Frame, state: WalkState): Json {
  const frames = state.frames;
  const out: Json = {};
  let absent: string[] | undefined;
  for (const key in node) {
    const slot = frame.slots.get(key);
    if (slot === undefined) continue;
    const value = node[key];
    const result = Array.isArray(value) ? walkArray(slot, value, state, frames) : walkValue(slot, value, state, frames);
    if (result !== undefined) out[key] = result;
    else if (slot.required && value !== undefined && value !== null) (absent ??= []).push(key);
  }
  if (absent !== undefined) for (const key of absent) markAbsent(out, key, frame.slots.get(key)!, Array.isArray(node[key]));
  return out;
}

/**
 * A resource with its id pseudonymised (under `#` when contained, as `#id` references are) and, where the
 * profile limits ages, its birth date aggregated. A Bundle brings its own scope for its entries.
 */
export function walkResource(resource: Json, state: WalkState, contained: boolean): Json {
  const type = resource.resourceType;
  const frame = typeof type === 'string' ? state.frames.of(type) : undefined;
  if (frame === undefined) throw new DeidentifyError(`not an R4 resource type: ${JSON.stringify(type)?.slice(0, 80)}`);
  const scope = state.scope;
  const shift = state.shift;
  if (type === 'Bundle') {
    state.scope = bundleScope(resource);
    if (shift === undefined && state.scope.patient !== undefined) state.shift = state.p.shiftDays(state.scope.patient, state.maxShiftDays);
  }
  try {
    const out = walkObject(resource, frame, state);
    if (typeof out.id === 'string') out.id = state.p.id(contained ? CONTAINED : (type as string), out.id);
    if (frame.birthDate && state.ageLimit !== undefined && out.birthDate !== undefined) {
      const birthDate = aggregatedBirthDate(resource, out, state.ageLimit, state.now);
      if (birthDate !== undefined) {
        out.birthDate = birthDate;
        delete out._birthDate;
      }
    }
    return out;
  } finally {
    state.scope = scope;
    state.shift = shift;
  }
}
