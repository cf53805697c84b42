/**
 * Empty values, which FHIR JSON forbids: an element given as `{}`, a repeating element as `[]`, a primitive
 * as `""` or as `null`.
 * @see https://hl7.org/fhir/R4/json.html (Empty elements are not allowed)
 */
import type { Category, Fault } from '../fault.js';
import { edited, setAt } from '../json.js';
import { isComplex, propertyPath } from '../walk.js';

const emptyObject: Fault = {
  name: 'empty-object',
  expect: 'error',
  sites: (s) => s.nodes.filter(isComplex).map((n) => ({ target: n.path, make: () => edited(s.resource, (copy) => setAt(copy, n.at, {})) })),
};

const emptyArray: Fault = {
  name: 'empty-array',
  expect: 'error',
  sites: (s) =>
    s.nodes.filter((n) => n.index === 0).map((n) => ({ target: propertyPath(n), make: () => edited(s.resource, (copy) => setAt(copy, n.at.slice(0, -1), [])) })),
};

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

export const empty: Category = { name: 'empty', faults: [emptyObject, emptyArray, emptyString, nullValue] };
