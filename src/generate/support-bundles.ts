/**
 * `hospitalInformation<ts>.json` (Organization + Location) and `practitionerInformation<ts>.json`
 * (Practitioner + PractitionerRole): batch Bundles whose entries POST with `ifNoneExist` on the identifier,
 * so loading them twice creates nothing new; the same shape Synthea writes next to its patient files.
 * @see https://hl7.org/fhir/R4/http.html#cond-update
 */
import type { Bundle, BundleEntry, Location, Organization, Practitioner, PractitionerRole, Resource } from 'fhir/r4.js';
import { NPI_SYSTEM, SYNTHEA_ID_SYSTEM, type Provider, type ProviderNetwork } from './providers.js';

const US_CORE = 'http://hl7.org/fhir/us/core/StructureDefinition/';
const taxonomy = { system: 'http://nucc.org/provider-taxonomy', code: '208D00000X', display: 'General Practice' };

function entry(resource: Resource, ifNoneExist?: string): BundleEntry {
  return { fullUrl: `urn:uuid:${resource.id}`, resource, request: { method: 'POST', url: resource.resourceType, ...(ifNoneExist ? { ifNoneExist } : {}) } };
}

function address(p: Provider) {
  return { line: [p.place.line.toUpperCase()], city: p.place.city.toUpperCase(), state: p.place.state, postalCode: p.place.postalCode, country: 'US' };
}

function organization(p: Provider): Organization {
  return {
    resourceType: 'Organization',
    id: p.orgId,
    meta: { profile: [`${US_CORE}us-core-organization`] },
    identifier: [{ system: SYNTHEA_ID_SYSTEM, value: p.orgId }],
    active: true,
    type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/organization-type', code: 'prov', display: 'Healthcare Provider' }], text: 'Healthcare Provider' }],
    name: p.name,
    telecom: [{ system: 'phone', value: p.phone }],
    address: [address(p)],
  };
}

function location(p: Provider): Location {
  return {
    resourceType: 'Location',
    id: p.locationId,
    meta: { profile: [`${US_CORE}us-core-location`] },
    identifier: [{ system: SYNTHEA_ID_SYSTEM, value: p.locationId }],
    status: 'active',
    name: p.name,
    telecom: [{ system: 'phone', value: p.phone }],
    address: address(p),
    position: { longitude: p.place.longitude, latitude: p.place.latitude },
    managingOrganization: { identifier: { system: SYNTHEA_ID_SYSTEM, value: p.orgId }, display: p.name },
  };
}

/** The hospitalInformation batch: every Organization with its Location. */
export function hospitalBundle(network: ProviderNetwork): Bundle {
  const entries: BundleEntry[] = [];
  for (const p of [...network.clinics, ...network.hospitals]) {
    entries.push(entry(organization(p), `identifier=${SYNTHEA_ID_SYSTEM}|${p.orgId}`));
    entries.push(entry(location(p), `identifier=${SYNTHEA_ID_SYSTEM}|${p.locationId}`));
  }
  return { resourceType: 'Bundle', type: 'batch', entry: entries };
}

/** The practitionerInformation batch: every Practitioner, then every PractitionerRole. */
export function practitionerBundle(network: ProviderNetwork): Bundle {
  const practitioners: BundleEntry[] = [];
  const roles: BundleEntry[] = [];
  for (const p of [...network.clinics, ...network.hospitals]) {
    for (const c of p.clinicians) {
      const email = { system: 'email' as const, value: `${c.given}.${c.family}@example.com`, use: 'work' as const, extension: [{ url: `${US_CORE}us-core-direct`, valueBoolean: true }] };
      const practitioner: Practitioner = {
        resourceType: 'Practitioner',
        id: c.id,
        meta: { profile: [`${US_CORE}us-core-practitioner`] },
        identifier: [{ system: NPI_SYSTEM, value: c.npi }],
        active: true,
        name: [{ family: c.family, given: [c.given], prefix: ['Dr.'] }],
        telecom: [email],
        address: [address(p)],
        gender: c.gender,
      };
      const role: PractitionerRole = {
        resourceType: 'PractitionerRole',
        id: c.roleId,
        meta: { profile: [`${US_CORE}us-core-practitionerrole`] },
        practitioner: { identifier: { system: NPI_SYSTEM, value: c.npi }, display: c.display },
        organization: { identifier: { system: SYNTHEA_ID_SYSTEM, value: p.orgId }, display: p.name },
        code: [{ coding: [taxonomy], text: taxonomy.display }],
        specialty: [{ coding: [taxonomy], text: taxonomy.display }],
        location: [{ identifier: { system: SYNTHEA_ID_SYSTEM, value: p.locationId }, display: p.name }],
        telecom: [{ system: 'phone', value: p.phone }, email],
      };
      practitioners.push(entry(practitioner, `identifier=${NPI_SYSTEM}|${c.npi}`));
      roles.push(entry(role));
    }
  }
  return { resourceType: 'Bundle', type: 'batch', entry: [...practitioners, ...roles] };
}
