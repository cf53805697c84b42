/**
 * Native versions of the FHIRPath constraints every resource meets most often, so that they cost nothing
 * next to fhirpath.js (10–20 µs an evaluation). A native twin replaces the FHIRPath only when the definition's
 * expression is exactly the one it was written for; scripts/check-native-invariants.ts and
 * test/validation/native-twins.test.ts prove each equal to fhirpath.js on the official examples and
 * the Synthea corpora.
 * @see https://hl7.org/fhir/R4/datatypes.html#Period
 */
import { CONTAINED_INVARIANTS } from './native-contained.js';
import { STATUS_INVARIANTS } from './native-status.js';
import { bounds, codingsOf, present, type Json, type NativeInvariant } from './native-support.js';

/**
 * per-1 `start.hasValue().not() or end.hasValue().not() or (start <= end)`: false only when start is
 * certainly after end (FHIRPath's comparison of different precisions is empty, which passes).
 */
function per1(node: Json): boolean {
  if (typeof node.start !== 'string' || typeof node.end !== 'string') return true;
  const s = bounds(node.start);
  const e = bounds(node.end);
  if (!s || !e) return true;
  const precise = node.start.includes('T') === node.end.includes('T') && node.start.length === node.end.length;
  return precise || (s[0] === s[1] && e[0] === e[1]) ? s[0] <= e[0] : !(s[0] > e[1]);
}

/**
 * ref-1: a local reference names a contained resource of the resource being validated. `#` alone names the
 * container (https://hl7.org/fhir/R4/references.html#contained); in FHIRPath its `substring(1)` is empty, and
 * so is the whole expression, which passes.
 */
function ref1(node: Json, root: Json): boolean {
  const ref = node.reference;
  if (typeof ref !== 'string' || !ref.startsWith('#') || ref === '#') return true;
  const contained = root.contained;
  return Array.isArray(contained) && contained.some((c) => (c as Json | null)?.id === ref.slice(1));
}

/** `a.empty() or b.exists()`; fhirpath.js counts a primitive that has only `_b` (id, extensions) as present. */
const emptyOrExists = (a: string, b: string): NativeInvariant => ({
  expression: `${a}.empty() or ${b}.exists()`,
  check: (node) => !present(node, a) || present(node, b),
});

/** FHIRPath equality of two complex values: the same properties, each equal, arrays in order. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as Json).filter((k) => (a as Json)[k] !== undefined);
  const kb = Object.keys(b as Json).filter((k) => (b as Json)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => sameValue((a as Json)[k], (b as Json)[k]));
}

/**
 * obs-7 `value.empty() or component.code.where(coding.intersect(%resource.code.coding).exists()).empty()`: with a
 * value, no component may carry one of the Observation's own codings. Checked on the Observation itself, so
 * %resource is the node.
 */
function obs7(node: Json): boolean {
  if (!Object.keys(node).some((k) => /^_?value[A-Z]/.test(k) && node[k] !== null)) return true;
  const own = codingsOf(node.code);
  if (own.length === 0 || !Array.isArray(node.component)) return true;
  return !node.component.some((c) => codingsOf((c as Json | null)?.code).some((x) => own.some((o) => sameValue(x, o))));
}

const count = (v: unknown) => (v === undefined || v === null ? 0 : Array.isArray(v) ? v.length : 1);

/** Native checks by constraint key, each with the exact expression it is equal to. */
export const NATIVE_INVARIANTS: Record<string, NativeInvariant> = {
  'per-1': { expression: 'start.hasValue().not() or end.hasValue().not() or (start <= end)', check: per1 },
  'dom-6': { expression: 'text.`div`.exists()', check: (node) => present(node.text as Json | undefined, 'div') },
  'ref-1': { expression: "reference.startsWith('#').not() or (reference.substring(1) in %rootResource.contained.id)", check: ref1 },
  'qty-3': emptyOrExists('code', 'system'),
  'cpt-2': emptyOrExists('value', 'system'),
  'att-1': emptyOrExists('data', 'contentType'),
  'tim-2': emptyOrExists('period', 'periodUnit'),
  // A period that is no number (or only `_period`) compares to nothing, and the implication holds; fhirpath.js
  // throws on a string one instead, which only repeats what the schema reports there.
  'tim-5': { expression: 'period.exists() implies period >= 0', check: (node) => typeof node.period !== 'number' || node.period >= 0 },
  'cpl-3': { expression: 'detail.empty() or reference.empty()', check: (node) => !present(node, 'detail') || !present(node, 'reference') },
  // org-2 and org-3 sit on Organization.address and .telecom: `where()` filters the one node in focus.
  'org-1': { expression: '(identifier.count() + name.count()) > 0', check: (node) => count(node.identifier) + count(node.name) + count(node._name) > 0 },
  'org-2': { expression: "where(use = 'home').empty()", check: (node) => node.use !== 'home' },
  'org-3': { expression: "where(use = 'home').empty()", check: (node) => node.use !== 'home' },
  'obs-7': { expression: 'value.empty() or component.code.where(coding.intersect(%resource.code.coding).exists()).empty()', check: obs7 },
  ...CONTAINED_INVARIANTS,
  ...STATUS_INVARIANTS,
};
