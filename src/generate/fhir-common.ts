/**
 * Small shared pieces of the FHIR resources the generator writes: code systems, US Core profile URLs (the
 * claims Synthea makes in meta.profile), CodeableConcepts and references.
 * @see https://hl7.org/fhir/us/core/STU3.1.1/profiles.html
 */
import type { CodeableConcept, Quantity, Reference } from 'fhir/r4.js';
import type { Code } from './tables.js';

export const SNOMED = 'http://snomed.info/sct';
export const LOINC = 'http://loinc.org';
export const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
export const CVX = 'http://hl7.org/fhir/sid/cvx';
export const UCUM = 'http://unitsofmeasure.org';
export const US_CORE = 'http://hl7.org/fhir/us/core/StructureDefinition/';

export const usCore = (name: string) => ({ profile: [`${US_CORE}${name}`] });

export function concept(system: string, code: Code): CodeableConcept {
  return { coding: [{ system, code: code.code, display: code.display }], text: code.display };
}

/** A category CodeableConcept as Synthea writes it (coding only). */
export function category(system: string, code: string, display: string): CodeableConcept[] {
  return [{ coding: [{ system, code, display }] }];
}

export const urn = (id: string): Reference => ({ reference: `urn:uuid:${id}` });

export function quantity(value: number, unit: string): Quantity {
  return { value, unit, system: UCUM, code: unit };
}

/** Rounds to `decimals` places, so values print like a lab instrument's. */
export const round = (value: number, decimals: number) => {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
};
