/**
 * Native twins of the business rules that meet nearly every Synthea resource (schemas/business-rules.json),
 * so that the rules layer costs no fhirpath.js call in the common case. A twin applies only to a rule whose
 * expression is exactly the one it was written for (users' own rows keep their FHIRPath), and may answer
 * `undefined` to hand a case it does not decide (dates of different precision) back to fhirpath.js.
 * scripts/check-native-invariants.ts proves each equal to fhirpath.js on the corpora.
 */
import { asList, bounds, hasCoding, present, type Json } from './native-support.js';

type NativeRule = (resource: Json) => boolean | undefined;

const PERIODS = ['period', 'effectivePeriod', 'performedPeriod', 'billablePeriod', 'onsetPeriod', 'occurrencePeriod'];

/** `start <= end` inside `all()`: an empty comparison counts as false there. Undefined: let FHIRPath decide. */
function periodInOrder(p: Json): boolean | undefined {
  if (!present(p, 'start') || !present(p, 'end')) return true;
  if (typeof p.start !== 'string' || typeof p.end !== 'string') return false;
  const samePrecision = p.start.length === p.end.length && p.start.includes('T') === p.end.includes('T');
  const s = bounds(p.start);
  const e = bounds(p.end);
  return samePrecision && s && e ? s[0] <= e[0] : undefined;
}

function periodOrder(resource: Json): boolean | undefined {
  let verdict: boolean | undefined = true;
  for (const name of PERIODS) {
    const p = resource[name];
    if (p === undefined || p === null || typeof p !== 'object' || Array.isArray(p)) continue;
    const ok = periodInOrder(p as Json);
    if (ok === false) return false;
    if (ok === undefined) verdict = undefined;
  }
  return verdict;
}

const hasValueX = (r: Json) => Object.keys(r).some((k) => /^_?value[A-Z]/.test(k) && present(r, k.replace(/^_/, '')));

const UCUM = 'http://unitsofmeasure.org';

/** `valueQuantity.all(code = 'X' and value >= A and value <= B)`: the vital-sign plausibility shape. */
const PLAUSIBLE = /^valueQuantity\.all\(code = '([^']+)' and value >= ([\d.]+) and value <= ([\d.]+)\)$/;

function plausible(expression: string): NativeRule | undefined {
  const m = PLAUSIBLE.exec(expression);
  if (!m) return undefined;
  const [code, low, high] = [m[1], Number(m[2]), Number(m[3])];
  return (resource) => {
    const q = resource.valueQuantity as Json | undefined;
    if (q === undefined || q === null || typeof q !== 'object') return true;
    return q.code === code && typeof q.value === 'number' && q.value >= low && q.value <= high;
  };
}

/**
 * `component.where(code.coding.where(system='S' and code='C').exists()).valueQuantity.all(code = 'U' and value >= A
 * and value <= B)`: the plausibility of one component of a panel (blood pressure). A shape FHIRPath would read
 * otherwise (a component or quantity that is no object, a value that is no number) is left to it.
 */
const COMPONENT_PLAUSIBLE =
  /^component\.where\(code\.coding\.where\(system='([^']+)' and code='([^']+)'\)\.exists\(\)\)\.valueQuantity\.all\(code = '([^']+)' and value >= ([\d.]+) and value <= ([\d.]+)\)$/;

function componentPlausible(expression: string): NativeRule | undefined {
  const m = COMPONENT_PLAUSIBLE.exec(expression);
  if (!m) return undefined;
  const [system, code, unit, low, high] = [m[1], m[2], m[3], Number(m[4]), Number(m[5])];
  return (resource) => {
    for (const c of asList(resource.component)) {
      if (c === null || typeof c !== 'object') return undefined;
      if (!hasCoding((c as Json).code, system, [code])) continue;
      for (const q of asList((c as Json).valueQuantity)) {
        if (q === null || typeof q !== 'object') return undefined;
        const { value } = q as Json;
        if (value !== undefined && typeof value !== 'number') return undefined;
        if (!((q as Json).code === unit && typeof value === 'number' && value >= low && value <= high)) return false;
      }
    }
    return true;
  };
}

/** A date without time, its month and day in range: what `birthDate <= today()` is decided on natively. */
const PLAIN_DATE = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;

/** fhirpath.js reads a day the month lacks (`2020-02-30`) as no date and throws: that case is left to it. */
function dayExists(date: string): boolean {
  if (date.length < 10) return true;
  const [y, m, d] = date.split('-').map(Number);
  const day = new Date(0);
  day.setUTCFullYear(y, m - 1, d);
  return day.getUTCDate() === d;
}

/** Today as FHIRPath's today() gives it: the local date. */
function localToday(): string {
  const d = new Date();
  return `${String(d.getFullYear()).padStart(4, '0')}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/**
 * `birthDate <= today()`: compared at the precision both have; equal there with less precision than a day is
 * FHIRPath's empty answer (`2026 <= 2026-12-07`), which passes.
 */
function bornByToday(resource: Json): boolean | undefined {
  const born = resource.birthDate;
  if (typeof born !== 'string' || !PLAIN_DATE.test(born) || !dayExists(born)) return undefined;
  const today = localToday();
  const mine = born.slice(0, 10);
  const theirs = today.slice(0, mine.length);
  return mine <= theirs;
}

const EXACT: Record<string, NativeRule> = {
  'birthDate <= today()': bornByToday,
  '(period | effective.ofType(Period) | performed.ofType(Period) | billablePeriod | onset.ofType(Period) | occurrence.ofType(Period)).all(start.empty() or end.empty() or start <= end)': periodOrder,
  "status != 'finished' or period.end.exists()": (r) => r.status !== 'finished' || present(r.period as Json, 'end'),
  "status != 'final' or value.exists() or dataAbsentReason.exists() or component.exists() or hasMember.exists() or derivedFrom.exists()": (r) =>
    r.status !== 'final' || hasValueX(r) || ['dataAbsentReason', 'component', 'hasMember', 'derivedFrom'].some((n) => present(r, n)),
  [`valueQuantity.all(system = '${UCUM}' and code.exists())`]: (r) => {
    const q = r.valueQuantity as Json | undefined;
    return q === undefined || q === null || typeof q !== 'object' || (q.system === UCUM && present(q, 'code'));
  },
};

/** The native twin of a rule's expression, when there is one. */
export function nativeRule(expression: string): NativeRule | undefined {
  return EXACT[expression] ?? plausible(expression) ?? componentPlausible(expression);
}
