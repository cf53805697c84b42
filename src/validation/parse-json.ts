/**
 * Reading a FHIR JSON document for validation the way the HL7 reference validator does: a byte order mark is
 * ignored, and `//` or `/* *\/` comments (not JSON, but common in hand-written examples) are read past and
 * reported as an error at the resource, or accepted when the caller allows them.
 * @see https://hl7.org/fhir/R4/json.html
 */
import type { OperationOutcomeIssue } from 'fhir/r4.js';
import { issue } from '../fhir/outcomes.js';

export interface ParsedJson {
  /** Undefined when the text is not JSON even without its comments. */
  resource?: unknown;
  issues: OperationOutcomeIssue[];
}

/** The text with its comments blanked out; strings are left alone. Undefined when there were none. */
function withoutComments(text: string): string | undefined {
  let out = '';
  let found = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const end = /"(?:[^"\\]|\\.)*"/y;
      end.lastIndex = i;
      const m = end.exec(text);
      const s = m ? m[0] : text.slice(i);
      out += s;
      i += s.length - 1;
    } else if (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) {
      found = true;
      const close = text[i + 1] === '/' ? text.indexOf('\n', i) : text.indexOf('*/', i + 2) + 1;
      i = close <= 0 ? text.length : close;
      out += ' ';
    } else {
      out += c;
    }
  }
  return found ? out : undefined;
}

export function parseFhirJson(text: string, options: { allowComments?: boolean } = {}): ParsedJson {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return { resource: JSON.parse(body), issues: [] };
  } catch (err) {
    const stripped = withoutComments(body);
    let resource: unknown;
    try {
      resource = stripped === undefined ? undefined : JSON.parse(stripped);
    } catch {
      // Not JSON even without comments: report the original parse error below.
    }
    if (resource === undefined) return { issues: [issue('fatal', 'structure', `Invalid JSON: ${(err as Error).message.slice(0, 200)}`)] };
    const type = (resource as { resourceType?: unknown } | null)?.resourceType;
    const at = typeof type === 'string' ? type : undefined;
    return { resource, issues: options.allowComments ? [] : [issue('error', 'structure', 'Comments are not allowed in JSON', at)] };
  }
}
