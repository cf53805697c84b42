/**
 * A valid value of each FHIR type the corpus adds from nothing (an extension's value, an Attachment, a second
 * choice type). Codings use a code system every R4 validator holds (v3 NullFlavor), references only a
 * display, so that the added value is right in itself and only the fault under test is wrong.
 */
import type { Json } from './json.js';

const UCUM = 'http://unitsofmeasure.org';

export const SAMPLES: Record<string, unknown> = {
  string: 'Sample text',
  markdown: 'Sample *markdown*',
  code: 'sample',
  boolean: true,
  integer: 7,
  decimal: 1.5,
  positiveInt: 3,
  unsignedInt: 0,
  uri: 'http://example.org/sample',
  url: 'http://example.org/sample',
  canonical: 'http://example.org/fhir/Questionnaire/sample',
  id: 'sample-1',
  oid: 'urn:oid:2.16.840.1.113883.3.1',
  uuid: 'urn:uuid:4b3a2a55-9a3c-4d8f-8c47-6f1f3e4a1b2c',
  date: '2020-02-28',
  dateTime: '2020-02-28T10:30:00Z',
  instant: '2020-02-28T10:30:00.000Z',
  time: '10:30:00',
  base64Binary: 'SGVsbG8=',
  Coding: { system: 'http://terminology.hl7.org/CodeSystem/v3-NullFlavor', code: 'UNK', display: 'unknown' },
  CodeableConcept: { text: 'Sample' },
  Quantity: { value: 1.5, unit: 'mg', system: UCUM, code: 'mg' },
  Age: { value: 42, unit: 'a', system: UCUM, code: 'a' },
  Duration: { value: 2, unit: 'h', system: UCUM, code: 'h' },
  Distance: { value: 3, unit: 'm', system: UCUM, code: 'm' },
  Count: { value: 2, system: UCUM, code: '1' },
  Money: { value: 10, currency: 'USD' },
  Period: { start: '2020-01-01', end: '2020-12-31' },
  Range: { low: { value: 1, unit: 'mg', system: UCUM, code: 'mg' }, high: { value: 5, unit: 'mg', system: UCUM, code: 'mg' } },
  Ratio: { numerator: { value: 1 }, denominator: { value: 2 } },
  Reference: { display: 'Sample' },
  Identifier: { system: 'http://example.org/ids', value: 'sample-1' },
  HumanName: { family: 'Sample', given: ['Sam'] },
  Address: { line: ['1 Sample Street'], city: 'Sampleton', country: 'US' },
  ContactPoint: { system: 'phone', value: '+1 555 0100' },
  Attachment: { contentType: 'text/plain', data: 'SGVsbG8=' },
  Annotation: { text: 'Sample note' },
  Timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd' } },
  Expression: { language: 'text/fhirpath', expression: 'true' },
  ContactDetail: { name: 'Sample' },
  RelatedArtifact: { type: 'documentation', display: 'Sample' },
};

/** A fresh copy of the sample of `type`, or undefined when there is none. */
export function sample(type: string): unknown {
  return type in SAMPLES ? structuredClone(SAMPLES[type]) : undefined;
}

/** A valid Attachment to put a fault into. */
export function sampleAttachment(): Json {
  return { contentType: 'text/plain', language: 'en', data: 'SGVsbG8=', title: 'Sample' };
}
