/**
 * The difference between a search request the server cannot honour (unknown parameter, unsupported
 * modifier or feature) and one that is wrong (a bad date): under `Prefer: handling=lenient` the first kind
 * is ignored, the second is always an error.
 * @see https://hl7.org/fhir/R4/search.html#errors
 */
export class UnsupportedSearch extends Error {
  constructor(
    /** The parameter name as the client wrote it (with its modifier). */
    readonly param: string,
    message: string,
  ) {
    super(message);
    this.name = 'UnsupportedSearch';
  }
}
