/**
 * A code outside the value set of a required binding, in an element the original has: a `code` element
 * (status, gender, use, …) or a Coding / CodeableConcept whose coding is from the bound system. The wrong
 * code is a real code of another R4 value set, lexically valid, so only the binding is broken. Bindings whose
 * expansion needs an external code system (schemas/fhir-valuesets.json marks them) are left out.
 * @see https://hl7.org/fhir/R4/terminologies.html#required
 */
import { readFileSync } from 'node:fs';
import type { Random } from '../../../src/generate/prng.js';
import { valueSet, type ExpandedValueSet, type ValueSetsFile } from '../../../src/validation/value-sets.js';
import type { Category, Fault } from '../fault.js';
import { edited, getAt, isObject, setAt, type Json } from '../json.js';
import type { Node } from '../walk.js';

let codes: string[] | undefined;

/** Every code of the derived value sets, once each, sorted (for a stable draw). */
function allCodes(): string[] {
  if (!codes) {
    const file = JSON.parse(readFileSync(new URL('../../../schemas/fhir-valuesets.json', import.meta.url), 'utf8')) as ValueSetsFile;
    const set = new Set<string>();
    for (const vs of Object.values(file.valueSets)) for (const list of Object.values(vs.codes ?? {})) for (const c of list) if (/^[^\s]+$/.test(c)) set.add(c);
    codes = [...set].sort();
  }
  return codes;
}

/** A code no system of the value set has (so also not the bound system's). */
function outside(vs: ExpandedValueSet, rng: Random): string {
  const pool = allCodes();
  for (;;) {
    const code = rng.pick(pool);
    if (!vs.codes.has(code)) return code;
  }
}

const bound = (n: Node): ExpandedValueSet | undefined => {
  const vs = n.def?.valueSet ? valueSet(n.def.valueSet) : undefined;
  return vs && !vs.external && vs.codes.size > 0 ? vs : undefined;
};

const codeElement: Fault = {
  name: 'code-not-in-value-set',
  expect: 'error',
  sites: (s) =>
    s.nodes
      .filter((n) => n.type === 'code' && typeof n.value === 'string' && bound(n))
      .map((n) => ({ target: n.path, make: (rng) => edited(s.resource, (copy) => setAt(copy, n.at, outside(bound(n)!, rng))) })),
};

/** Where in a Coding or CodeableConcept the bound code sits, relative to the node. */
function codingPath(n: Node, vs: ExpandedValueSet): (string | number)[] | undefined {
  const inSystem = (c: unknown) => isObject(c) && typeof c.code === 'string' && typeof c.system === 'string' && vs.systems.has(c.system);
  if (n.type === 'Coding') return inSystem(n.value) ? [] : undefined;
  const codings = isObject(n.value) && Array.isArray(n.value.coding) ? n.value.coding : [];
  const i = codings.findIndex(inSystem);
  return i < 0 ? undefined : ['coding', i];
}

const codingElement: Fault = {
  name: 'coding-not-in-value-set',
  expect: 'error',
  sites: (s) =>
    s.nodes.flatMap((n) => {
      const vs = (n.type === 'Coding' || n.type === 'CodeableConcept') && bound(n);
      const at = vs ? codingPath(n, vs) : undefined;
      if (!vs || !at) return [];
      return [
        {
          target: n.path,
          make: (rng) =>
            edited(s.resource, (copy) => {
              (getAt(copy, [...n.at, ...at]) as Json).code = outside(vs, rng);
            }),
        },
      ];
    }),
};

export const binding: Category = { name: 'binding', faults: [codeElement, codingElement] };
