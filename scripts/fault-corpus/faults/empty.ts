/**
 * Empty values, which FHIR JSON forbids: an element given as `{}`, a repeating element as `[]`, a primitive
 * as `""` or as `null`.
 * @see https://hl7.org/fhir/R4/json.html (Empty elements are not allowed)
 */
import type { Category, Fault } from '../fault.js';
import { edited, isObject, setAt } from '../json.js';
import { isComplex, propertyPath } from '../walk.js';

const emptyObject: Fault = {
  name: 'empty-object',
  expect: 'error',
  sites: (s) => s.nodes.filter(isComplex).map((n) => ({ target: n.path, make: () => edited(s.resource, (copy) => setAt(copy, n.at, {})) })),
};

/** `[]` for a repeating element whose items are (`complex`) or are not objects. */
const emptyArray = (name: string, expect: Fault['expect'], complex: boolean): Fault => ({
  name,
  expect,
  sites: (s) =>
    s.nodes
      .filter((n) => n.index === 0 && isObject(n.value) === complex)
      .map((n) => ({ target: propertyPath(n), make: () => edited(s.resource, (copy) => setAt(copy, n.at.slice(0, -1), [])) })),
});

const emptyString: Fault = {
  name: 'empty-string',
  expect: 'error',
  sites: (s) =>
    s.nodes
      .filter((n) => typeof n.value === 'string' && n.value !== '' && n.type !== 'xhtml')
      .map((n) => ({ target: n.path, make: () => edited(s.resource, (copy) => setAt(copy, n.at, '')) })),
};

const nullValue: Fault = {
  name: 'null-value',
  expect: 'error',
  sites: (s) =>
    s.nodes
      .filter((n) => n.parent && n.index === undefined && n.value !== null && typeof n.value !== 'object')
      .map((n) => ({ target: n.path, make: () => edited(s.resource, (copy) => setAt(copy, n.at, null)) })),
};

export const empty: Category = {
  name: 'empty',
  faults: [
    emptyObject,
    emptyArray('empty-array', 'error', true),
    // The HL7 validator's JSON parser rejects an empty array of objects but reads an empty array of primitives
    // as absent: our belief is that it passes.
    emptyArray('empty-primitive-array', 'valid', false),
    emptyString,
    nullValue,
  ],
};
