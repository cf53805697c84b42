/**
 * Splitting of the official SearchParameter expressions, which are unions over several resource types
 * (`Patient.name.family | Practitioner.name.family`), into their branches.
 * @see https://hl7.org/fhir/R4/searchparameter-definitions.html#SearchParameter.expression
 */

/** Splits a FHIRPath expression on its top-level `|` operators (not inside parentheses or string literals). */
export function splitUnion(expression: string): string[] {
  const branches: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === "'") quoted = false;
    } else if (c === "'") quoted = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      branches.push(expression.slice(start, i).trim());
      start = i + 1;
    }
  }
  branches.push(expression.slice(start).trim());
  return branches.filter((b) => b.length > 0);
}

/** The type name a branch starts from: `Patient` for `Patient.name` and for `(Patient.deceased as dateTime)`. */
export function branchRoot(branch: string): string {
  const match = /^\(*\s*([A-Za-z][A-Za-z0-9]*)/.exec(branch);
  return match ? match[1] : '';
}
