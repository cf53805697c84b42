/**
 * Changes that break invariants which compare values rather than ask for presence, keyed by constraint: each
 * takes the constraint's context node and lists the changes that would break it there. invariant.ts keeps a
 * change only when fhirpath.js confirms the break, so a setter may be offered where it turns out not to apply.
 */
import { isObject, type Json } from '../json.js';

export interface Change {
  id: string;
  apply(node: Json): void;
}

/** The date moved by whole years, keeping its precision; four, so that 29 February stays a date. */
function years(value: unknown, by: number): string | undefined {
  if (typeof value !== 'string' || !/^\d{4}/.test(value)) return undefined;
  return String(Number(value.slice(0, 4)) + by).padStart(4, '0') + value.slice(4);
}

const set = (element: string, value: unknown): Change[] => (value === undefined ? [] : [{ id: `set ${element}`, apply: (v) => void (v[element] = structuredClone(value)) }]);

const hasValue = (v: Json) => Object.keys(v).some((k) => /^value[A-Z]/.test(k));

const status = (system: string, code: string) => ({ coding: [{ system, code }] });
const CONDITION_VERIFICATION = 'http://terminology.hl7.org/CodeSystem/condition-ver-status';
const ALLERGY_VERIFICATION = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification';

/** Sets the system of a Quantity specialisation that must be UCUM to another one. */
const notUcum = (v: Json) => (v.code !== undefined ? set('system', 'http://example.org/units') : []);

export const BREAKERS: Record<string, (node: Json) => Change[]> = {
  'per-1': (v) => (v.start !== undefined ? set('end', years(v.start, -4)) : set('start', years(v.end, 4))),
  'rng-2': (v) =>
    isObject(v.low) && isObject(v.high) && typeof v.low.value === 'number' && typeof v.high.value === 'number' && v.low.value < v.high.value
      ? [{ id: 'swap low and high', apply: (x) => void ([(x.low as Json).value, (x.high as Json).value] = [(x.high as Json).value, (x.low as Json).value]) }]
      : [],
  'mdd-1': (v) => set('whenHandedOver', years(v.whenPrepared, -4)),
  'inv-1': (v) => set('lastModified', years(v.authoredOn, -4)),
  'obs-6': (v) => (hasValue(v) ? set('dataAbsentReason', status('http://terminology.hl7.org/CodeSystem/data-absent-reason', 'unknown')) : []),
  'obs-7': (v) =>
    hasValue(v) && Array.isArray(v.component) && isObject(v.code)
      ? [{ id: 'component code = code', apply: (x) => void ((x.component as Json[])[0].code = structuredClone(x.code)) }]
      : [],
  'con-4': (v) => (v.abatementString === undefined ? set('abatementString', 'Resolved') : []),
  'con-5': (v) => (v.clinicalStatus ? set('verificationStatus', status(CONDITION_VERIFICATION, 'entered-in-error')) : []),
  'ait-2': (v) => (v.clinicalStatus ? set('verificationStatus', status(ALLERGY_VERIFICATION, 'entered-in-error')) : []),
  'org-2': () => set('use', 'home'),
  'org-3': () => set('use', 'home'),
  'age-1': notUcum,
  'dis-1': notUcum,
  'drt-1': notUcum,
  'cnt-3': notUcum,
  'grp-1': (v) => (v.member !== undefined ? set('actual', false) : []),
  'msq-3': () => set('coordinateSystem', 2),
  'lnk-1': (v) => (Array.isArray(v.item) && v.item.length > 1 ? [{ id: 'one item', apply: (x) => void (x.item = [(x.item as Json[])[0]]) }] : []),
  'eld-2': (v) => (typeof v.max === 'string' && /^\d+$/.test(v.max) ? set('min', Number(v.max) + 1) : []),
  'app-4': () => set('cancelationReason', { text: 'Patient request' }),
  'lst-1': (v) => (v.entry !== undefined ? set('emptyReason', { text: 'Nothing to report' }) : []),
  'cmp-2': (v) => (v.entry !== undefined ? set('emptyReason', { text: 'Nothing to report' }) : []),
};
