import type { OperationOutcomeIssue } from 'fhir/r4.js';
import { validateResource } from '../../src/validation/validate-resource.js';

/** Severity, FHIRPath and message of each issue that is not information. */
const found = (resource: unknown) =>
  validateResource(resource)
    .filter((i) => i.severity !== 'information')
    .map((i: OperationOutcomeIssue) => ({ severity: i.severity, at: i.expression?.[0], message: i.diagnostics }));
const errors = (resource: unknown) => found(resource).filter((i) => i.severity === 'error' || i.severity === 'fatal');

const binary = (data: string) => ({ resourceType: 'Binary', contentType: 'text/plain', data });
const media = (content: Record<string, unknown>) => ({ resourceType: 'Media', status: 'completed', content: { contentType: 'text/plain', ...content } });

describe('base64Binary and Attachment data', () => {
  it('a base64Binary value is Base64: alphabet characters in groups of four, padding only at the end', () => {
    for (const bad of ['not base64!', 'SGVs bG8*', 'SGVsbG8', 'SG=VsbG8', 'SGVsbG8===']) {
      expect(errors(binary(bad))).toEqual([{ severity: 'error', at: 'Binary.data', message: `The value '${bad}' is not a valid Base64 value` }]);
    }
    expect(found(binary('SGVsbG8gdGhlcmU='))).toEqual([]);
  });

  it('whitespace in Base64 is only a warning in R4', () => {
    expect(found(binary('SGVs\nbG8g'))).toEqual([
      { severity: 'warning', at: 'Binary.data', message: 'Base64 encoded values SHOULD not contain any whitespace (per RFC 4648)' },
    ]);
  });

  it('Attachment.data and hash are decoded strictly: no whitespace, no foreign character', () => {
    expect(errors(media({ data: 'SGVs bG8g' }))).toEqual([
      { severity: 'error', at: 'Media.content', message: 'The base64 content in the data element is not valid base64: Illegal base64 character 20' },
    ]);
    // '@@@@' fails the format too; the reference validator's format check counts characters and lets it pass.
    expect(errors(media({ data: 'SGVsbG8=', hash: '@@@@' }))).toEqual([
      { severity: 'error', at: 'Media.content.hash', message: "The value '@@@@' is not a valid Base64 value" },
      { severity: 'error', at: 'Media.content', message: 'The base64 content in the hash element is not valid base64: Illegal base64 character 40' },
    ]);
    expect(errors(media({ data: 'SGVsbG8=', hash: '9/+ei3uy4Jtwk1pdeF4MxdnQq/A=' /* SHA-1 of Hello */, size: 5 }))).toEqual([]);
  });

  it('the stated size of inline data is its decoded size', () => {
    expect(errors(media({ data: 'SGVsbG8=', size: 6 }))).toEqual([
      { severity: 'error', at: 'Media.content', message: 'Stated attachment size 6 does not match the size of its data (5)' },
    ]);
  });
});

describe('integer, positiveInt and unsignedInt', () => {
  const sequence = (value: unknown) => ({ resourceType: 'Claim', item: [{ sequence: value, productOrService: { text: 'x' } }] });
  const repeats = (value: unknown) => ({ resourceType: 'MedicationRequest', status: 'active', intent: 'order', subject: { reference: 'Patient/1' }, medicationCodeableConcept: { text: 'x' }, dispenseRequest: { numberOfRepeatsAllowed: value } });
  const extension = (value: unknown) => ({ resourceType: 'Patient', extension: [{ url: 'http://example.org/n', valueInteger: value }] });

  it('an integer is a whole number of 32 bits', () => {
    for (const bad of [1.5, 2147483648, -2147483649]) {
      expect(errors(extension(bad))).toEqual([{ severity: 'error', at: 'Patient.extension[0].valueInteger', message: `The value '${bad}' is not a valid integer` }]);
    }
    expect(errors(extension(2147483647))).toEqual([]);
    expect(errors(extension(-2147483648))).toEqual([]);
  });

  it('a positiveInt is at least 1 and an unsignedInt at least 0', () => {
    expect(errors(sequence(0)).filter((i) => i.at === 'Claim.item[0].sequence')).toEqual([
      { severity: 'error', at: 'Claim.item[0].sequence', message: 'value is less than permitted minimum value of 1' },
    ]);
    expect(errors(repeats(-1))).toEqual([
      { severity: 'error', at: 'MedicationRequest.dispenseRequest.numberOfRepeatsAllowed', message: 'value is less than permitted minimum value of 0' },
    ]);
    expect(errors(repeats(0))).toEqual([]);
    expect(errors(repeats(1.5))[0].message).toBe("The value '1.5' is not a valid integer");
  });
});

