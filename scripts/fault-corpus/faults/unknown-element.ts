/**
 * A property the definitions do not know: an invented name added to an element, or an optional element's
 * name misspelt (its value moved under the wrong name, in the same place). The target is the unknown
 * property's path.
 * @see https://hl7.org/fhir/R4/json.html
 */
import { typeDefinition } from '../../../src/validation/element-definitions.js';
import type { Category, Fault, Site, Subject } from '../fault.js';
import { edited, getAt, isObject, renameAt, type Json } from '../json.js';
import { isComplex, type Node } from '../walk.js';

const INVENTED = ['comment', 'notes', 'colour', 'priorityLevel', 'isActive', 'createdBy', 'remarks', 'flagged', 'foo', 'displayName'];

const known = (node: Node, name: string) => typeDefinition(node.type)?.properties.has(name.replace(/^_/, '')) ?? false;

const invented: Fault = {
  name: 'invented-property',
  expect: 'error',
  sites: (subject: Subject): Site[] =>
    subject.nodes
      .filter((n) => !n.parent || isComplex(n))
      .flatMap((n) => {
        const name = INVENTED.find((c) => !known(n, c));
        if (!name) return [];
        const make = () =>
          edited(subject.resource, (copy) => {
            (getAt(copy, n.at) as Json)[name] = 'Sample text';
          });
        return [{ target: `${n.path}.${name}`, make }];
      }),
};

/** Wrong spellings people make: lower case, a letter doubled, a plural. */
function misspellings(name: string): string[] {
  return [name.toLowerCase(), `${name}s`, name.replace(/([a-z])([a-z]*)$/, '$1$1$2')].filter((m) => m !== name);
}

const misspelt: Fault = {
  name: 'misspelt-property',
  expect: 'error',
  sites: (subject) =>
    subject.nodes
      .filter((n) => n.parent && n.key && n.def?.min === 0 && !n.element?.endsWith('[x]') && (n.index === undefined || n.index === 0))
      .flatMap((n) => {
        const owner = n.parent!;
        const wrong = misspellings(n.key!).find((m) => !known(owner, m) && isObject(owner.value) && owner.value[m] === undefined);
        if (!wrong || (isObject(owner.value) && owner.value[`_${n.key}`] !== undefined)) return [];
        return [{ target: `${owner.path}.${wrong}`, make: () => edited(subject.resource, (copy) => renameAt(copy, [...owner.at, n.key!], wrong)) }];
      }),
};

export const unknownElement: Category = { name: 'unknown-element', faults: [invented, misspelt] };
