/**
 * The shape of a cohort spec (schemas/cohort.schema.json), checked by ajv against that schema, compiled once,
 * so the published schema and what the generator accepts cannot drift apart. An error names the first
 * offending place as `cohort.<path>` (an unknown key by its own name, `cohort.conditions[0].onset.aftr`), the
 * expression a 400 OperationOutcome carries and the CLI prints. What a valid shape means (known codes,
 * windows, contradictions) is checked in cohort-requirements.ts.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import { badRequest } from '../fhir/outcomes.js';

export interface WindowSpec {
  /** `YYYY-MM-DD`: on or after that day (UTC). */
  after?: string;
  /** `YYYY-MM-DD`: before that day. */
  before?: string;
  /** The last N calendar years before the reference date. */
  lastYears?: number;
}

export type EncounterClassName = 'inpatient' | 'emergency' | 'ambulatory';

export interface CohortSpec {
  count?: number;
  age?: { min?: number; max?: number };
  sex?: 'female' | 'male' | { female: number; male: number };
  state?: string;
  city?: string;
  /** Codes are strings here, whether the file wrote them as strings or numbers (YAML reads 44054006 as one). */
  conditions: { code: string; onset?: WindowSpec }[];
  medications: { code: string; prescribed?: WindowSpec }[];
  encounters: { class: EncounterClassName; atLeast: number; within?: WindowSpec }[];
  exclude: string[];
}

/** A spec as the schema admits it: lists may be absent, codes may be numbers. */
type RawSpec = Omit<CohortSpec, 'conditions' | 'medications' | 'encounters' | 'exclude'> & {
  conditions?: { code: string | number; onset?: WindowSpec }[];
  medications?: { code: string | number; prescribed?: WindowSpec }[];
  encounters?: CohortSpec['encounters'];
  exclude?: (string | number)[];
};

const SCHEMA = JSON.parse(readFileSync(new URL('../../schemas/cohort.schema.json', import.meta.url), 'utf8')) as object;
const validate = new Ajv({ allowUnionTypes: true, verbose: true }).compile(SCHEMA);

/** `/conditions/0/onset` → `cohort.conditions[0].onset`. */
function pathOf(instancePath: string): string {
  return instancePath.split('/').slice(1).reduce((p, part) => (/^\d+$/.test(part) ? `${p}[${part}]` : `${p}.${part}`), 'cohort');
}

const PATTERNS: Record<string, string> = {
  '^[0-9]+$': 'a code of digits',
  '^[0-9]{4}-[0-9]{2}-[0-9]{2}$': 'a date YYYY-MM-DD',
};

/**
 * One message for ajv's first failure. A `oneOf` (sex) reports every branch: for an object the object
 * branch's complaint is the useful one, otherwise the schema's description says what is accepted.
 */
function describe(errors: ErrorObject[]): { message: string; expression: string } {
  const branches = errors.some((e) => e.keyword === 'oneOf');
  const first = errors.find((e) => e.keyword !== 'oneOf' && !(branches && (e.keyword === 'type' || e.keyword === 'enum'))) ?? errors.find((e) => e.keyword === 'oneOf') ?? errors[0];
  const at = pathOf(first.instancePath);
  const got = `, got ${JSON.stringify(first.data)}`;
  switch (first.keyword) {
    case 'additionalProperties': {
      const key = (first.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys((first.parentSchema as { properties?: object }).properties ?? {}).join(', ');
      return { message: `unknown key "${key}" in ${at} (known: ${known})`, expression: `${at}.${key}` };
    }
    case 'required': {
      const key = (first.params as { missingProperty: string }).missingProperty;
      return { message: `${at}.${key} is required`, expression: `${at}.${key}` };
    }
    case 'oneOf':
      return { message: `${at} must be ${(first.parentSchema as { description?: string }).description}${got}`, expression: at };
    case 'enum':
      return { message: `${at} must be one of ${(first.params as { allowedValues: string[] }).allowedValues.join(', ')}${got}`, expression: at };
    case 'pattern':
      return { message: `${at} must be ${PATTERNS[(first.params as { pattern: string }).pattern] ?? first.message}${got}`, expression: at };
    default:
      return { message: `${at} ${first.message}${got}`, expression: at };
  }
}

/** Checks a parsed cohort spec against the schema; throws a 400 naming `cohort.<path>`. */
export function parseCohortSpec(raw: unknown): CohortSpec {
  if (!validate(raw)) {
    const { message, expression } = describe(validate.errors ?? []);
    throw badRequest(message, expression);
  }
  const spec = raw as RawSpec;
  return {
    ...spec,
    conditions: (spec.conditions ?? []).map((c) => ({ ...c, code: String(c.code) })),
    medications: (spec.medications ?? []).map((m) => ({ ...m, code: String(m.code) })),
    encounters: spec.encounters ?? [],
    exclude: (spec.exclude ?? []).map(String),
  };
}
