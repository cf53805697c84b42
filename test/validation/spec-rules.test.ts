import { createHash } from 'node:crypto';
import type { OperationOutcomeIssue } from 'fhir/r4.js';
import { normaliseExpression } from '../../scripts/conformance-expression.js';
import { parseFhirJson } from '../../src/validation/parse-json.js';
import { validateResource } from '../../src/validation/validate-resource.js';

const errors = (r: unknown, options = {}) => validateResource(r, options).filter((i) => i.severity === 'error' || i.severity === 'fatal');
const at = (issues: OperationOutcomeIssue[]) => issues.map((i) => i.expression?.[0]);
const div = (html: string) => ({ status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">${html}</div>` });

describe('rules the reference validator enforces beyond FHIRPath', () => {
  it('an inline attachment must be as large as its stated size', () => {
    const media = (size: number) => ({ resourceType: 'Media', status: 'completed', content: { contentType: 'text/plain', data: 'aGVsbG8gd29ybGQhIQ==', size } });
    expect(at(errors(media(100)))).toEqual(['Media.content']);
    expect(errors(media(13))).toEqual([]);
  });

  it("an inline attachment's hash is the SHA-1 of its data, in Base64", () => {
    const media = (hash: string) => ({ resourceType: 'Media', status: 'completed', content: { contentType: 'text/plain', data: 'aGVsbG8gd29ybGQhIQ==', hash } });
    const sha1 = createHash('sha1').update('hello world!!').digest();
    expect(errors(media(sha1.toString('base64')))).toEqual([]);
    // The hex spelling of the same hash is valid Base64 of other bytes, as in the R4 example DiagnosticReport.
    expect(at(errors(media(sha1.toString('hex'))))).toEqual(['Media.content']);
    expect(errors({ resourceType: 'Media', status: 'completed', content: { contentType: 'text/plain', url: 'http://x.org/a', hash: sha1.toString('base64') } })).toEqual([]);
  });

  it('a Bundle entry or contained resource is one JSON object, never an array of them', () => {
    const fullUrl = 'urn:uuid:5c7a3a4b-1f2a-4d8e-9a6b-0c2d3e4f5a6b';
    expect(at(errors({ resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl, resource: [{ resourceType: 'Patient', id: 'x' }] }] }))).toEqual(['Bundle.entry[0].resource']);
    expect(at(errors({ resourceType: 'Patient', contained: [[{ resourceType: 'Patient', id: 'x' }]] }))).toEqual(['Patient.contained[0]']);
    expect(errors({ resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl, resource: { resourceType: 'Patient', id: 'x' } }] })).toEqual([]);
  });

  it('an identifier in system urn:ietf:rfc:3986 has a URI for its value', () => {
    const org = (value: string) => ({ resourceType: 'Organization', name: 'x', identifier: [{ system: 'urn:ietf:rfc:3986', value }] });
    expect(at(errors(org('2.16.840.1.113883.19.5')))).toEqual(['Organization.identifier[0]']);
    expect(at(errors(org('Local eCMS identifier')))).toEqual(['Organization.identifier[0]']);
    for (const uri of ['urn:oid:2.16.840.1.113883.19.5', 'http://x.org/a', 'urn:uuid:5c7a3a4b-1f2a-4d8e-9a6b-0c2d3e4f5a6b']) expect(errors(org(uri))).toEqual([]);
    expect(errors({ resourceType: 'Organization', name: 'x', identifier: [{ system: 'http://x.org/ids', value: '2.16.840' }] })).toEqual([]);
  });

  it('a paging link relation appears once per Bundle', () => {
    const link = (relation: string) => ({ relation, url: 'http://x/y' });
    expect(at(errors({ resourceType: 'Bundle', type: 'searchset', link: [link('self'), link('self'), link('next')] }))).toEqual(['Bundle.link[1]']);
  });

  it('txt-1: narrative without scripts, event handlers or undeclared entities', () => {
    expect(at(errors({ resourceType: 'Patient', text: div('x<script>alert(1)</script>') }))).toEqual(['Patient.text.div']);
    expect(at(errors({ resourceType: 'Patient', text: div('<p onclick="x()">x</p>') }))).toEqual(['Patient.text.div']);
    expect(at(errors({ resourceType: 'Patient', text: div('&reg; 2020') }))).toEqual(['Patient.text.div']);
    expect(errors({ resourceType: 'Patient', text: div('<p id="a" style="color: red"><b>x</b> &amp; &#169; <a href="#a">y</a></p>') })).toEqual([]);
  });

  it('the narrative is one XHTML div with some content (txt-2): text or an image', () => {
    const patient = (div: string) => ({ resourceType: 'Patient', text: { status: 'generated', div } });
    const xhtml = 'xmlns="http://www.w3.org/1999/xhtml"';
    expect(errors(patient(`<div ${xhtml}><p>Ann</p></div>`))).toEqual([]);
    expect(errors(patient(`<div ${xhtml}><img src="http://x.org/a.png" alt=""/></div>`))).toEqual([]);
    expect(at(errors(patient(`<div ${xhtml}> <p> </p></div>`)))).toEqual(['Patient.text.div']);
    expect(at(errors(patient(`<p ${xhtml}>Ann</p>`)))).toEqual(['Patient.text.div']);
    expect(at(errors(patient('<div>Ann</div>')))).toEqual(['Patient.text.div']);
  });

  it('ext-1 counts a `_valueString` that has only extensions as a value', () => {
    const ext = { url: 'http://x', _valueString: { extension: [{ url: 'http://y', valueString: 'z' }] } };
    expect(errors({ resourceType: 'Patient', extension: [ext] })).toEqual([]);
  });

  it('reads the schema patterns as Java does: a no-break space is not whitespace', () => {
    expect(errors({ resourceType: 'Patient', name: [{ text: '\u00a0Seul' }], gender: 'male' })).toEqual([]);
  });

  it('a malformed urn:uuid reference is a warning, a malformed relative one an error', () => {
    const issues = validateResource({ resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { reference: 'urn:uuid:1234-X' }, focus: [{ reference: 'Patient/a b' }] });
    expect(issues.filter((i) => i.code === 'invalid').map((i) => [i.severity, i.expression?.[0]])).toEqual([
      ['warning', 'Observation.subject.reference'],
      ['error', 'Observation.focus[0].reference'],
    ]);
  });

  it('obs-7 is evaluated when the value is a choice variant (valueQuantity), not skipped by its guard', () => {
    // Not a vital-sign code: the vital-signs profile it would imply asks for more than obs-7 is about here.
    const code = { coding: [{ system: 'http://loinc.org', code: '2339-0' }] };
    const obs = { resourceType: 'Observation', status: 'final', code, valueQuantity: { value: 90, unit: 'mg/dL', system: 'http://unitsofmeasure.org', code: 'mg/dL' }, component: [{ code, valueString: 'x' }] };
    expect(errors(obs).map((i) => i.diagnostics?.slice(0, 6))).toEqual(['obs-7:']);
  });

  it('a Bundle entry is its own %rootResource: its local references resolve inside it', () => {
    const entry = { resourceType: 'Observation', status: 'final', code: { text: 'x' }, contained: [{ resourceType: 'Patient', id: 'p' }], subject: { reference: '#p' } };
    expect(errors({ resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: 'urn:uuid:5e0f8f0c-6f4b-4d4b-9c1e-1a2b3c4d5e6f', resource: entry }] })).toEqual([]);
  });

  it('a canonical is an absolute URL (a version after | allowed) or a #fragment, never relative', () => {
    const response = (questionnaire: string) => ({ resourceType: 'QuestionnaireResponse', status: 'completed', questionnaire });
    expect(at(errors(response('Questionnaire/zika')))).toEqual(['QuestionnaireResponse.questionnaire']);
    expect(errors(response('http://example.org/Questionnaire/zika|2.0'))).toEqual([]);
    expect(errors(response('urn:uuid:8d2c3c49-8d1b-4a52-9d0a-5c8d39b1a6d4'))).toEqual([]);
    expect(errors({ ...response('#q'), contained: [{ resourceType: 'Questionnaire', id: 'q', status: 'draft' }] })).toEqual([]);
    expect(at(errors({ resourceType: 'Patient', meta: { profile: ['StructureDefinition/x'] } }))).toEqual(['Patient.meta.profile[0]']);
  });

  it('core extensions: a URL R4 does not define, a value of another type, a modifier in the wrong place', () => {
    const patient = (extension: object, where = 'extension') => ({ resourceType: 'Patient', [where]: [extension] });
    const mothers = 'http://hl7.org/fhir/StructureDefinition/patient-mothersMaidenName';
    expect(errors(patient({ url: mothers, valueString: 'Smith' }))).toEqual([]);
    expect(at(errors(patient({ url: mothers, valueBoolean: true })))).toEqual(['Patient.extension[0]']);
    expect(at(errors(patient({ url: 'http://hl7.org/fhir/StructureDefinition/patient-motherMaidenName', valueString: 'x' })))).toEqual(['Patient.extension[0]']);
    expect(at(errors(patient({ url: mothers, valueString: 'Smith' }, 'modifierExtension')))).toEqual(['Patient.modifierExtension[0]']);
    // Another namespace is accepted unseen: its definition is not at hand.
    expect(errors(patient({ url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race', extension: [{ url: 'text', valueString: 'x' }] }))).toEqual([]);
  });

  it('a target type is judged on what the reference resolves to, a literal one only when asked (literalTypes)', () => {
    const observation = (reference: string, extra = {}) => ({ resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { reference }, ...extra });
    expect(errors(observation('Medication/m1'))).toEqual([]);
    expect(at(errors(observation('Medication/m1'), { literalTypes: true }))).toEqual(['Observation.subject']);
    const contained = observation('#m1', { contained: [{ resourceType: 'Medication', id: 'm1', code: { text: 'aspirin' } }] });
    expect(at(errors(contained))).toEqual(['Observation.subject']);
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { fullUrl: 'urn:uuid:8d2c3c49-8d1b-4a52-9d0a-5c8d39b1a6d4', resource: { resourceType: 'Medication', id: 'm1', code: { text: 'aspirin' } } },
        { fullUrl: 'urn:uuid:1b4f7a0e-6c1d-4b7a-9a8e-2f0c5d3e9b11', resource: observation('urn:uuid:8d2c3c49-8d1b-4a52-9d0a-5c8d39b1a6d4') },
      ],
    };
    expect(at(errors(bundle))).toEqual(['Bundle.entry[1].resource.subject']);
  });

  it('Reference.type must be a target the element allows; a relative reference to no R4 type is only a warning', () => {
    const observation = (subject: object) => ({ resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject });
    expect(at(errors(observation({ type: 'EventDefinition', identifier: { value: 'x' } })))).toEqual(['Observation.subject']);
    expect(errors(observation({ type: 'Patient', identifier: { value: 'x' } }))).toEqual([]);
    const unknown = validateResource(observation({ reference: 'Doctor/example' }));
    expect(unknown.filter((i) => i.code === 'invalid').map((i) => [i.severity, i.expression?.[0]])).toEqual([['warning', 'Observation.subject.reference']]);
  });

  it('rejectHtmlIn flags HTML in the named primitive types only', () => {
    const patient = { resourceType: 'Patient', name: [{ text: 'Standard <script>x</script>' }] };
    expect(errors(patient)).toEqual([]);
    expect(errors(patient, { rejectHtmlIn: ['string'] })).toEqual([expect.objectContaining({ code: 'security', expression: ['Patient.name[0].text'] })]);
  });

  it('exampleUrls: false refuses a uri, url or canonical on an example host, and nothing else', () => {
    const media = { resourceType: 'Media', status: 'completed', content: { url: 'http://repository.example.org/fhir/Binary/1' }, identifier: [{ system: 'http://hospital.test/ids', value: 'example.org/1' }] };
    expect(errors(media)).toEqual([]);
    expect(errors(media, { exampleUrls: false })).toEqual([expect.objectContaining({ code: 'invalid', expression: ['Media.content.url'] })]);
  });
});

describe('parseFhirJson', () => {
  it('ignores a byte order mark and reports comments at the resource unless allowed', () => {
    expect(parseFhirJson('\ufeff{"resourceType":"Patient"}')).toEqual({ resource: { resourceType: 'Patient' }, issues: [] });
    const text = '{"resourceType":"Patient", // a comment\n "gender": "male" /* "x": 1 */}';
    expect(parseFhirJson(text).issues).toEqual([expect.objectContaining({ severity: 'error', expression: ['Patient'] })]);
    expect(parseFhirJson(text, { allowComments: true })).toEqual({ resource: { resourceType: 'Patient', gender: 'male' }, issues: [] });
    expect(parseFhirJson('{"a": "http://x//y"').issues[0].severity).toBe('fatal');
  });
});

describe('conformance locations', () => {
  it("normalises the reference validator's annotations and choice types", () => {
    expect(normaliseExpression('Location.contained[0]/*Organization/org_1*/.id')).toBe('Location.contained[0].id');
    expect(normaliseExpression('Observation.value.ofType(integer)')).toBe('Observation.valueInteger');
  });
});
