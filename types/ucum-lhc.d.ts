/** The part of `@lhncbc/ucum-lhc` (NLM's UCUM library, which fhirpath.js also uses) the validator calls. */
declare module '@lhncbc/ucum-lhc' {
  export interface UnitValidation {
    status: 'valid' | 'invalid' | 'error';
    msg: string[];
  }
  export interface UcumUtils {
    validateUnitString(unit: string, suggest?: boolean): UnitValidation;
  }
  export const UcumLhcUtils: { getInstance(): UcumUtils };
}
