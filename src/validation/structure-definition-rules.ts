/**
 * StructureDefinition.type, as the reference validator judges it: a type the FHIR specification defines, used
 * by its own base definition or by a profile that constrains it; any other type is a logical model's, and must
 * be named by an absolute URL.
 * @see https://hl7.org/fhir/R4/structuredefinition-definitions.html#StructureDefinition.type
 */
import { issue } from '../fhir/outcomes.js';
import { isAbsoluteUrl } from './absolute-url.js';
import { typeDefinition } from './element-definitions.js';
import { pathOf, type WalkContext } from './walk-context.js';

type Json = Record<string, unknown>;

/** Types of R4 core definitions that have no elements of their own in fhir-elements.json: abstract bases and the pattern models. */
const ABSTRACT_CORE_TYPES = new Set(['Resource', 'Element', 'MetadataResource', 'FiveWs', 'Event', 'Definition', 'Request']);

const isCoreType = (type: string) => !type.includes('.') && (ABSTRACT_CORE_TYPES.has(type) || typeDefinition(type) !== undefined);

/** Checks the StructureDefinition the walk is at. */
export function checkStructureDefinition(node: Json, ctx: WalkContext): void {
  const type = node.type;
  if (typeof type !== 'string') return;
  const shown = type.slice(0, 200);
  if (isAbsoluteUrl(type)) {
    if (node.kind !== 'logical') {
      ctx.issues.push(issue('error', 'invalid', `The type ${shown} can only be defined if the kind is 'logical' not ${String(node.kind)}`, pathOf(ctx, '.type')));
    }
  } else if (!isCoreType(type)) {
    ctx.issues.push(issue('error', 'invalid', `The type ${shown} is not legal because it is not defined in the FHIR specification. Other types must have a namespace on them`, pathOf(ctx, '.type')));
  } else if (node.url !== `http://hl7.org/fhir/StructureDefinition/${type}` && node.derivation !== 'constraint') {
    ctx.issues.push(issue('error', 'invalid', `The type ${shown} can only be used as a type when constraining the base definition of the type`, pathOf(ctx, '.type')));
  }
}
