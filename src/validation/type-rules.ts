/**
 * Rules of the FHIR specification that no FHIRPath constraint states but the HL7 reference validator
 * enforces, checked natively on every node of the named type during the element walk.
 * @see https://hl7.org/fhir/R4/datatypes.html#Attachment
 */
import { issue } from '../fhir/outcomes.js';
import { checkBundle } from './bundle-rules.js';
import { checkCoreExtension } from './core-extensions.js';
import { checkNarrative } from './narrative-rules.js';
import { checkStructureDefinition } from './structure-definition-rules.js';
import { checkVitalSigns } from './vital-signs-rules.js';
import { pathOf, type WalkContext } from './walk-context.js';

type Json = Record<string, unknown>;

/** Bytes a base64 string decodes to (whitespace ignored), or undefined when it is not base64. */
function decodedLength(data: string): number | undefined {
  const s = data.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) return undefined;
  return (s.length / 4) * 3 - (s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0);
}

/** Attachment.size "number of bytes of content (if url provided)": when the data is inline, it must match. */
function attachment(node: Json, ctx: WalkContext): void {
  if (typeof node.data !== 'string' || typeof node.size !== 'number') return;
  const actual = decodedLength(node.data);
  if (actual !== undefined && actual !== node.size) {
    ctx.issues.push(issue('error', 'structure', `Stated attachment size ${node.size} does not match the size of its data (${actual})`, pathOf(ctx)));
  }
}

/** Native checks by type name, run on each node of that type, given the resource the node belongs to. */
export const TYPE_RULES: Record<string, ((node: Json, ctx: WalkContext, resource: object) => void) | undefined> = {
  Attachment: attachment,
  Bundle: checkBundle,
  Extension: checkCoreExtension,
  Narrative: checkNarrative,
  Observation: checkVitalSigns,
  StructureDefinition: checkStructureDefinition,
};
