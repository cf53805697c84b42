/**
 * The reference validator's locations, in the form ours take: it annotates resources inside a path
 * (`Location.contained[0]/*Organization/org_1*\/.id` → `Location.contained[0].id`) and names a choice by its
 * type (`value.ofType(integer)` → `valueInteger`); ours use the JSON property names.
 */
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function normaliseExpression(expression: string): string {
  return expression
    .replace(/\/\*.*?\*\//g, '')
    .replace(/\.([a-z][A-Za-z0-9]*)\.ofType\(([A-Za-z0-9]+)\)/g, (_m, name: string, type: string) => `.${name}${capital(type)}`);
}
