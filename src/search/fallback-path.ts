/**
 * fhirpath.js for the few expressions the native walker does not handle (e.g.
 * `Patient.deceased.exists() and Patient.deceased != false`), compiled once, never per resource.
 * @see https://github.com/HL7/fhirpath.js
 */
import fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4';
import type { Found } from './walk-path.js';

export type FallbackPath = (resource: object, found: Found) => void;

/** The FHIR type name of a fhirpath.js result type (`FHIR.Quantity` → Quantity, `System.Boolean` → boolean). */
export function fhirTypeName(type: string): string {
  if (type.startsWith('FHIR.')) return type.slice(5);
  if (type.startsWith('System.')) return type.slice(7).toLowerCase();
  return type;
}

/** Compiles `expression`; the returned function appends what it selects, with FHIR types, to `found`. */
export function compileFallback(expression: string): FallbackPath {
  const evaluate = fhirpath.compile(expression, r4, { resolveInternalTypes: false });
  return (resource, found) => {
    const nodes = evaluate(resource) as unknown[];
    if (nodes.length === 0) return;
    const types = fhirpath.types(nodes);
    const values = fhirpath.resolveInternalTypes(nodes) as unknown[];
    for (let i = 0; i < values.length; i++) {
      if (values[i] === null || values[i] === undefined) continue;
      found.values[found.count] = values[i];
      found.types[found.count++] = fhirTypeName(types[i]);
    }
  };
}
