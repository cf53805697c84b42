/**
 * Each primitive type's lexical form broken in an element of that type that the original has: a value the
 * type's regular expression (or, in JSON, its JSON type) rejects, drawn from a small list per type.
 * @see https://hl7.org/fhir/R4/datatypes.html#primitive
 */
import type { Category, Fault } from '../fault.js';
import { edited, setAt } from '../json.js';

const XHTML = 'xmlns="http://www.w3.org/1999/xhtml"';
const BAD_URI = ['http://example.org/has space', 'two words', 'urn:x y'];

/** Bad values by type; a JSON value of the wrong JSON type counts for the types JSON types itself. */
const BAD: Record<string, unknown[]> = {
  date: ['2020-13-01', '2020-02-30', '20200101', '2020/01/01', '01-02-2020', '2020-1-5', '2020-01-01T10:00:00Z'],
  dateTime: ['2020-01-01T25:00:00Z', '2020-01-01T10:00:00', '2020-01-01 10:00:00Z', '2020-01-32', '2020-01-01T10:00Z', '2020-01-01T10:00:00+25:00'],
  instant: ['2020-01-01', '2020-01-01T10:00:00', '2020-01-01T10:00Z', '2020-01-01T24:30:00Z', '2020-02-30T10:00:00Z'],
  time: ['25:00:00', '10:00', '10:00:00Z', '1000', '10:60:00'],
  id: ['has space', 'slash/id', 'x'.repeat(65), 'under_score', 'colon:id'],
  uri: BAD_URI,
  url: BAD_URI,
  canonical: BAD_URI,
  oid: ['1.2.3.4', 'urn:oid:1.2.x', 'urn:oid:01.2'],
  uuid: ['urn:uuid:not-a-uuid', '4b3a2a55-9a3c-4d8f-8c47-6f1f3e4a1b2c', 'urn:uuid:4b3a2a55-9a3c-4d8f-8c47'],
  code: [' leading', 'trailing ', 'double  space', 'tab\tcode'],
  string: [12, true],
  markdown: [12, true],
  boolean: ['true', 1, 'yes'],
  decimal: ['1.5', 'abc', true],
  integer: [2147483648, -2147483649, 1.5, '12'],
  positiveInt: [0, -1, 1.5, '3'],
  unsignedInt: [-1, 1.5, '3'],
  // With spaces: the HL7 validator's lexical check of base64Binary passes any other character (only an
  // Attachment's data is also decoded).
  base64Binary: ['not base64!', 'Hello, world!', 'SGVs bG8*'],
  xhtml: [`<div ${XHTML}><p>unclosed</div>`, `<div ${XHTML}>a < b</div>`, 'plain text without markup'],
};

const format = (type: string): Fault => ({
  name: type,
  expect: 'error',
  sites: (s) =>
    s.nodes
      .filter((n) => n.type === type && n.value !== null && typeof n.value !== 'object')
      .map((n) => ({
        target: n.path,
        make: (rng) => {
          const bad = BAD[type].filter((b) => b !== n.value);
          return edited(s.resource, (copy) => setAt(copy, n.at, rng.pick(bad)));
        },
      })),
});

export const primitiveFormat: Category = { name: 'format', faults: Object.keys(BAD).map(format) };
