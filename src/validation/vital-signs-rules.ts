/**
 * "If a resource is a vital sign observation, it SHALL conform to the vital signs profile": an Observation whose
 * code names a vital sign (LOINC or SNOMED CT, as the reference validator lists them) is held to the R4 profile
 * for that sign whether it claims it or not. Checked here are the profile's required elements the base
 * Observation leaves optional: the profile's own LOINC code among the codings (the "magic" code, which other
 * codes may accompany), a `vital-signs` category, a subject and an effective time. The profiles' unit and
 * component slices are not checked.
 * @see https://hl7.org/fhir/R4/observation-vitalsigns.html
 */
import { issue } from '../fhir/outcomes.js';
import { codingsOf } from './native-support.js';
import { pathOf, type WalkContext } from './walk-context.js';

type Json = Record<string, unknown>;

const LOINC = 'http://loinc.org';
const SNOMED = 'http://snomed.info/sct';
const CATEGORY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/observation-category';

interface VitalSign {
  profile: string;
  /** The slice of Observation.code.coding holding the magic code, and that code; none for the panel (0..1). */
  slice?: string;
  magic?: string;
  loinc: string[];
  snomed: string[];
}

/** In the reference validator's order: an Observation coded for two signs is held to the first. */
const SIGNS: VitalSign[] = [
  { profile: 'vitalspanel', loinc: ['85353-1'], snomed: ['46680005'] },
  { profile: 'resprate', slice: 'RespRateCode', magic: '9279-1', loinc: ['9279-1', '76170-0', '76172-6', '76171-8', '19840-8', '33438-3', '76270-8', '11291-2'], snomed: ['86290005', '271625008', '271306003'] },
  {
    profile: 'heartrate',
    slice: 'HeartRateCode',
    magic: '8867-4',
    loinc: ['60978-4', '73795-7', '73799-9', '76476-1', '76477-9', '8867-4', '8889-8', '8890-6', '8891-4', '8892-2', '8893-0', '40443-4', '55425-3', '68999-2', '11328-2', '69000-8', '8886-4'],
    snomed: ['271306003', '249043002', '444981005', '399017001', '251670001', '429525003', '429614003'],
  },
  { profile: 'oxygensat', slice: 'OxygenSatCode', magic: '2708-6', loinc: ['2708-6', '19224-5', '20564-1', '2709-4', '2710-2', '2713-6', '51733-4', '59408-5', '59417-6', '89276-0', '97549-0'], snomed: ['442476006', '431314004'] },
  {
    profile: 'bodytemp',
    slice: 'BodyTempCode',
    magic: '8310-5',
    loinc: ['8310-5', '60834-9', '60835-6', '60836-4', '60838-0', '60955-2', '61009-7', '75539-7', '75987-8', '76010-8', '76011-6', '76278-1', '8309-7', '8328-7', '8329-5', '8330-3', '8331-1', '8332-9', '8333-7', '8334-5', '91371-5', '98657-0', '98663-8'],
    snomed: ['386725007', '276885007', '300076005', '1222808002', '364246006', '307047009', '708499008', '431598003', '698831002', '698832009', '415882003', '415974002', '415929009', '415945006'],
  },
  { profile: 'bodyheight', slice: 'BodyHeightCode', magic: '8302-2', loinc: ['8302-2', '3137-7', '3138-5', '8306-3', '8308-9'], snomed: ['1153637007', '1162419008', '50373000', '1162418000', '1230278008', '1162392001', '1162417005'] },
  { profile: 'headcircum', slice: 'HeadCircumCode', magic: '9843-4', loinc: ['9843-4', '8287-5'], snomed: ['363812007', '169876006', '1269262007', '363811000'] },
  { profile: 'bodyweight', slice: 'BodyWeightCode', magic: '29463-7', loinc: ['29463-7', '3141-9', '3142-7', '75292-3', '79348-9', '8350-1', '8351-9'], snomed: ['735395000', '425024002', '424927000', '784399000', '1162416001', '1162415002'] },
  { profile: 'bmi', slice: 'BMICode', magic: '39156-5', loinc: ['39156-5', '89270-3'], snomed: ['60621009'] },
  {
    profile: 'bp',
    slice: 'BPCode',
    magic: '85354-9',
    loinc: ['85354-9', '35094-2', '8459-0', '76534-7', '55284-4', '8480-6'],
    snomed: ['251076008', '163033001', '163035008', '386534000', '386536003', '271649006', '271650006', '407556006', '407554009', '716579001', '399304008'],
  },
];

const ANY_LOINC = new Set(SIGNS.flatMap((s) => s.loinc));
const ANY_SNOMED = new Set(SIGNS.flatMap((s) => s.snomed));

const has = (codings: Json[], system: string, codes: string[] | Set<string>) =>
  codings.some((c) => c.system === system && typeof c.code === 'string' && (Array.isArray(codes) ? codes.includes(c.code) : codes.has(c.code)));

/** The vital sign an Observation's codings name: any LOINC code in the lists first, then SNOMED CT. */
function signOf(codings: Json[]): VitalSign | undefined {
  if (has(codings, LOINC, ANY_LOINC)) return SIGNS.find((s) => has(codings, LOINC, s.loinc));
  if (has(codings, SNOMED, ANY_SNOMED)) return SIGNS.find((s) => has(codings, SNOMED, s.snomed));
  return undefined;
}

const EFFECTIVE = ['effectiveDateTime', 'effectivePeriod', 'effectiveTiming', 'effectiveInstant'];

/** Checks the Observation the walk is at. */
export function checkVitalSigns(node: Json, ctx: WalkContext): void {
  const codings = codingsOf(node.code);
  if (codings.length === 0) return;
  const sign = signOf(codings);
  if (!sign) return;
  const severity = ctx.impliedProfiles ?? 'error';
  const from = `(from http://hl7.org/fhir/StructureDefinition/${sign.profile}|4.0.1, implied by the code)`;
  if (sign.magic && !has(codings, LOINC, [sign.magic])) {
    ctx.issues.push(issue(severity, 'structure', `${sign.slice}: magic LOINC code ${sign.magic} required, but not found ${from}. Note that other Observation codes are allowed in addition to this required magic code`, pathOf(ctx, '.code')));
  }
  const categories = Array.isArray(node.category) ? node.category : [];
  if (!categories.some((c) => has(codingsOf(c), CATEGORY_SYSTEM, ['vital-signs']))) {
    ctx.issues.push(issue(severity, 'structure', `Slice 'Observation.category:VSCat': a matching slice is required, but not found ${from}`, pathOf(ctx)));
  }
  if (node.subject === undefined) ctx.issues.push(issue(severity, 'required', `Observation.subject: minimum required = 1, but only found 0 ${from}`, pathOf(ctx)));
  if (!EFFECTIVE.some((n) => node[n] !== undefined)) ctx.issues.push(issue(severity, 'required', `Observation.effective[x]: minimum required = 1, but only found 0 ${from}`, pathOf(ctx)));
}
