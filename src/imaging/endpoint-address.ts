/**
 * Our DICOMweb Endpoint's address, as the client reaching this server sees it. The stored address is where
 * the server ran when the imaging was generated (`medgen-data full` writes `http://127.0.0.1:8080/dicomweb`);
 * served on another port, behind a proxy or from another replica, that address is dead. So every answer that
 * carries the Endpoint gives the DICOMweb root beside the FHIR base the request came to, as a viewer
 * following `ImagingStudy.endpoint` needs. Other Endpoints are left as stored.
 */
import { DICOMWEB_ENDPOINT_ID } from './endpoint-resource.js';

type Json = Record<string, unknown>;

const isOurs = (r: unknown) => (r as Json | null)?.resourceType === 'Endpoint' && (r as Json).id === DICOMWEB_ENDPOINT_ID;

/** `body` with our Endpoint (itself, or as a Bundle entry) addressed at `dicomwebBase`; the rest unchanged. */
export function localizeDicomwebEndpoint<T>(body: T, dicomwebBase: string): T {
  if (isOurs(body)) return { ...body, address: dicomwebBase };
  const bundle = body as Json | null;
  if (bundle?.resourceType !== 'Bundle' || !Array.isArray(bundle.entry) || !bundle.entry.some((e) => isOurs((e as Json | null)?.resource))) return body;
  const entry = bundle.entry.map((e) => (isOurs((e as Json).resource) ? { ...(e as Json), resource: { ...((e as Json).resource as Json), address: dicomwebBase } } : e));
  return { ...bundle, entry } as T;
}
