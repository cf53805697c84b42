/**
 * Native twins of the business rules that meet nearly every Synthea resource (schemas/business-rules.json),
 * so that the rules layer costs no fhirpath.js call in the common case. A twin applies only to a rule whose
 * expression is exactly the one it was written for (users' own rows keep their FHIRPath), and may answer
 * `undefined` to hand a case it does not decide (dates of different precision) back to fhirpath.js.
 * scripts/check-native-invariants.ts proves each equal to fhirpath.js on the corpora.
 */
import { bounds, present, type Json } from './native-support.js';

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

const EXACT: Record<string, NativeRule> = {
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
  return EXACT[expression] ?? plausible(expression);
}
