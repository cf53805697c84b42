import type { IndexedParamType } from './types.js';

/**
 * A search parameter as the runtime needs it, derived at build time from the official R4
 * SearchParameter definitions (`schemas/search-parameters.json`, made by scripts/derive-search-parameters.ts).
 */
export interface SearchParameterDef {
  code: string;
  type: IndexedParamType | 'composite' | 'special';
  /** The FHIRPath expression restricted to this resource type (the R4 ones are unions over bases). */
  expression: string;
  /** Target resource types of reference parameters. */
  targets?: string[];
  /** The canonical URL of the definition, for the CapabilityStatement. */
  url: string;
}
