/**
 * A reference to a resource type its element does not allow (targets in schemas/fhir-elements.json), made
 * in the ways a validator can see it: naming the type in `Reference.type`, pointing at a contained resource
 * of that type, or at another entry of the Bundle of that type. A literal `Type/id` that resolves nowhere
 * is also made, though the HL7 validator checks its type only when told to trust REST references
 * (`assumeValidRestReferences`, off in the CLI): our belief is that it passes, as does an unknown type name.
 * @see https://hl7.org/fhir/R4/references.html
 */
import { readFileSync } from 'node:fs';
import type { Random } from '../../../src/generate/prng.js';
import { typeDefinition, type ElementsFile } from '../../../src/validation/element-definitions.js';
import type { Category, Fault, Site, Subject } from '../fault.js';
import { edited, getAt, isObject, type Json } from '../json.js';
import { walk, type Node } from '../walk.js';

const INVENTED = ['Doctor', 'Patients', 'LabResult', 'Foo'];
/** Small valid resources to contain as the wrong target, the first one the element does not allow. */
const CONTAINABLE: Json[] = [
  { resourceType: 'Basic', id: 'fault-target', code: { text: 'Wrong target' } },
  { resourceType: 'Substance', id: 'fault-target', code: { text: 'Wrong target' } },
  { resourceType: 'Location', id: 'fault-target', name: 'Wrong target' },
];

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

/** References whose element restricts the target types. */
const restricted = (nodes: Node[]) => nodes.filter((n) => n.type === 'Reference' && n.def?.targets && isObject(n.value));
const disallowed = (n: Node, rng: Random) => rng.pick(resourceTypes().filter((t) => !n.def!.targets!.includes(t)));

/** The reference split around its type: `[prefix, type, rest]`, or undefined when it names no type. */
function parts(reference: unknown): [string, string, string] | undefined {
  if (typeof reference !== 'string') return undefined;
  const uuid = /^urn:uuid:([A-Za-z0-9\-.]{1,64})$/.exec(reference);
  if (uuid) return ['', 'urn', `/${uuid[1]}`];
  const literal = /^(.*?)([A-Z][A-Za-z]+)(\/[A-Za-z0-9\-.]{1,64}(?:\/_history\/[A-Za-z0-9\-.]{1,64})?)$/.exec(reference);
  return literal && (literal[1] === '' || literal[1].endsWith('/')) ? [literal[1], literal[2], literal[3]] : undefined;
}

/** Literal references rewritten to name another type (`Medication/123`); `typed` also sets Reference.type. */
function literal(subject: Subject, pick: (n: Node, rng: Random) => string, typed: boolean): Site[] {
  return restricted(subject.nodes).flatMap((n): Site[] => {
    const split = parts((n.value as Json).reference);
    if (!split) return [];
    const make = (rng: Random) =>
      edited(subject.resource, (copy) => {
        const ref = getAt(copy, n.at) as Json;
        const type = pick(n, rng);
        ref.reference = `${split[0]}${type}${split[2]}`;
        if (typed || ref.type !== undefined) ref.type = type;
      });
    return [{ target: n.path, make }];
  });
}

function toContained(subject: Subject): Site[] {
  if (!typeDefinition(String(subject.resource.resourceType))?.properties.has('contained')) return [];
  return restricted(subject.nodes).flatMap((n): Site[] => {
    const wrong = CONTAINABLE.find((r) => !n.def!.targets!.includes(String(r.resourceType)));
    if (!wrong) return [];
    const make = () =>
      edited(subject.resource, (copy) => {
        const list = Array.isArray(copy.contained) ? copy.contained : (copy.contained = []);
        list.push(structuredClone(wrong));
        const ref = getAt(copy, n.at) as Json;
        ref.reference = '#fault-target';
        if (ref.type !== undefined) ref.type = wrong.resourceType;
      });
    return [{ target: n.path, make }];
  });
}

/** In a Bundle, references that resolve to an entry's fullUrl, pointed at an entry of a type not allowed. */
function toEntry(subject: Subject): Site[] {
  const entries = subject.resource.resourceType === 'Bundle' && Array.isArray(subject.resource.entry) ? (subject.resource.entry as Json[]) : [];
  const urls = entries.map((e) => (isObject(e) && typeof e.fullUrl === 'string' && isObject(e.resource) ? e.fullUrl : undefined));
  return entries.flatMap((e, k): Site[] =>
    !isObject(e) || !isObject(e.resource)
      ? []
      : restricted(walk(e.resource)).flatMap((n): Site[] => {
          if (!urls.includes(String((n.value as Json).reference))) return [];
          const wrong = entries.findIndex((o, j) => urls[j] && !n.def!.targets!.includes(String((o.resource as Json).resourceType)));
          if (wrong < 0) return [];
          const make = () =>
            edited(subject.resource, (copy) => {
              const ref = getAt(copy, ['entry', k, 'resource', ...n.at]) as Json;
              ref.reference = urls[wrong];
              if (ref.type !== undefined) ref.type = (entries[wrong].resource as Json).resourceType;
            });
          return [{ target: `Bundle.entry[${k}].resource${n.path.slice(n.path.indexOf('.'))}`, make }];
        }),
  );
}

const fault = (name: string, expect: Fault['expect'], sites: Fault['sites']): Fault => ({ name, expect, sites });

export const referenceType: Category = {
  name: 'reference-type',
  faults: [
    fault('type-element-not-allowed', 'error', (s) => literal(s, disallowed, true)),
    fault('contained-target-not-allowed', 'error', toContained),
    fault('bundle-target-not-allowed', 'error', toEntry),
    fault('literal-type-not-allowed', 'valid', (s) => literal(s, disallowed, false)),
    fault('literal-unknown-type', 'valid', (s) => literal(s, (_n, rng) => rng.pick(INVENTED), false)),
  ],
};
