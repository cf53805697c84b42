/**
 * The care network of a generated population: clinics and hospitals in the chosen state (in the chosen city
 * when one is given), each an Organization with its Location and clinicians (Practitioner +
 * PractitionerRole). Patient bundles reference them conditionally, the way Synthea does
 * (`Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|…`), and they are written once to
 * `hospitalInformation*.json` / `practitionerInformation*.json`.
 * @see https://github.com/synthetichealth/synthea/wiki/HL7-FHIR
 */
import type { Reference } from 'fhir/r4.js';
import type { ResolvedOptions } from './options.js';
import { randomPlace, type Place } from './places.js';
import { Random } from './prng.js';
import { NAMES } from './tables.js';

export const SYNTHEA_ID_SYSTEM = 'https://github.com/synthetichealth/synthea';
export const NPI_SYSTEM = 'http://hl7.org/fhir/sid/us-npi';

export interface Clinician {
  id: string;
  roleId: string;
  /** 999xxxxxxx: never a real NPI (real ones start 1 or 2), as in Synthea. */
  npi: string;
  given: string;
  family: string;
  gender: 'male' | 'female';
  display: string;
}

export interface Provider {
  kind: 'clinic' | 'hospital';
  orgId: string;
  locationId: string;
  name: string;
  phone: string;
  place: Place;
  clinicians: Clinician[];
}

export interface ProviderNetwork {
  clinics: Provider[];
  hospitals: Provider[];
}

/** Stream number of the network, apart from the patients' streams (which are 0, 1, 2, …). */
const NETWORK_STREAM = 0x7fffffff;

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));

/** Builds the network for a run; it depends only on seed, state, city and count. */
export function buildNetwork(options: ResolvedOptions): ProviderNetwork {
  const rng = new Random(options.seed, NETWORK_STREAM);
  const npis = new Set<string>();
  const clinician = (): Clinician => {
    const gender = rng.chance(0.5) ? 'female' : 'male';
    const given = `${rng.pick(gender === 'female' ? NAMES.female : NAMES.male)}${rng.int(1, 999)}`;
    const family = `${rng.pick(NAMES.family)}${rng.int(1, 999)}`;
    let npi = `999${rng.digits(7)}`;
    while (npis.has(npi)) npi = `999${rng.digits(7)}`;
    npis.add(npi);
    return { id: rng.uuid(), roleId: rng.uuid(), npi, given, family, gender, display: `Dr. ${given} ${family}` };
  };
  const provider = (kind: Provider['kind']): Provider => {
    const place = randomPlace(rng, options.state.code, options.city);
    const suffix = rng.pick(kind === 'hospital' ? NAMES.hospitalKinds : NAMES.clinicKinds);
    const name = `${place.city.toUpperCase()} ${suffix.toUpperCase()}${kind === 'clinic' ? ` ${rng.int(1, 99)}` : ''}`;
    const clinicians = Array.from({ length: kind === 'hospital' ? 4 : rng.int(2, 3) }, clinician);
    return { kind, orgId: rng.uuid(), locationId: rng.uuid(), name, phone: `${rng.int(201, 989)}${rng.digits(7)}`, place, clinicians };
  };
  const clinics = Array.from({ length: clamp(Math.ceil(options.count / 100), 2, 30) }, () => provider('clinic'));
  const hospitals = Array.from({ length: clamp(Math.ceil(options.count / 400), 1, 10) }, () => provider('hospital'));
  return { clinics, hospitals };
}

export const organizationRef = (p: Provider): Reference => ({ reference: `Organization?identifier=${SYNTHEA_ID_SYSTEM}|${p.orgId}`, display: p.name });
export const locationRef = (p: Provider): Reference => ({ reference: `Location?identifier=${SYNTHEA_ID_SYSTEM}|${p.locationId}`, display: p.name });
export const practitionerRef = (c: Clinician): Reference => ({ reference: `Practitioner?identifier=${NPI_SYSTEM}|${c.npi}`, display: c.display });
