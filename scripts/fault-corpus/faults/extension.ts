/**
 * The extensions R4 defines (core-extensions.ts), used wrongly: a value of a type the extension does not
 * allow, a place outside its contexts, a second instance of an extension of max 1 (which the HL7 validator
 * lets pass), a value on a complex extension, a modifier in `extension` or a non-modifier in
 * `modifierExtension`, an unknown URL in the core namespace; and valid uses, as a check. The extension is appended to an element that may hold extensions
 * (a wrong value type also goes into core extensions the original has). Which extension is drawn when the
 * variant is made.
 * @see https://hl7.org/fhir/R4/extensibility.html#Extension
 */
import type { Random } from '../../../src/generate/prng.js';
import { typeDefinition } from '../../../src/validation/element-definitions.js';
import { coreExtensions, type CoreExtension } from '../core-extensions.js';
import { memo, type Category, type Fault, type Site, type Subject } from '../fault.js';
import { capital, edited, getAt, isObject, renameAt, type Json } from '../json.js';
import { SAMPLES, sample } from '../samples.js';
import { isComplex, type Node } from '../walk.js';

type Slot = 'extension' | 'modifierExtension';
type Instances = (rng: Random) => Json[];

const UNKNOWN = ['patient-favouriteColour', 'observation-confidenceLevel', 'encounter-weather', 'resource-sortOrder'];

/** The names an extension context may give this element by. */
function contextNames(n: Node): Set<string> {
  if (!n.parent) return new Set([n.type, 'Resource', 'DomainResource']);
  const names = new Set([n.defPath, n.type, 'Element']);
  if (n.type.includes('.')) names.add('BackboneElement');
  return names;
}

interface Choices {
  /** Simple, non-modifier extensions with a valid value that may sit here. */
  usable: CoreExtension[];
  /** Such extensions whose contexts are all elsewhere. */
  elsewhere: CoreExtension[];
  /** Complex extensions without required parts that may sit here. */
  complex: CoreExtension[];
  /** Modifier extensions with a valid value that may sit here. */
  modifiers: CoreExtension[];
}

/** By an element's context names: a few hundred distinct sets across the corpus. */
const choicesByNames = new Map<string, Choices>();

function choicesAt(n: Node): Choices {
  const names = contextNames(n);
  const key = [...names].join('|');
  let choices = choicesByNames.get(key);
  if (!choices) {
    const fits = (e: CoreExtension) => e.contexts.some((c) => names.has(c));
    const all = coreExtensions();
    choices = {
      usable: all.filter((e) => e.valid && !e.modifier && fits(e)),
      elsewhere: all.filter((e) => e.valid && !e.modifier && e.specific && !fits(e)),
      complex: all.filter((e) => e.types.length === 0 && !e.requiredParts && !e.modifier && fits(e)),
      modifiers: all.filter((e) => e.valid && e.modifier && fits(e)),
    };
    choicesByNames.set(key, choices);
  }
  return choices;
}
const instance = (e: CoreExtension): Json => ({ url: e.url, [e.valid![0]]: structuredClone(e.valid![1]) });
const wrongTypes = (e: CoreExtension) => Object.keys(SAMPLES).filter((t) => !e.types.includes(t));
const wrongValue = (e: CoreExtension, rng: Random): [string, unknown] => {
  const type = rng.pick(wrongTypes(e));
  return [`value${capital(type)}`, sample(type)];
};

/** A drawing of instances from the extensions `candidates` gives for a host, or undefined when none. */
function drawing(candidates: CoreExtension[], make: (e: CoreExtension, rng: Random) => Json[]): Instances | undefined {
  return candidates.length === 0 ? undefined : (rng) => make(rng.pick(candidates), rng);
}

/** An element that may hold extensions, with the extensions that may sit there. */
type Host = Node & { choices: Choices };

/** The elements of the subject that may hold `slot`; not extensions, where a sub-extension is another matter. */
function hosts(subject: Subject, slot: Slot): Host[] {
  return memo(subject, `extension hosts ${slot}`, () =>
    subject.nodes
      .filter((n) => (!n.parent || isComplex(n)) && n.type !== 'Extension' && typeDefinition(n.type)?.properties.has(slot))
      .map((n): Host => ({ ...n, choices: choicesAt(n) })),
  );
}

/**
 * One site per element that may hold `slot` and for which `instances` gives something: the instances are
 * appended; the target is the appended one at `offset`.
 */
function appending(subject: Subject, slot: Slot, instances: (host: Host) => Instances | undefined, offset = 0): Site[] {
  return hosts(subject, slot).flatMap((host): Site[] => {
    const draw = instances(host);
    if (!draw) return [];
    const index = isObject(host.value) && Array.isArray(host.value[slot]) ? host.value[slot].length : 0;
    const make = (rng: Random) =>
      edited(subject.resource, (copy) => {
        const owner = getAt(copy, host.at) as Json;
        const list = Array.isArray(owner[slot]) ? (owner[slot] as Json[]) : (owner[slot] = []);
        list.push(...draw(rng));
      });
    return [{ target: `${host.path}.${slot}[${index + offset}]`, id: `${host.path}|${slot}`, make }];
  });
}

/** Core extensions of the original whose value is changed to a type they do not allow. */
function retyped(subject: Subject): Site[] {
  const known = new Map(coreExtensions().map((e) => [e.url, e]));
  return subject.nodes.flatMap((n): Site[] => {
    const e = n.element === 'value[x]' && n.parent?.type === 'Extension' && isObject(n.parent.value) ? known.get(String(n.parent.value.url)) : undefined;
    if (!e || e.types.length === 0) return [];
    return [{ target: n.parent!.path, make: (rng) => edited(subject.resource, (copy) => renameAt(copy, n.at, ...wrongValue(e, rng))) }];
  });
}

const fault = (name: string, expect: Fault['expect'], sites: Fault['sites']): Fault => ({ name, expect, sites });

export const extension: Category = {
  name: 'extension',
  faults: [
    fault('wrong-value-type', 'error', (s) => [
      ...appending(s, 'extension', (host) => drawing(host.choices.usable, (e, rng) => [Object.fromEntries([['url', e.url], wrongValue(e, rng)])])),
      ...retyped(s),
    ]),
    fault('wrong-context', 'error', (s) =>
      appending(s, 'extension', (host) => drawing(host.choices.elsewhere, (e) => [instance(e)])),
    ),
    // The HL7 validator counts an extension's instances only where a profile slices for it, never against the
    // definition's own max: our belief is that a second instance passes.
    fault('max-one-repeated', 'valid', (s) =>
      appending(s, 'extension', (host) => drawing(host.choices.usable.filter((e) => e.max === '1'), (e) => [instance(e), instance(e)]), 1),
    ),
    fault('value-on-complex', 'error', (s) =>
      appending(s, 'extension', (host) => drawing(host.choices.complex, (e) => [{ url: e.url, valueString: 'Sample text' }])),
    ),
    fault('modifier-mismatch', 'error', (s) => [
      ...appending(s, 'modifierExtension', (host) => drawing(host.choices.usable, (e) => [instance(e)])),
      ...appending(s, 'extension', (host) => drawing(host.choices.modifiers, (e) => [instance(e)])),
    ]),
    fault('unknown-core-url', 'error', (s) =>
      appending(s, 'extension', () => (rng) => [{ url: `http://hl7.org/fhir/StructureDefinition/${rng.pick(UNKNOWN)}`, valueString: 'Sample text' }]),
    ),
    fault('valid-use', 'valid', (s) => appending(s, 'extension', (host) => drawing(host.choices.usable, (e) => [instance(e)]))),
  ],
};
