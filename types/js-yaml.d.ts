/** The part of `js-yaml` (YAML 1.2 parser) cohort specs are read with; the package ships no types. */
declare module 'js-yaml' {
  export interface Schema {
    readonly brand?: 'js-yaml-schema';
  }
  export const CORE_SCHEMA: Schema;
  export class YAMLException extends Error {
    reason: string;
    mark?: { line: number; column: number };
  }
  export function load(text: string, options?: { schema?: Schema; filename?: string }): unknown;
}
