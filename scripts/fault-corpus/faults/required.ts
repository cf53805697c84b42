/**
 * A required element (min = 1 in the R4 definitions, schemas/fhir-elements.json) removed, with its `_name`
 * twin. The target is the element it was removed from. An element whose removal would leave its parent empty
 * is skipped: that would be a second fault (ele-1).
 * @see https://hl7.org/fhir/R4/conformance-rules.html#cardinality
 */
import { typeDefinition } from '../../../src/validation/element-definitions.js';
import type { Category, Fault, Site, Subject } from '../fault.js';
import { edited, getAt, isObject } from '../json.js';
import { isComplex, type Node } from '../walk.js';

type Where = 'resource' | 'backbone' | 'datatype';

function whereOf(node: Node): Where {
  if (!node.parent) return 'resource';
  return node.type.includes('.') ? 'backbone' : 'datatype';
}

function sites(subject: Subject, where: Where): Site[] {
  const out: Site[] = [];
  for (const node of subject.nodes) {
    if ((node.parent && !isComplex(node)) || whereOf(node) !== where || !isObject(node.value)) continue;
    const value = node.value;
    for (const req of typeDefinition(node.type)?.required ?? []) {
      const present = req.names.filter((n) => value[n] !== undefined);
      if (present.length === 0) continue;
      const rest = Object.keys(value).filter((k) => !present.includes(k) && k !== 'id' && k !== 'resourceType');
      if (node.parent && rest.length === 0) continue;
      out.push({
        target: node.path,
        id: `${node.path}|${req.element}`,
        make: () =>
          edited(subject.resource, (copy) => {
            const target = getAt(copy, node.at) as Record<string, unknown>;
            for (const n of present) delete target[n];
          }),
      });
    }
  }
  return out;
}

const fault = (where: Where): Fault => ({ name: `${where}-element-removed`, expect: 'error', sites: (s) => sites(s, where) });

export const required: Category = { name: 'required', faults: [fault('resource'), fault('backbone'), fault('datatype')] };
