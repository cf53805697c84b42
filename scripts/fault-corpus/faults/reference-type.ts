/**
 * A literal reference that names a resource type its element does not allow (an Observation's subject
 * pointing at a Medication), or a type R4 does not have at all. Only references the element restricts
 * (targets in schemas/fhir-elements.json) and that name their target (`Type/id`, an absolute URL, or a
 * urn:uuid, rewritten as `Type/<uuid>`) are used; `Reference.type`, when present, follows the new type.
 * @see https://hl7.org/fhir/R4/references.html
 */
import { readFileSync } from 'node:fs';
import type { Random } from '../../../src/generate/prng.js';
import type { ElementsFile } from '../../../src/validation/element-definitions.js';
import type { Category, Fault, Site, Subject } from '../fault.js';
import { edited, getAt, isObject, type Json } from '../json.js';
import type { Node } from '../walk.js';

const INVENTED = ['Doctor', 'Patients', 'LabResult', 'Foo'];

let types: string[] | undefined;

function resourceTypes(): string[] {
  if (!types) {
    const file = JSON.parse(readFileSync(new URL('../../../schemas/fhir-elements.json', import.meta.url), 'utf8')) as ElementsFile;
    types = Object.keys(file.types)
      .filter((t) => file.types[t].kind === 'resource' && t !== 'Resource' && t !== 'DomainResource')
      .sort();
  }
  return types;
}

/** The reference split around its type: `[prefix, type, rest]`, or undefined when it names no type. */
function parts(reference: string): [string, string, string] | undefined {
  const uuid = /^urn:uuid:([A-Za-z0-9\-.]{1,64})$/.exec(reference);
  if (uuid) return ['', 'urn', `/${uuid[1]}`];
  const literal = /^(.*?)([A-Z][A-Za-z]+)(\/[A-Za-z0-9\-.]{1,64}(?:\/_history\/[A-Za-z0-9\-.]{1,64})?)$/.exec(reference);
  return literal && (literal[1] === '' || literal[1].endsWith('/')) ? [literal[1], literal[2], literal[3]] : undefined;
}

function sites(subject: Subject, pick: (n: Node, rng: Random) => string): Site[] {
  return subject.nodes.flatMap((n) => {
    const reference = isObject(n.value) ? n.value.reference : undefined;
    const split = n.type === 'Reference' && n.def?.targets && typeof reference === 'string' ? parts(reference) : undefined;
    if (!split) return [];
    const make = (rng: Random) =>
      edited(subject.resource, (copy) => {
        const ref = getAt(copy, n.at) as Json;
        const type = pick(n, rng);
        ref.reference = `${split[0]}${type}${split[2]}`;
        if (ref.type !== undefined) ref.type = type;
      });
    return [{ target: n.path, make }];
  });
}

const notAllowed: Fault = {
  name: 'type-not-allowed',
  expect: 'error',
  sites: (s) => sites(s, (n, rng) => rng.pick(resourceTypes().filter((t) => !n.def!.targets!.includes(t)))),
};

const unknownType: Fault = { name: 'unknown-resource-type', expect: 'error', sites: (s) => sites(s, (_n, rng) => rng.pick(INVENTED)) };

export const referenceType: Category = { name: 'reference-type', faults: [notAllowed, unknownType] };
