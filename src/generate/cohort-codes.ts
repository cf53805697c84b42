/**
 * The codes a cohort may name: the SNOMED CT conditions and RxNorm medications of the disease modules
 * (schemas/generate/modules.json). Nothing else can be required, because nothing else can be generated with
 * its visits, labs and treatment; a code outside the tables is refused, listing those it knows.
 */
import { MODULES, type DiseaseModule, type ModuleVariant } from './tables.js';

/** A module together with one of its variants: what one forced diagnosis draws on. */
export interface Carrier {
  module: DiseaseModule;
  variant: ModuleVariant;
}

const pairs: Carrier[] = MODULES.flatMap((module) => module.variants.map((variant) => ({ module, variant })));

export const CONDITION_CODES = new Map<string, Carrier>(pairs.map((p) => [p.variant.condition.code, p]));

/** Medication code → the variants that prescribe it, in table order. */
export const MEDICATION_CODES = new Map<string, Carrier[]>();
for (const p of pairs) for (const m of p.variant.medications) MEDICATION_CODES.set(m.code, [...(MEDICATION_CODES.get(m.code) ?? []), p]);

const listed = (entries: [string, string][]) => entries.map(([code, display]) => `${code} ${display.replace(/ \((disorder|finding)\)$/, '')}`).join(', ');

export const KNOWN_CONDITIONS = listed(pairs.map((p) => [p.variant.condition.code, p.variant.condition.display]));
export const KNOWN_MEDICATIONS = listed([...MEDICATION_CODES].map(([code, [p]]) => [code, p.variant.medications.find((m) => m.code === code)!.display]));

/**
 * The ages (years) at which a module's curve is above zero: a disease has no onset where its diagnosed share
 * or yearly chance is nil (pregnancy: 14 to 45). The upper end is open when the curve never returns to zero.
 */
export function onsetAges(module: DiseaseModule): [number, number] {
  const curve = module.curve;
  let from = 0;
  for (const [age, value] of curve) {
    if (value > 0) break;
    from = age;
  }
  let to = Infinity;
  for (let i = curve.length - 1; i >= 0 && curve[i][1] === 0; i--) to = curve[i][0];
  return [from, to];
}
