/**
 * UCUM codes: a Quantity (or Age, Duration, Distance, Count) or a Coding whose system is UCUM must carry a code
 * that parses as a UCUM unit expression (`mm[Hg]`, `/min`, `mL/min/{1.73_m2}`), as the reference validator checks
 * through its UCUM service. Synthea 2021 writes `mmHg` and `beats/minute`; the reference validator rejects
 * them, so `$validate` does, while an import (AS_STORED) only warns, as it does for implied vital-signs profiles.
 * The unit's human-readable `unit` is free text and not checked.
 * @see https://hl7.org/fhir/R4/datatypes.html#Quantity
 * @see https://ucum.org/ucum
 */
import { UcumLhcUtils } from '@lhncbc/ucum-lhc';
import { issue } from '../fhir/outcomes.js';
import { pathOf, type WalkContext } from './walk-context.js';

type Json = Record<string, unknown>;

const UCUM = 'http://unitsofmeasure.org';
const utils = UcumLhcUtils.getInstance();

/** Each distinct code is parsed once (about 50 µs); data uses a few hundred units at most, so the bound is loose. */
const verdicts = new Map<string, string | null>();
const MAX_REMEMBERED = 10_000;

/** Why `code` is not a UCUM unit expression, or null when it is one. */
export function ucumProblem(code: string): string | null {
  let verdict = verdicts.get(code);
  if (verdict === undefined) {
    const result = utils.validateUnitString(code, false);
    verdict = result.status === 'valid' ? null : result.msg.join(' ').replace(/\s+/g, ' ').trim() || 'not a unit expression';
    if (verdicts.size >= MAX_REMEMBERED) verdicts.clear();
    verdicts.set(code, verdict);
  }
  return verdict;
}

/** A Quantity-like node, or a Coding, with system UCUM and a code: the code must be a UCUM unit. */
export function checkUcumCode(node: Json, ctx: WalkContext): void {
  if (node.system !== UCUM || typeof node.code !== 'string' || node.code === '') return;
  const problem = ucumProblem(node.code);
  if (problem === null) return;
  ctx.issues.push(issue(ctx.unitCodes ?? 'error', 'invalid', `The code '${node.code}' is not a valid UCUM unit: ${problem}`, pathOf(ctx)));
}
