/**
 * The rules of contained resources (dom-2 … dom-5) and of local references (ref-1). A fault goes into a
 * contained resource the original has, or into one added for it: a Basic that refers to its container with
 * `#` (which dom-3 accepts), so that the added resource is itself in order. The HL7 validator checks dom-3
 * natively at the contained resource; the other dom rules are invariants of the containing resource.
 * @see https://hl7.org/fhir/R4/references.html#contained
 */
import { typeDefinition } from '../../../src/validation/element-definitions.js';
import type { Category, Fault, Site, Subject } from '../fault.js';
import { edited, getAt, isObject, setAt, type Json } from '../json.js';

const basic = (id: string | undefined, extra: Json = {}): Json => ({
  resourceType: 'Basic',
  ...(id === undefined ? {} : { id }),
  code: { text: 'Contained for a test' },
  subject: { reference: '#' },
  ...extra,
});

const domainResource = (r: unknown): r is Json => isObject(r) && typeDefinition(String(r.resourceType))?.properties.has('contained') === true;

/** Appends `resource` to the copy's contained list and returns its index. */
function contain(copy: Json, resource: Json): number {
  const list = Array.isArray(copy.contained) ? copy.contained : (copy.contained = []);
  return list.push(resource) - 1;
}

/**
 * Sites that change one contained resource: each DomainResource the original contains (unless `addedOnly`),
 * and a Basic added. `target` receives the resource type and the contained index.
 */
function intoContained(subject: Subject, change: (contained: Json) => void, target: (type: string, index: number) => string, addedOnly: boolean): Site[] {
  const r = subject.resource;
  if (!domainResource(r)) return [];
  const type = String(r.resourceType);
  const existing = Array.isArray(r.contained) ? r.contained : [];
  const sites: Site[] = addedOnly
    ? []
    : existing.flatMap((c, i) =>
        domainResource(c) ? [{ target: target(type, i), id: `existing-${i}`, make: () => edited(r, (copy) => change(getAt(copy, ['contained', i]) as Json)) }] : [],
      );
  const added = basic('fault-contained');
  change(added);
  sites.push({ target: target(type, existing.length), id: 'added', make: () => edited(r, (copy) => void contain(copy, structuredClone(added))) });
  return sites;
}

const atRoot = (type: string, _index: number) => type;
const atContained = (type: string, i: number) => `${type}.contained[${i}]`;

const rule = (name: string, expect: Fault['expect'], change: (c: Json) => void, target: (type: string, index: number) => string = atRoot, addedOnly = false): Fault => ({
  name,
  expect,
  sites: (s) => intoContained(s, change, target, addedOnly),
});

const meta = (field: string, value: unknown) => (c: Json) => {
  c.meta = { ...(isObject(c.meta) ? c.meta : {}), [field]: value };
};

const notReferenced: Fault = {
  name: 'dom-3-not-referenced',
  expect: 'error',
  sites: (s) => {
    if (!domainResource(s.resource)) return [];
    const index = Array.isArray(s.resource.contained) ? s.resource.contained.length : 0;
    const orphan: Json = { resourceType: 'Basic', id: 'fault-orphan', code: { text: 'Referenced by nothing' } };
    return [{ target: atContained(String(s.resource.resourceType), index), make: () => edited(s.resource, (copy) => void contain(copy, structuredClone(orphan))) }];
  },
};

const unresolvedLocal: Fault = {
  name: 'ref-1-unresolved-local-reference',
  expect: 'error',
  sites: (s) =>
    s.nodes
      .filter((n) => n.type === 'Reference' && isObject(n.value) && typeof n.value.reference === 'string' && !n.value.reference.startsWith('#'))
      .map((n) => ({ target: n.path, make: () => edited(s.resource, (copy) => setAt(copy, [...n.at, 'reference'], '#fault-missing')) })),
};

export const contained: Category = {
  name: 'contained',
  faults: [
    rule('dom-2-nested-contained', 'error', (c) => {
      c.contained = [basic('fault-nested')];
    }),
    notReferenced,
    rule('dom-4-version-id', 'error', meta('versionId', '1')),
    rule('dom-4-last-updated', 'error', meta('lastUpdated', '2020-02-28T10:30:00Z')),
    rule('dom-5-security-label', 'error', meta('security', [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }])),
    // Only in an added resource: the original's contained resources are referred to by their ids.
    rule(
      'missing-id',
      'error',
      (c) => {
        delete c.id;
      },
      atContained,
      true,
    ),
    unresolvedLocal,
    // R4 dropped STU3's dom-1 (no narrative in contained resources): a narrative is allowed.
    rule('with-narrative', 'valid', (c) => {
      c.text = { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">Contained narrative</div>' };
    }),
  ],
};
