/**
 * Cardinality in the JSON shape: an element of max = 1 given as an array (of one, or of two copies: one more
 * than allowed), and a repeating element given as a bare value instead of an array. Elements with a `_name`
 * twin are skipped, so that the twin does not disagree in shape as a second fault.
 * @see https://hl7.org/fhir/R4/json.html#arrays
 */
import type { Category, Fault, Site, Subject } from '../fault.js';
import { edited, getAt, isObject, setAt } from '../json.js';
import { propertyPath, type Node } from '../walk.js';

const hasTwin = (node: Node) => isObject(node.parent?.value) && node.parent.value[`_${node.key}`] !== undefined;

function single(subject: Subject, copies: number): Site[] {
  return subject.nodes
    .filter((n) => n.def?.max === 1 && n.index === undefined && !hasTwin(n))
    .map((n) => ({
      target: n.path,
      make: () => edited(subject.resource, (copy) => setAt(copy, n.at, Array.from({ length: copies }, () => structuredClone(getAt(copy, n.at))))),
    }));
}

const arrayForSingle: Fault = { name: 'array-for-single', expect: 'error', sites: (s) => single(s, 1) };
const repeatedSingle: Fault = { name: 'single-repeated', expect: 'error', sites: (s) => single(s, 2) };

const valueForArray: Fault = {
  name: 'value-for-array',
  expect: 'error',
  sites: (subject) =>
    subject.nodes
      .filter((n) => n.def?.max === '*' && n.index === 0 && !hasTwin(n))
      .map((n) => ({ target: propertyPath(n), make: () => edited(subject.resource, (copy) => setAt(copy, n.at.slice(0, -1), getAt(copy, n.at))) })),
};

export const cardinality: Category = { name: 'cardinality', faults: [arrayForSingle, repeatedSingle, valueForArray] };
