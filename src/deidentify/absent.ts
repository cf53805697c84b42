/**
 * What the walk leaves where a profile empties something, so the output stays valid R4: an object left with
 * nothing (ele-1) is dropped, an extension left with neither value nor extensions (ext-1) too, a required
 * element gets a data-absent-reason of `masked` (the code R4 gives for information withheld for privacy), and a
 * narrative says it was withheld.
 * @see https://hl7.org/fhir/R4/extension-data-absent-reason.html
 * @see https://hl7.org/fhir/R4/codesystem-data-absent-reason.html#data-absent-reason-masked
 */
import type { Slot } from './frames.js';

type Json = Record<string, unknown>;

const DATA_ABSENT = 'http://hl7.org/fhir/StructureDefinition/data-absent-reason';
const masked = (): Json => ({ extension: [{ url: DATA_ABSENT, valueCode: 'masked' }] });

/**
 * A narrative that says it was withheld. Status `empty` is R4's "the contents of the narrative are not
 * available": the text is no longer generated from the data, nor extra to it. Keeping a narrative rather than
 * none spares every resource dom-6's warning.
 * @see https://hl7.org/fhir/R4/valueset-narrative-status.html
 */
export const REDACTED_NARRATIVE = { status: 'empty', div: '<div xmlns="http://www.w3.org/1999/xhtml">Redacted</div>' };

/** ele-1: nothing, or an id alone, is no element. */
export function isEmpty(node: Json): boolean {
  let count = 0;
  for (const key in node) if (key !== 'id' || ++count > 1) return false;
  return true;
}

/** ext-1: an extension needs a value or sub-extensions; one the walk emptied of both goes. */
export function hasContent(extension: Json): boolean {
  for (const key in extension) if (key === 'extension' || key.startsWith('value') || key.startsWith('_value')) return true;
  return false;
}

/** A required element the profile emptied: masked, as a primitive's `_name` or as the element itself. */
export function markAbsent(out: Json, key: string, slot: Slot, array: boolean): void {
  if (!slot.primitive) {
    out[key] = array ? [masked()] : masked();
  } else if (out[`_${key}`] === undefined) {
    if (array) out[key] = [null];
    out[`_${key}`] = array ? [masked()] : masked();
  }
}
