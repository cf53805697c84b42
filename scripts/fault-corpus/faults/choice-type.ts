/**
 * Choice elements (`value[x]`) named or typed wrongly: a type name that does not exist (`valueText`), a real
 * type the element does not allow with a value that is valid for that type (`deceasedString`), the bare
 * element name (`value`), a valid name with a value of the wrong JSON type, and a second type of the same
 * choice beside the first. Targets name the wrong property; a wrong JSON type keeps the choice notation.
 * @see https://hl7.org/fhir/R4/formats.html#choice
 */
import { typeDefinition } from '../../../src/validation/element-definitions.js';
import type { Category, Fault, Site, Subject } from '../fault.js';
import { capital, edited, getAt, insertAfter, isObject, renameAt, type Json } from '../json.js';
import { sample } from '../samples.js';
import type { Node } from '../walk.js';

const INVENTED = ['Text', 'Number', 'Bool', 'Datetime', 'Json', 'Object', 'Foo'];
const QUANTITIES = ['Quantity', 'Age', 'Distance', 'Duration', 'Count'];
/** Types a string value can be read as, with what each accepts. */
const STRING_TYPES: [string, RegExp][] = [
  ['string', /./],
  ['markdown', /./],
  ['code', /^[^\s]+( [^\s]+)*$/],
  ['uri', /^\S+$/],
  ['id', /^[A-Za-z0-9\-.]{1,64}$/],
];

const base = (n: Node) => n.element!.slice(0, -3);
const owns = (n: Node, key: string) => typeDefinition(n.parent!.type)?.properties.has(key) ?? false;

/** Choice values the faults may rename: not in an array, without a `_name` twin. */
function choices(subject: Subject): Node[] {
  return subject.nodes.filter((n) => n.element?.endsWith('[x]') && n.index === undefined && isObject(n.parent?.value) && n.parent.value[`_${n.key}`] === undefined);
}

function renamed(subject: Subject, n: Node, key: string, value?: unknown): Site {
  return { target: `${n.parent!.path}.${key}`, make: () => edited(subject.resource, (copy) => renameAt(copy, n.at, key, value)) };
}

/** Real types the element does not allow under which the value would still be valid. */
function disallowedTypes(n: Node): string[] {
  const allowed = new Set(n.def!.types);
  const v = n.value;
  let candidates: string[] = [];
  if (typeof v === 'string') candidates = STRING_TYPES.filter(([, re]) => re.test(v)).map(([t]) => t);
  else if (typeof v === 'number' && Number.isInteger(v)) candidates = ['integer', 'decimal', ...(v >= 0 ? ['unsignedInt'] : []), ...(v > 0 ? ['positiveInt'] : [])];
  else if (typeof v === 'number') candidates = ['decimal'];
  else if (QUANTITIES.includes(n.type)) candidates = QUANTITIES;
  return candidates.filter((t) => !allowed.has(t));
}

const inventedType: Fault = {
  name: 'unknown-type-name',
  expect: 'error',
  sites: (s) =>
    choices(s).flatMap((n) => {
      const key = [...INVENTED.map((t) => base(n) + t), n.key!.toLowerCase()].find((k) => k !== n.key && !owns(n, k));
      return key ? [renamed(s, n, key)] : [];
    }),
};

const disallowedType: Fault = {
  name: 'type-not-allowed',
  expect: 'error',
  sites: (s) => choices(s).flatMap((n) => disallowedTypes(n).map((t) => renamed(s, n, base(n) + capital(t)))),
};

const bareName: Fault = {
  name: 'bare-choice-name',
  expect: 'error',
  sites: (s) => choices(s).flatMap((n) => (owns(n, base(n)) ? [] : [renamed(s, n, base(n))])),
};

const wrongJsonType: Fault = {
  name: 'wrong-json-type',
  expect: 'error',
  sites: (s) =>
    choices(s).map((n) => ({
      target: n.path,
      make: () => edited(s.resource, (copy) => renameAt(copy, n.at, n.key!, isObject(n.value) ? 'Sample text' : { value: n.value })),
    })),
};

const twoTypes: Fault = {
  name: 'two-types',
  expect: 'error',
  sites: (s) =>
    choices(s).flatMap((n) => {
      const other = n.def!.types.find((t) => t !== n.type && sample(t) !== undefined);
      if (!other) return [];
      const key = base(n) + capital(other);
      return [
        {
          target: `${n.parent!.path}.${base(n)}.ofType(${other})`,
          make: () => edited(s.resource, (copy) => insertAfter(getAt(copy, n.parent!.at) as Json, n.key!, key, sample(other))),
        },
      ];
    }),
};

export const choiceType: Category = { name: 'choice-type', faults: [inventedType, disallowedType, bareName, wrongJsonType, twoTypes] };
