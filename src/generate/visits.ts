/**
 * The encounters of a life inside the records' window, in time order: wellness visits on the US preventive
 * schedule (Bright Futures well-child ages, then yearly / every two years / yearly from 50), a visit where
 * each condition is diagnosed, follow-ups at the module's cadence, prenatal visits and delivery, the
 * encounters a cohort requires (at their set times), and the death certification. Times fall on working hours and never before birth or after death.
 */
import { DAY, HOUR, MINUTE, YEAR } from './clock.js';
import type { Diagnosis, Life } from './life.js';
import type { Person } from './person.js';
import type { Random } from './prng.js';
import { PROFILES, type Code, type EncounterSpec } from './tables.js';

export type VisitKind = 'wellness' | 'onset' | 'followup' | 'prenatal' | 'delivery' | 'death' | 'required';

export interface Visit {
  kind: VisitKind;
  start: number;
  end: number;
  type: Code;
  class: EncounterSpec['class'];
  diagnosis?: Diagnosis;
}

const W = PROFILES.wellness;

function wellnessAges(): number[] {
  const ages = [...W.childAges];
  for (let age = W.cadence[0][0]; age < 120; ) {
    ages.push(age);
    age += W.cadence.filter(([from]) => from <= age).at(-1)![1];
  }
  return ages;
}
const WELLNESS_AGES = wellnessAges();

export function planVisits(rng: Random, person: Person, life: Life): Visit[] {
  const visits: Visit[] = [];
  const add = (kind: VisitKind, at: number, spec: Code & { class?: EncounterSpec['class']; minutes?: number }, diagnosis?: Diagnosis, keepTime = false) => {
    const minutes = spec.minutes ?? 15;
    // Office hours, 08:00-17:00 UTC on the day, unless the moment itself matters (emergencies, deaths).
    let start = keepTime ? Math.floor(at / MINUTE) * MINUTE : Math.floor(at / DAY) * DAY + 8 * HOUR + rng.int(0, 36) * 15 * MINUTE;
    if (start < person.birth) start = person.birth + HOUR;
    const end = kind === 'death' ? start : start + minutes * MINUTE;
    if (start < life.windowStart || end > life.end || (kind !== 'death' && end === life.end)) return;
    visits.push({ kind, start, end, type: { code: spec.code, display: spec.display }, class: spec.class ?? 'AMB', diagnosis });
  };

  for (const age of WELLNESS_AGES) {
    add('wellness', person.birth + age * YEAR + rng.int(0, 20) * DAY, age < 18 ? W.child : W.adult);
  }
  if (!visits.length && life.end - life.windowStart > 2 * DAY) {
    add('wellness', life.windowStart + rng.next() * (life.end - life.windowStart - DAY), W.adult);
  }
  for (const d of life.diagnoses) {
    const m = d.module;
    const urgent = m.encounter.class !== 'AMB';
    add('onset', d.onset, m.encounter, d, urgent);
    if (m.kind === 'pregnancy') {
      const until = d.delivery ?? life.end;
      for (let t = d.onset + 6 * 7 * DAY; t < until - 14 * DAY; t += 6 * 7 * DAY) add('prenatal', t, m.followUp!, d);
      if (d.delivery !== undefined && m.delivery) add('delivery', d.delivery, m.delivery.encounter, d, true);
    } else if (m.followUp) {
      const step = m.followUp.months * (YEAR / 12);
      for (let t = d.onset + step; t < life.end; t += step) add('followup', t, { ...m.followUp, minutes: 20 }, d);
    }
  }
  for (const r of life.required ?? []) add('required', r.at, { ...r.type, class: r.class, minutes: r.minutes }, r.diagnosis, true);
  if (life.death !== undefined) add('death', life.death, W.death, life.causeOfDeath, true);
  return visits.sort((a, b) => a.start - b.start || a.end - b.end);
}
