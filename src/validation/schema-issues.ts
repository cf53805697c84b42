/**
 * Turning ajv errors into OperationOutcome issues: the JSON pointer becomes a FHIRPath location rooted at the
 * resource type (`/name/0/_family` → `Patient.name[0].family`), and the failed keyword picks the FHIR issue code.
 * @see https://hl7.org/fhir/R4/valueset-issue-type.html
 */
import type { ErrorObject } from 'ajv';
import type { OperationOutcomeIssue } from 'fhir/r4.js';
import { issue, type IssueCode } from '../fhir/outcomes.js';

/** FHIRPath location of a JSON pointer; `_x` (a primitive's id and extensions) is located at `x`. */
export function pointerToFhirPath(root: string, pointer: string): string {
  if (pointer === '') return root;
  let path = root;
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(token)) path += `[${token}]`;
    else path += `.${token.startsWith('_') ? token.slice(1) : token}`;
  }
  return path;
}

const jsonType = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
const article = (type: string) => (type === 'null' ? 'null' : /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);

const PRIMITIVE_NAME = /#\/definitions\/([a-zA-Z0-9]+)\/pattern$/;

function describe(error: ErrorObject, value: unknown): { code: IssueCode; message: string; at: string } {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return { code: 'structure', message: `Unknown element '${String(params.additionalProperty)}'`, at: `/${String(params.additionalProperty)}` };
    case 'required':
      return { code: 'required', message: `Missing required element '${String(params.missingProperty)}'`, at: '' };
    case 'type':
      return { code: 'structure', message: `Must be ${article(String(params.type))}, not ${article(jsonType(value))}`, at: '' };
    case 'pattern': {
      const primitive = PRIMITIVE_NAME.exec(error.schemaPath)?.[1] ?? 'value';
      return { code: 'value', message: `Invalid ${primitive} value ${JSON.stringify(value)?.slice(0, 80)}`, at: '' };
    }
    case 'const':
    case 'enum':
      return { code: 'value', message: `Value ${JSON.stringify(value)?.slice(0, 80)} not allowed here (${error.message ?? ''})`, at: '' };
    case 'discriminator':
      return { code: 'structure', message: `Unknown resource type ${JSON.stringify(params.tagValue)}`, at: '/resourceType' };
    default:
      return { code: 'invalid', message: error.message ?? error.keyword, at: '' };
  }
}

/** Reads the value an error points at, for the message; the pointer is short, so this is cheap. */
function valueAt(resource: unknown, pointer: string): unknown {
  let node = resource;
  for (const raw of pointer === '' ? [] : pointer.slice(1).split('/')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node;
}

const VALUE_KEYWORDS = new Set(['pattern', 'enum', 'const']);

/** One issue per ajv error, at the FHIRPath location of the offending element. */
export function schemaIssues(resourceType: string, resource: unknown, errors: ErrorObject[]): OperationOutcomeIssue[] {
  const seen = new Set<string>();
  const issues: OperationOutcomeIssue[] = [];
  for (const error of errors) {
    const value = valueAt(resource, error.instancePath);
    // An empty primitive is the element walk's to report, once, as ele-1 (walk-elements.ts).
    if (value === '' && VALUE_KEYWORDS.has(error.keyword)) continue;
    const { code, message, at } = describe(error, value);
    const expression = pointerToFhirPath(resourceType, error.instancePath + at);
    const key = `${expression}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue('error', code, message, expression));
  }
  return issues;
}
