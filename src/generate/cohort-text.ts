/**
 * A cohort spec as text (a `--cohort` file, the `$generate` parameter `cohort`): JSON, or YAML for people
 * writing by hand. YAML is read with the core schema, so `2020-01-01` stays a string (the default schema
 * would make it a Date) and a repeated key is an error rather than a silent override.
 * @see https://yaml.org/spec/1.2.2/#103-core-schema
 */
import { CORE_SCHEMA, load, type YAMLException } from 'js-yaml';
import { badRequest } from '../fhir/outcomes.js';

/** Parses `text` (`source` names it in messages: a file name, or the parameter); throws a 400 on bad syntax. */
export function parseCohortText(text: string, source: string): unknown {
  if (/^\s*[{[]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch (err) {
      throw badRequest(`${source} is not valid JSON: ${(err as Error).message}`, 'cohort');
    }
  }
  let value: unknown;
  try {
    value = load(text, { schema: CORE_SCHEMA, filename: source });
  } catch (err) {
    const e = err as YAMLException;
    throw badRequest(`${source} is not valid YAML: ${e.reason ?? e.message}${e.mark ? ` (line ${e.mark.line + 1}, column ${e.mark.column + 1})` : ''}`, 'cohort');
  }
  if (value === null || value === undefined) throw badRequest(`${source} is empty: a cohort spec is a JSON or YAML object`, 'cohort');
  return value;
}
