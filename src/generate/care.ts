/**
 * Preventive care given at wellness visits: immunizations on the CDC schedule (CVX; a missed dose is caught
 * up within the schedule's window, influenza yearly from 6 months) and screening labs (USPSTF-style
 * cadence: lipids from 20, HbA1c from 35 when overweight, blood count and metabolic panel in adults).
 * @see https://www.cdc.gov/vaccines/schedules/
 */
import { YEAR } from './clock.js';
import { IMMUNIZATIONS, type Code, type PanelId } from './tables.js';

export class CareHistory {
  private readonly given = new Set<string>();
  private lastFluYear = -Infinity;
  private readonly lastPanel = new Map<PanelId, number>();

  /** Doses due before the records' window count as given (they are history, not exported). */
  constructor(birth: number, windowStart: number) {
    for (const dose of IMMUNIZATIONS.doses) {
      dose.ages.forEach((age, n) => {
        if (birth + age * YEAR < windowStart) this.given.add(`${dose.cvx}#${n}`);
      });
    }
  }

  /** The vaccines due at a visit at `age` in calendar year `year`, marked as given. */
  vaccinesDue(age: number, year: number): Code[] {
    const due: Code[] = [];
    for (const dose of IMMUNIZATIONS.doses) {
      dose.ages.forEach((at, n) => {
        const key = `${dose.cvx}#${n}`;
        // One dose of a series per visit: the next one waits for the next visit.
        if (this.given.has(key) || at > age + 0.02 || age - at > dose.catchUp || due.some((d) => d.code === dose.cvx)) return;
        if (n > 0 && !this.given.has(`${dose.cvx}#${n - 1}`)) return;
        this.given.add(key);
        due.push({ code: dose.cvx, display: dose.display });
      });
    }
    const flu = IMMUNIZATIONS.influenza;
    if (age >= flu.fromAge && year > this.lastFluYear) {
      this.lastFluYear = year;
      due.push({ code: flu.cvx, display: flu.display });
    }
    return due;
  }

  /** Screening panels due at a wellness visit. */
  screeningsDue(age: number, at: number, bmi: number, cardiometabolic: boolean): PanelId[] {
    const due: PanelId[] = [];
    const every = (panel: PanelId, years: number, when: boolean) => {
      if (when && at - (this.lastPanel.get(panel) ?? -Infinity) >= years * YEAR - 30 * 86_400_000) due.push(panel);
    };
    every('lipid', cardiometabolic ? 1 : 5, age >= 20);
    every('hba1c', 3, age >= 35 && bmi >= 25);
    every('cbc', 3, age >= 18);
    every('metabolic', cardiometabolic ? 1 : 3, age >= 40);
    return due;
  }

  /** Records that a panel was drawn (at any kind of visit). */
  drawn(panel: PanelId, at: number): void {
    this.lastPanel.set(panel, at);
  }
}