describe('date, dateTime and instant', () => {
  const patient = (birthDate: string) => ({ resourceType: 'Patient', birthDate });

  it('the day exists in its month, February 29 only in leap years', () => {
    expect(errors(patient('2020-02-30'))).toEqual([{ severity: 'error', at: 'Patient.birthDate', message: "Not a valid date format: '2020-02-30'" }]);
    expect(errors(patient('2019-02-29'))).toHaveLength(1);
    expect(errors(patient('1900-02-29'))).toHaveLength(1);
    expect(errors(patient('2021-04-31'))).toHaveLength(1);
    for (const good of ['2020-02-29', '2000-02-29', '2021-01-31', '2021-04', '2021']) expect(errors(patient(good))).toEqual([]);
  });

  it('a dateTime or an instant on a day that does not exist is refused too', () => {
    const observation = { resourceType: 'Observation', status: 'final', code: { text: 'x' }, effectiveDateTime: '2021-06-31T10:00:00Z', issued: '2020-02-30T10:00:00Z' };
    expect(errors(observation)).toEqual([
      { severity: 'error', at: 'Observation.effectiveDateTime', message: "Not a valid date/time format: '2021-06-31T10:00:00Z'" },
      { severity: 'error', at: 'Observation.issued', message: 'Not a valid instant (Invalid date/time format: "2020-02-30T10:00:00Z")' },
    ]);
  });
});

describe('code whitespace', () => {
  const tag = (code: string) => ({ resourceType: 'Patient', meta: { tag: [{ system: 'http://example.org/tags', code }] } });

  it('a code has no whitespace but single spaces: no tab, no no-break space', () => {
    for (const bad of ['tab\tcode', 'no\u00a0break', 'trailing\u00a0']) {
      expect(errors(tag(bad))).toEqual([{ severity: 'error', at: 'Patient.meta.tag[0].code', message: `The code '${bad}' is not valid (whitespace rules)` }]);
    }
    // The schema's pattern reports spaces out of place, once.
    for (const bad of [' leading', 'trailing ', 'double  space']) expect(errors(tag(bad))).toHaveLength(1);
    expect(errors(tag('single space'))).toEqual([]);
  });
});

describe('urn:uuid: and urn:oid: URIs', () => {
  const identified = (system: string) => ({ resourceType: 'Patient', identifier: [{ system, value: '1' }] });

  it('a urn:uuid: URI holds a lower-case UUID', () => {
    expect(errors(identified('urn:uuid:68D043B5-9ECF-4559-A57A-396E0D452311'))).toEqual([
      { severity: 'error', at: 'Patient.identifier[0].system', message: 'UUIDs must be valid and lowercase (68D043B5-9ECF-4559-A57A-396E0D452311)' },
    ]);
    expect(errors(identified('urn:uuid:68d043b5-9ecf-4559-a57a-396e0d452311'))).toEqual([]);
  });

  it('a urn:oid: URI holds an OID; a canonical may carry a version', () => {
    expect(errors(identified('urn:oid:X.Y.Z'))).toEqual([{ severity: 'error', at: 'Patient.identifier[0].system', message: 'OIDs must be valid (X.Y.Z)' }]);
    expect(errors(identified('urn:oid:2.16.840.1.113883'))).toEqual([]);
    const library = { resourceType: 'Library', status: 'draft', type: { text: 'x' }, dataRequirement: [{ type: 'Condition', codeFilter: [{ path: 'code', valueSet: 'urn:uuid:68d043b5-9ecf-4559-a57a-396e0d452311|1.0' }] }] };
    expect(errors(library)).toEqual([]);
  });
});
