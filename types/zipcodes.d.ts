/** The part of `zipcodes` (US ZIP code registry data) the generator uses; the package ships no types. */
declare module 'zipcodes' {
  export interface ZipInfo {
    zip: string;
    latitude: number;
    longitude: number;
    city: string;
    state: string;
    country: string;
  }
  export function lookupByState(state: string): ZipInfo[];
  const zipcodes: { lookupByState: typeof lookupByState };
  export default zipcodes;
}
