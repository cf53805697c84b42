/**
 * Rules of the FHIR specification that no FHIRPath constraint states but the HL7 reference validator
 * enforces, checked natively on every node of the named type during the element walk.
 * @see https://hl7.org/fhir/R4/datatypes.html#Attachment
 * @see https://hl7.org/fhir/R4/datatypes.html#Quantity
 */
import { checkAttachment } from './attachment-rules.js';
import { checkBundle } from './bundle-rules.js';
import { checkCoreExtension } from './core-extensions.js';
import { checkIdentifier } from './identifier-rules.js';
import { checkNarrative } from './narrative-rules.js';
import { checkStructureDefinition } from './structure-definition-rules.js';
import { checkUcumCode } from './ucum-units.js';
import { checkVitalSigns } from './vital-signs-rules.js';
import type { WalkContext } from './walk-context.js';

type Json = Record<string, unknown>;

/** Native checks by type name, run on each node of that type, given the resource the node belongs to. */
export const TYPE_RULES: Record<string, ((node: Json, ctx: WalkContext, resource: object) => void) | undefined> = {
  Age: checkUcumCode,
  Attachment: checkAttachment,
  Bundle: checkBundle,
  Coding: checkUcumCode,
  Count: checkUcumCode,
  Distance: checkUcumCode,
  Duration: checkUcumCode,
  Extension: checkCoreExtension,
  Identifier: checkIdentifier,
  Narrative: checkNarrative,
  Observation: checkVitalSigns,
  Quantity: checkUcumCode,
  StructureDefinition: checkStructureDefinition,
};
