/**
 * The fault catalogue, category by category, in the order the corpus lists them. Each category's faults
 * live in faults/<category>.ts.
 */
import type { Category } from './fault.js';
import { attachment } from './faults/attachment.js';
import { binding } from './faults/binding.js';
import { bundle } from './faults/bundle.js';
import { cardinality } from './faults/cardinality.js';
import { choiceType } from './faults/choice-type.js';
import { contained } from './faults/contained.js';
import { control } from './faults/control.js';
import { empty } from './faults/empty.js';
import { extension } from './faults/extension.js';
import { primitiveFormat } from './faults/format.js';
import { invariant } from './faults/invariant.js';
import { narrative } from './faults/narrative.js';
import { referenceType } from './faults/reference-type.js';
import { required } from './faults/required.js';
import { unknownElement } from './faults/unknown-element.js';

export const CATALOGUE: Category[] = [
  control,
  required,
  cardinality,
  primitiveFormat,
  unknownElement,
  choiceType,
  empty,
  binding,
  invariant,
  referenceType,
  contained,
  extension,
  bundle,
  attachment,
  narrative,
];
