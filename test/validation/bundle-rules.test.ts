import { isRestfulUrl } from '../../src/validation/bundle-rules.js';
import { validateResource } from '../../src/validation/validate-resource.js';

const errors = (r: unknown) => validateResource(r).filter((i) => i.severity === 'error' || i.severity === 'fatal');
const brief = (r: unknown) => errors(r).map((i) => ({ severity: i.severity, expression: i.expression?.[0], diagnostics: i.diagnostics }));

const patient = (id?: string) => ({ resourceType: 'Patient', ...(id === undefined ? {} : { id }), active: true });
const bundle = (type: string, ...entry: object[]) => ({ resourceType: 'Bundle', type, entry });

describe('Bundle rules: fullUrl', () => {
  it('accepts urn:uuid, urn:oid and matching RESTful fullUrls', () => {
    const b = bundle(
      'collection',
      { fullUrl: 'urn:uuid:5e0f8f0c-6f4b-4d4b-9c1e-1a2b3c4d5e6f', resource: patient('other') },
      { fullUrl: 'urn:oid:1.2.3.4', resource: patient('x') },
      { fullUrl: 'https://example.com/base/Patient/p-1', resource: patient('p-1') },
      { fullUrl: 'http://example.org/not/a/resource-url', resource: patient() },
    );
    expect(errors(b)).toEqual([]);
  });

  it('an entry needs a fullUrl, except in transactions, batches and their responses', () => {
    expect(brief(bundle('collection', { fullUrl: 'urn:uuid:5e0f8f0c-6f4b-4d4b-9c1e-1a2b3c4d5e6f', resource: patient() }, { resource: patient() }))).toEqual([
      {
        severity: 'error',
        expression: 'Bundle.entry[1]',
        diagnostics: 'Except for transactions and batches, each entry in a Bundle must have a fullUrl which is the identity of the resource in the entry',
      },
    ]);
    for (const type of ['transaction', 'batch']) {
      expect(errors(bundle(type, { resource: patient(), request: { method: 'POST', url: 'Patient' } }))).toEqual([]);
    }
  });

  it('a fullUrl must be absolute, in every kind of Bundle', () => {
    const entry = { fullUrl: 'Patient/1', resource: patient('1'), request: { method: 'PUT', url: 'Patient/1' } };
    expect(brief(bundle('transaction', entry))).toEqual([{ severity: 'error', expression: 'Bundle.entry[0]', diagnostics: "The fullUrl must be an absolute URL (not 'Patient/1')" }]);
  });

  it('a RESTful fullUrl ends with the type and id of its resource', () => {
    const b = bundle('collection', { fullUrl: 'urn:uuid:5e0f8f0c-6f4b-4d4b-9c1e-1a2b3c4d5e6f', resource: patient() }, { fullUrl: 'http://example.org/fhir/Patient/12', resource: patient('12x') });
    expect(brief(b)).toEqual([
      {
        severity: 'error',
        expression: 'Bundle.entry[1]',
        diagnostics: "The fullUrl 'http://example.org/fhir/Patient/12' looks like a RESTful server URL, so it must end with the correct type and id (/Patient/12x)",
      },
    ]);
    expect(brief(bundle('collection', { fullUrl: 'http://example.org/fhir/Patient/12', resource: patient() }))[0].diagnostics).toMatch(/but the resource has no id/);
    // A versioned fullUrl is RESTful too, and never ends with /Type/id (bdl-8 also forbids it).
    expect(errors(bundle('collection', { fullUrl: 'http://example.org/fhir/Patient/12/_history/1', resource: patient('12') })).map((i) => i.expression?.[0])).toContain('Bundle.entry[0]');
  });

  it('a canonical resource may use its canonical URL as fullUrl only when that URL ends with its id', () => {
    const vs = (id: string) => ({ resourceType: 'ValueSet', id, url: 'http://example.org/fhir/ValueSet/colours', status: 'draft' });
    expect(errors(bundle('collection', { fullUrl: 'http://example.org/fhir/ValueSet/colours', resource: vs('colours') }))).toEqual([]);
    const named = { resourceType: 'ValueSet', id: 'colours', url: 'http://example.org/colours', status: 'draft' };
    expect(brief(bundle('collection', { fullUrl: 'http://example.org/colours', resource: named }))).toEqual([
      { severity: 'error', expression: 'Bundle.entry[0]', diagnostics: 'The canonical URL (http://example.org/colours) cannot match the fullUrl unless the resource id (colours) also matches' },
    ]);
  });

  it('judges a Bundle inside an entry at its own path', () => {
    const inner = bundle('collection', { resource: patient() });
    expect(errors(bundle('collection', { fullUrl: 'urn:uuid:5e0f8f0c-6f4b-4d4b-9c1e-1a2b3c4d5e6f', resource: inner })).map((i) => i.expression?.[0])).toEqual(['Bundle.entry[0].resource.entry[0]']);
  });

  it('tells RESTful URLs as the reference validator does', () => {
    expect(isRestfulUrl('Patient/1')).toBe(true);
    expect(isRestfulUrl('http://localhost:9556/svc/fhir/Practitioner/a3')).toBe(true);
    expect(isRestfulUrl('http://example.org/fhir-2/Observation/14/_history/2')).toBe(true);
    expect(isRestfulUrl('urn:uuid:5e0f8f0c-6f4b-4d4b-9c1e-1a2b3c4d5e6f')).toBe(false);
    expect(isRestfulUrl('http://example.org/Patient/a_b')).toBe(false);
    expect(isRestfulUrl('http://example.org/Thing/1')).toBe(false);
    expect(isRestfulUrl('http://example.org/a b/Patient/1')).toBe(false);
  });
});
